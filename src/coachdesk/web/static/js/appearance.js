// The Apparence tab: the preview follows the colours and the name as they are chosen; a
// preset fills both colours (without JavaScript, a preset button saves it at once).
const preview = document.querySelector("[data-theme-preview]");
const primary = document.querySelector("#f-primary_color");
const secondary = document.querySelector("#f-secondary_color");
const name = document.querySelector("[data-name-input]");

function luminance(hex) {
  const channel = (i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function textOn(hex) {
  const l = luminance(hex);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
}

function paint() {
  if (!preview) return;
  preview.style.setProperty("--primary", primary.value);
  preview.style.setProperty("--secondary", secondary.value);
  preview.style.setProperty("--on-primary", textOn(primary.value));
}

for (const input of [primary, secondary]) input?.addEventListener("input", paint);
name?.addEventListener("input", () => {
  preview.querySelector("[data-preview-name]").textContent = name.value;
});
for (const button of document.querySelectorAll(".preset")) {
  button.addEventListener("click", (event) => {
    event.preventDefault();
    primary.value = button.dataset.primary;
    secondary.value = button.dataset.secondary;
    paint();
  });
}
