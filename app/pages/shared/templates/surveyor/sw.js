/*
 * Service worker of the surveyors' app (scope /s/), version {{ version }}.
 *
 * Keeps the app shell (styles, scripts, icons) and, fetched with the surveyor's
 * session, the pages listed by /s/api/offline: the list of assigned respondents
 * and the questionnaire of each campaign. Pages are network-first (a fresh copy
 * whenever there is a connection, the kept copy otherwise); static files are
 * cache-first (their URLs carry the version). /s/api/ is never cached: the
 * queue in IndexedDB (outbox.js) is how work made offline reaches the server.
 */
"use strict";
const VERSION = {{ version|tojson }};
const CACHE = "sipas-s-" + VERSION;
const SHELL = {{ shell|tojson }};
const NETWORK_TIMEOUT = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("sipas-s-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

async function keepPages() {
  const response = await fetch("/s/api/offline", { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) return false;
  const { urls } = await response.json();
  const cache = await caches.open(CACHE);
  const results = await Promise.all(urls.map(async (url) => {
    const page = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (!page.ok || page.redirected) return false;
    await cache.put(url, page);
    return true;
  }));
  return results.every(Boolean);
}

self.addEventListener("message", (event) => {
  if (event.data !== "refresh") return;
  event.waitUntil(
    keepPages()
      .catch(() => false)
      .then((ok) => event.source && event.source.postMessage({ type: "offline-ready", ok }))
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error) => { clearTimeout(timer); reject(error); });
  });
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request), NETWORK_TIMEOUT);
    // A redirect means the session ended (log-in page): show it, but keep the old copy.
    // One copy per page: the query (?respondent=) is read by the page's script.
    const key = new URL(request.url);
    key.search = "";
    if (response.ok && !response.redirected) await cache.put(key.href, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    return new Response(
      "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
        "<p>Không có mạng và trang này chưa được lưu trên máy. " +
        "<a href='/s/'>Về danh sách</a></p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
    );
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/s/api/")) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/s/")) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  }
});
