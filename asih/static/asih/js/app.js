// Boots the page: each [data-module="asih-NAME"] element gets ./NAME.js once, and the
// service worker is registered so visited guides keep working offline.
const booted = new WeakSet();

for (const element of document.querySelectorAll("[data-module^='asih-']")) {
  if (booted.has(element)) continue;
  booted.add(element);
  const name = element.dataset.module.slice("asih-".length);
  if (!/^[a-z-]+$/.test(name)) continue;
  import(`./${name}.js`)
    .then((module) => module.init(element))
    .catch((error) => console.error(`asih: ${name} failed to start`, error));
}

if ("serviceWorker" in navigator && document.documentElement.dataset.sw !== "off") {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
