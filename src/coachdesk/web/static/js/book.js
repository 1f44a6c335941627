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
