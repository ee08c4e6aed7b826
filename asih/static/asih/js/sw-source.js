// Asih's service worker: keeps the pages a person has opened (above all a guide and its session
// view) and their assets readable without a network. Served as /sw.js by asih/core/offline.py,
// which puts `const ASIH_OFFLINE = {version, precache, offlineUrl, startUrl}` above this source.
/* global ASIH_OFFLINE */

const CACHE_PREFIX = "asih-offline-";
const CACHE = CACHE_PREFIX + ASIH_OFFLINE.version;
// Never intercepted and never stored: the editors' side of the site and private downloads.
const PRIVATE_PREFIXES = ["/admin/", "/django-admin", "/documents/", "/sw.js"];
// A page carrying a form token or the editors' user bar was made for one person only.
const PERSONAL_MARKERS = ["csrfmiddlewaretoken", "<wagtail-userbar"];
const NETWORK_TIMEOUT_MS = 6000; // then a kept copy beats waiting on a weak connection
const MAX_PAGES = 60;
const MAX_MEDIA = 200;
const MAX_URLS_PER_MESSAGE = 100;
const PARALLEL_FETCHES = 4;

// Django adds "Vary: Accept-Language" even where the bytes do not change (the language is in
// the path), so a kept copy is looked up by its URL alone.
async function lookUp(request, options = {}) {
  const cache = await caches.open(CACHE);
  return cache.match(request, { ignoreVary: true, ...options });
}

function isPrivatePath(pathname) {
  return PRIVATE_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

function kindOf(url) {
  if (url.origin !== self.location.origin || isPrivatePath(url.pathname)) return null;
  if (url.pathname.startsWith("/static/")) return "static";
  if (url.pathname.startsWith("/media/")) return "media";
  return "page";
}

// Whether a response may be kept: a plain 200 from this site that is not personal or private.
async function isStorable(response, kind) {
  if (!response || response.status !== 200 || response.type !== "basic") return false;
  if (response.redirected) return false;
  const cacheControl = (response.headers.get("Cache-Control") || "").toLowerCase();
  if (/\b(no-store|private)\b/.test(cacheControl)) return false;
  // Fetch hides Set-Cookie from scripts, so a page made for one person is recognised by what it
  // carries instead; public pages set no cookie at all (tests/core/test_offline.py).
  const type = response.headers.get("Content-Type") || "";
  if (kind === "page" || type.startsWith("text/html")) {
    const body = await response.clone().text();
    if (PERSONAL_MARKERS.some((marker) => body.includes(marker))) return false;
  }
  return true;
}

async function trim(cache, kind, limit) {
  const keys = (await cache.keys()).filter((request) => kindOf(new URL(request.url)) === kind);
  // Keys come back oldest first; the start and offline pages stay.
  const keep = new Set([ASIH_OFFLINE.offlineUrl, ASIH_OFFLINE.startUrl]);
  const removable = keys.filter((request) => !keep.has(new URL(request.url).pathname));
  await Promise.all(
    removable.slice(0, Math.max(0, removable.length - limit)).map((key) => cache.delete(key)),
  );
}

async function store(url, response, kind) {
  if (!(await isStorable(response, kind))) return false;
  const cache = await caches.open(CACHE);
  await cache.delete(url); // re-inserted last, so trimming drops the least recently kept first
  await cache.put(url, response);
  if (kind === "page") await trim(cache, "page", MAX_PAGES);
  if (kind === "media") await trim(cache, "media", MAX_MEDIA);
  return true;
}

// The site's own stylesheets, scripts and images a kept page refers to.
function assetUrls(html, base) {
  const found = new Set();
  const pattern = /\s(?:src|href|srcset)="([^"]+)"/g;
  for (const match of html.matchAll(pattern)) {
    for (const candidate of match[1].split(",")) {
      const value = candidate.trim().split(/\s+/)[0].replaceAll("&amp;", "&");
      if (!value) continue;
      const url = new URL(value, base);
      const kind = kindOf(url);
      if (kind === "static" || kind === "media") found.add(url.href);
    }
  }
  return [...found];
}

async function inParallel(items, worker) {
  const queue = [...items];
  const results = [];
  const runners = Array.from({ length: PARALLEL_FETCHES }, async () => {
    while (queue.length) {
      const item = queue.shift();
      results.push(await worker(item));
    }
  });
  await Promise.all(runners);
  return results;
}

// Fetch a URL and keep it under the same rules as a visit. Whatever this version already keeps is
// left alone: a new content version starts a new cache, so a kept page is never older than it.
// Returns the stored URL, or null.
async function fetchAndStore(href, { withAssets = false } = {}) {
  const url = new URL(href, self.location.origin);
  url.hash = "";
  const kind = kindOf(url);
  if (!kind) return null;
  if (await lookUp(url.href)) return url.href;
  let response;
  try {
    response = await fetch(url.href, { credentials: "same-origin" });
  } catch {
    return null;
  }
  const copy = response.clone();
  if (!(await store(url.href, response, kind))) return null;
  if (kind === "page" && withAssets) {
    await inParallel(assetUrls(await copy.text(), url.href), (asset) => fetchAndStore(asset));
  }
  return url.href;
}

