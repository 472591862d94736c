/* bangfu's service worker: reading offline, an extra (the outbox does not depend on it). Served at
   /outbox/sw.js with Service-Worker-Allowed: / (scope /). A page the server marks readable offline (header X-Bangfu-Offline: 1: masked
   fields only) is kept when fetched, and answered from the copy when there is no signal. Nothing
   else is kept: not the API, not htmx partials, not a page without the mark (a revealed ID number
   or phone is never marked). Logging out deletes the copies (outbox.js). */
"use strict";
var PAGES = "bangfu-pages-1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("bangfu-pages-") === 0 && k !== PAGES; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || request.headers.get("HX-Request") ||
      url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/api/") === 0) return;
  var key = url.origin + url.pathname + url.search;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var keep = response.headers.get("X-Bangfu-Offline") === "1";
      var copy = keep ? response.clone() : null;
      if (keep) caches.open(PAGES).then(function (cache) { return cache.put(key, copy); });
      else caches.has(PAGES).then(function (has) { return has && caches.open(PAGES).then(function (c) { return c.delete(key); }); });
    }
    return response;
  }, function () {
    return caches.match(key, { ignoreVary: true, cacheName: PAGES })
      .then(function (hit) {
        return hit || new Response("<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
          "<p>离线：这一页没有保存在手机上。 Offline: this page is not kept on the phone.</p><p><a href=/casework/today/>今日待办</a></p>",
          { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
      });
  }));
});
