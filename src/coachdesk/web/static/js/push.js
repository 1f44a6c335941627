// Réglages › Notifications: this device (browser or installed app) receives the coach's
// notices by Web Push. Shown only where the browser can do it.
const box = document.querySelector("[data-push-device]");
const state = document.querySelector("[data-push-state]");
const csrf = document.querySelector('meta[name="csrf-token"]').content;

function bytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function subscribe() {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    state.textContent = box.dataset.refused;
    return;
  }
  const registration = await navigator.serviceWorker.ready;
  const { key } = await (await fetch("/api/v1/admin/push-subscriptions/key")).json();
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: bytes(key),
  });
  const response = await fetch("/api/v1/admin/push-subscriptions", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify(subscription.toJSON()),
  });
  state.textContent = response.ok ? box.dataset.done : String(response.status);
}

if (box && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window) {
  box.hidden = false;
  box.querySelector("[data-push-on]").addEventListener("click", () => {
    subscribe().catch((error) => { state.textContent = String(error); });
  });
}
