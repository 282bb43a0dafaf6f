/* Keeps the capture page and its script on the phone: each is fetched from the network
   when there is one (and kept), and answered from what was kept when there is none.
   Sending is the page's own work: nothing but these two GETs passes through here. */
"use strict";
const CACHE = "sovang-ngoai-tuyen-1";
const SCOPE = new URL("./", self.location).pathname;
const SHELL = [SCOPE, SCOPE + "app.js"];

async function keep(cache, request, response) {
  if (response.ok && !response.redirected) {
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const path of SHELL) {
      try {
        await keep(cache, new Request(path), await fetch(path, { credentials: "same-origin" }));
      } catch (error) {
        /* kept on the next visit */
      }
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !SHELL.includes(url.pathname)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      return await keep(cache, url.pathname, await fetch(event.request));
    } catch (error) {
      const kept = await cache.match(url.pathname);
      return kept || Response.error();
    }
  })());
});
