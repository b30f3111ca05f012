// SPDX-License-Identifier: MIT
// sw.js - keeps the phone page available without signal: the shell (HTML,
// CSS, scripts, dictionaries) is answered from the network when there is
// one and from the cache when there is not. The API is never cached: the
// page queues its records in IndexedDB and sends them when it can.
const CACHE = "zhucun-shell-v1";
const SHELL = ["/", "/index.html", "/css/app.css", "/js/app.js", "/js/pages/field.js", "/js/pages/login.js", "/i18n/zh.json", "/i18n/en.json"];

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).catch(() => {}));
  self.skipWaiting();
});
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  e.respondWith(
    fetch(e.request)
      .then((r) => {
        if (r.ok) {
          const copy = r.clone();
          caches.open(CACHE).then((c) => c.put(e.request, copy));
        }
        return r;
      })
      .catch(() => caches.match(e.request).then((m) => m || caches.match("/index.html"))),
  );
});
