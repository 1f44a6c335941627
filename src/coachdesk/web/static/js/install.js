// Installable app: the service worker (the public page's assets, and tickets offline once
// opened), and an install banner that remembers "Non merci" on this device.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {});
}

const banner = document.querySelector("[data-install]");
const DISMISSED = "coachdesk-install-dismissed";
let offer = null;

window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  if (!banner || localStorage.getItem(DISMISSED)) return;
  offer = event;
  banner.hidden = false;
});

banner?.querySelector("[data-install-yes]")?.addEventListener("click", async () => {
  banner.hidden = true;
  if (!offer) return;
  offer.prompt();
  await offer.userChoice.catch(() => null);
  offer = null;
});

banner?.querySelector("[data-install-no]")?.addEventListener("click", () => {
  localStorage.setItem(DISMISSED, "1");
  banner.hidden = true;
});
