// The shell works offline once visited: static files are cached; the API always goes to the network.
const CACHE = "gaspol-shell-v3";
const SHELL = ["/", "/app.css", "/manifest.webmanifest", "/icons/icon.svg", "/js/app.js", "/js/router.js", "/js/api.js",
  "/js/i18n.js", "/js/ui.js", "/js/pages/public.js", "/js/pages/applicant.js", "/js/pages/officer.js",
  "/js/pages/admin.js", "/js/pages/integration.js", "/js/pages/reports.js", "/js/pages/help.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  // Pages are one app: any path is answered by the cached shell when the network is away.
  const isPage = event.request.mode === "navigate";
  event.respondWith(fetch(event.request).then((response) => {
    // Copied now: once the page has read the body, a later clone() would throw and keep nothing.
    const copy = response.clone();
    if (response.ok) caches.open(CACHE).then((cache) => cache.put(isPage ? "/" : event.request, copy));
    return response;
  }).catch(() => caches.match(isPage ? "/" : event.request)));
});
