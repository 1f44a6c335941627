// Booking form: remembers the visitor's details on this device only, shows the total of
// the chosen formula (the server computes the real price), reveals the pass code field and
// checks a promo code live. Nothing here is needed to book.
const form = document.querySelector(".book-form");
const money = (cents) => {
  const rest = cents % 100;
  const francs = Math.floor(cents / 100).toLocaleString("de-CH");
  return `CHF ${francs}.${rest ? String(rest).padStart(2, "0") : "–"}`;
};

if (form) {
  for (const input of form.querySelectorAll("[data-remember]")) {
    const key = `coachdesk.${input.dataset.remember}`;
    if (!input.value) input.value = localStorage.getItem(key) || "";
    input.addEventListener("change", () => localStorage.setItem(key, input.value.trim()));
  }
  const line = form.querySelector("[data-total-line]");
  const total = form.querySelector("[data-total-value]");
  const passField = form.querySelector(".pass-field");
  const promo = form.querySelector("[data-promo]");
  const status = form.querySelector("[data-promo-status]");
  let discounted = null; // {choice, total_cents} from the last accepted check
  let asked = 0;
  let timer;

  const chosen = () => form.querySelector("input[name=choice]:checked");
  const render = () => {
    const choice = chosen();
    if (passField) passField.hidden = !choice || choice.value !== "pass";
    if (!choice || !line) return;
    line.hidden = false;
    const applies = discounted && discounted.choice === choice.value;
    total.textContent = applies ? money(discounted.total_cents) : choice.dataset.total;
  };
  const say = (text, ok) => {
    status.textContent = text;
    status.classList.toggle("field-error", ok === false);
    status.classList.toggle("promo-ok", ok === true);
  };
  const check = async () => {
    const choice = chosen();
    const code = promo.value.trim();
    discounted = null;
    if (!code || !choice || !choice.value.startsWith("offer:")) {
      say("", null);
      render();
      return;
    }
    const ticket = ++asked;
    const response = await fetch("/api/v1/promo-codes/validate", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        code, offer_id: Number(choice.value.slice(6)),
        session_ids: [...form.querySelectorAll("input[name=s]")].map((i) => Number(i.value)),
        email: form.querySelector("[name=email]").value,
      }),
    });
    if (ticket !== asked) return; // a newer check is on its way
    const result = await response.json();
    if (result.valid) {
      discounted = { choice: choice.value, total_cents: result.total_cents };
      say(`${result.message} −${money(result.discount_cents)}`, true);
    } else {
      say(result.message || result.error?.message || "", false);
    }
    render();
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(check, 400); };
  form.addEventListener("change", () => { render(); if (promo) later(); });
  if (promo) {
    promo.addEventListener("input", later);
    if (promo.value) check();
  }
  render();
}
