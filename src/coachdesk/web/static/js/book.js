// Booking form: remembers the visitor's details on this device only, shows the total of
// the chosen formula (the server computes the real price), reveals the pass code field.
const form = document.querySelector(".book-form");
if (form) {
  for (const input of form.querySelectorAll("[data-remember]")) {
    const key = `coachdesk.${input.dataset.remember}`;
    if (!input.value) input.value = localStorage.getItem(key) || "";
    input.addEventListener("change", () => localStorage.setItem(key, input.value.trim()));
  }
  const line = form.querySelector("[data-total-line]");
  const total = form.querySelector("[data-total-value]");
  const passField = form.querySelector(".pass-field");
  const update = () => {
    const chosen = form.querySelector("input[name=choice]:checked");
    if (passField) passField.hidden = !chosen || chosen.value !== "pass";
    if (!chosen || !line) return;
    line.hidden = false;
    total.textContent = chosen.dataset.total;
  };
  form.addEventListener("change", update);
  update();
}

// Promo code: checked live (debounced) against the server, which shows the new total. The
// booking is priced again on the server whatever this shows.
const promo = form?.querySelector("[data-promo]");
if (promo) {
  const status = form.querySelector("[data-promo-status]");
  const money = (cents) => {
    const rest = cents % 100;
    const francs = Math.floor(cents / 100).toLocaleString("de-CH");
    return `CHF ${francs}.${rest ? String(rest).padStart(2, "0") : "–"}`;
  };
  let timer;
  let asked = 0;
  const check = async () => {
    const chosen = form.querySelector("input[name=choice]:checked");
    const code = promo.value.trim();
    if (!code || !chosen || !chosen.value.startsWith("offer:")) {
      status.textContent = "";
      status.classList.remove("field-error", "promo-ok");
      if (chosen) total.textContent = chosen.dataset.total;
      return;
    }
    const ticket = ++asked;
    const response = await fetch("/api/v1/promo-codes/validate", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        code, offer_id: Number(chosen.value.slice(6)),
        session_ids: [...form.querySelectorAll("input[name=s]")].map((i) => Number(i.value)),
        email: form.querySelector("[name=email]").value,
      }),
    });
    if (ticket !== asked) return; // a newer check is on its way
    const result = await response.json();
    const message = result.message || result.error?.message || "";
    status.classList.toggle("field-error", !result.valid);
    status.classList.toggle("promo-ok", Boolean(result.valid));
    status.textContent = result.valid
      ? `${message} −${money(result.discount_cents)}` : message;
    if (result.valid) total.textContent = `${money(result.total_cents)}`;
    else total.textContent = chosen.dataset.total;
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(check, 400); };
  promo.addEventListener("input", later);
  form.addEventListener("change", later);
  if (promo.value) check();
}