// A new version refreshes every page the old one kept, so offline copies show the new content;
// when the network fails meanwhile, the old copy is carried over rather than lost.
async function carryOver() {
  const cache = await caches.open(CACHE);
  for (const name of await caches.keys()) {
    if (!name.startsWith(CACHE_PREFIX) || name === CACHE) continue;
    const old = await caches.open(name);
    const keys = await old.keys();
    const pages = keys.filter((request) => kindOf(new URL(request.url)) === "page");
    const media = keys.filter((request) => kindOf(new URL(request.url)) === "media");
    await inParallel(pages.slice(-MAX_PAGES), async (request) => {
      let response;
      try {
        response = await fetch(request.url, { credentials: "same-origin" });
      } catch {
        const kept = await old.match(request);
        if (kept && !(await lookUp(request))) await cache.put(request, kept);
        return;
      }
      const copy = response.clone();
      if (await store(request.url, response, "page")) {
        await inParallel(assetUrls(await copy.text(), request.url), (asset) =>
          fetchAndStore(asset),
        );
      }
    });
    await copyMissing(old, cache, media.slice(-MAX_MEDIA));
  }
}

// Images the old worker kept: carried over as they are (they refresh when next shown).
async function copyMissing(old, cache, requests) {
  for (const request of requests) {
    if (await lookUp(request)) continue;
    const kept = await old.match(request);
    if (kept) await cache.put(request, kept);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Revalidate rather than trust the HTTP cache: unversioned URLs may hold older bytes there.
      const shell = [...ASIH_OFFLINE.precache, ASIH_OFFLINE.offlineUrl];
      await cache.addAll(shell.map((url) => new Request(url, { cache: "no-cache" })));
      await Promise.all([fetchAndStore(ASIH_OFFLINE.startUrl, { withAssets: true }), carryOver()]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const oldNames = (await caches.keys()).filter(
        (name) => name.startsWith(CACHE_PREFIX) && name !== CACHE,
      );
      for (const name of oldNames) {
        // The old worker may have kept images after this one was installed.
        const old = await caches.open(name);
        const media = (await old.keys()).filter((r) => kindOf(new URL(r.url)) === "media");
        await copyMissing(old, cache, media.slice(-MAX_MEDIA));
        await caches.delete(name);
      }
      if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })(),
  );
});

function timeout(ms) {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

async function keptPage(url) {
  return (await lookUp(url)) || (await lookUp(url, { ignoreSearch: true }));
}

// Pages: the network first, so a new version of the content shows as soon as it is published;
// a kept copy when the network fails or hangs; the offline page when nothing was kept.
async function page(event) {
  const url = new URL(event.request.url);
  url.hash = "";
  let copy = null;
  const fromNetwork = (async () => {
    const response = (await event.preloadResponse) || (await fetch(event.request));
    copy = response.clone();
    return response;
  })();
  // Kept even when a kept copy answered first because the network was slow.
  event.waitUntil(fromNetwork.then(() => store(url.href, copy, "page")).catch(() => false));
  const kept = keptPage(url.href);
  try {
    const first = await Promise.race([
      fromNetwork,
      timeout(NETWORK_TIMEOUT_MS).then(async () => (await kept) || fromNetwork),
    ]);
    if (first) return first;
  } catch {
    // Offline, or the connection dropped: fall through to what was kept.
  }
  return (
    (await kept) ||
    (await lookUp(ASIH_OFFLINE.offlineUrl)) ||
    new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } })
  );
}

// Static files change name or version with a deploy: the kept copy first.
async function staticAsset(event) {
  const kept = await lookUp(event.request);
  if (kept) return kept;
  const response = await fetch(event.request);
  event.waitUntil(store(event.request.url, response.clone(), "static").catch(() => false));
  return response;
}

// Images: the kept copy at once, refreshed in the background for next time.
async function mediaAsset(event) {
  const kept = await lookUp(event.request);
  const network = fetch(event.request);
  event.waitUntil(
    network
      .then((response) => store(event.request.url, response.clone(), "media"))
      .catch(() => false),
  );
  return kept || network;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("Range")) return;
  const kind = kindOf(new URL(request.url));
  if (!kind) return; // another site, or the admin: the browser handles it as if we were not here
  if (request.mode === "navigate") event.respondWith(page(event));
  else if (kind === "static") event.respondWith(staticAsset(event));
  else if (kind === "media") event.respondWith(mediaAsset(event));
});

// A page asks for URLs it links to (the guide's session view, its images) to be kept too.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache-urls" || !Array.isArray(data.urls)) return;
  const urls = [...new Set(data.urls.filter((url) => typeof url === "string"))].slice(
    0,
    MAX_URLS_PER_MESSAGE,
  );
  event.waitUntil(
    (async () => {
      const results = await inParallel(urls, (url) => fetchAndStore(url, { withAssets: true }));
      const stored = results.filter(Boolean);
      if (event.source) event.source.postMessage({ type: "cached", urls: stored });
    })(),
  );
});
