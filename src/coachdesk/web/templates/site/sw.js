// coachdesk service worker: the public page's assets are kept for speed, and every ticket
// opened once stays readable offline. Coach Mode and the API always go to the network.
const VERSION = "{{ version }}";
const ASSETS = `assets-${VERSION}`;
const PAGES = "pages";
const PRECACHE = {{ precache|tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(ASSETS).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("assets-") && n !== ASSETS).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function keepable(url) {
  return url.pathname === "/" || url.pathname.startsWith("/t/");
}

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(ASSETS);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (url.pathname.startsWith("/coach") || url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/media/")) {
    event.respondWith(cacheFirst(request));
  } else if (keepable(url)) {
    event.respondWith(networkFirst(request));
  }
});

// The coach's notices (Web Push): shown even when Coach Mode is closed; a tap opens it.
self.addEventListener("push", (event) => {
  const notice = event.data ? event.data.json() : {};
  event.waitUntil(
    self.registration.showNotification(notice.title || "coachdesk", {
      body: notice.body || "",
      icon: "/icon-192.png",
      badge: "/icon-192.png",
      data: { url: notice.url || "/coach/today" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
