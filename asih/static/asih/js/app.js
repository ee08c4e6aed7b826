// Boots the page: each [data-module="asih-NAME"] element gets the module NAME once, and the
// service worker is registered so visited guides keep working offline.
//
// Every module is named here in an import call with a literal path: collectstatic rewrites
// each path to the file's hashed name (asih/core/storage.py), so this app.js only ever loads
// the modules of its own deploy, never a cached copy from an older or newer one.
const MODULES = {
  comments: () => import("./comments.js"),
  "form-guard": () => import("./form-guard.js"),
  "my-sessions": () => import("./my-sessions.js"),
  "offline-pages": () => import("./offline-pages.js"),
  plan: () => import("./plan.js"),
  session: () => import("./session.js"),
  share: () => import("./share.js"),
};
const booted = new WeakSet();

for (const element of document.querySelectorAll("[data-module^='asih-']")) {
  if (booted.has(element)) continue;
  booted.add(element);
  const name = element.dataset.module.slice("asih-".length);
  const load = Object.hasOwn(MODULES, name) ? MODULES[name] : null;
  if (!load) {
    console.error(`asih: no module named ${name}`);
    continue;
  }
  load()
    .then((module) => module.init(element))
    .catch((error) => console.error(`asih: ${name} failed to start`, error));
}

// What this page needs offline besides itself: the URLs its elements name in
// data-offline-urls (a guide names its session view), its images, stylesheets and scripts.
function urlsToKeep(includeThisPage) {
  const urls = new Set();
  const add = (value) => {
    if (!value) return;
    const url = new URL(value, location.href);
    if (url.origin === location.origin) urls.add(url.pathname + url.search);
  };
  if (includeThisPage) add(location.href);
  for (const element of document.querySelectorAll("[data-offline-urls]")) {
    element.dataset.offlineUrls.split(/\s+/).forEach(add);
  }
  for (const image of document.images) {
    // Lazy images below the fold have not loaded yet; their src is what offline needs.
    add(image.currentSrc);
    add(image.getAttribute("src") && image.src);
  }
  for (const asset of document.querySelectorAll("link[rel~='stylesheet'][href], script[src]")) {
    add(asset.href || asset.src);
  }
  return [...urls];
}

async function keepForOffline() {
  // Before the worker first takes over, the page itself went past it and must be asked for.
  const controlledAtLoad = Boolean(navigator.serviceWorker.controller);
  await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  const registration = await navigator.serviceWorker.ready;
  if (!registration.active || !navigator.onLine) return;
  // The offline page stands in for another URL: there is nothing of its own to keep.
  if (document.documentElement.hasAttribute("data-offline-page")) return;
  registration.active.postMessage({ type: "cache-urls", urls: urlsToKeep(!controlledAtLoad) });
}

if ("serviceWorker" in navigator && document.documentElement.dataset.sw !== "off") {
  keepForOffline().catch(() => {});
}
