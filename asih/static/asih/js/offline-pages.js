// On the offline page: lists the pages this phone has kept, so a guide is one tap away.
const CACHE_PREFIX = "asih-offline-";
const SKIP = /^\/(static|media|offline)\//;

async function keptPages() {
  const names = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX));
  const pages = new Map();
  for (const name of names) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const url = new URL(request.url);
      if (url.origin !== location.origin || SKIP.test(url.pathname) || pages.has(url.href)) continue;
      const response = await cache.match(request);
      const html = response ? await response.text() : "";
      const doc = new DOMParser().parseFromString(html, "text/html");
      // "Guide title · Clinic name": the part before the clinic's name.
      const parts = doc.title.split(" · ");
      const title = (parts.length > 1 ? parts.slice(0, -1).join(" · ") : doc.title).trim();
      if (!title) continue;
      pages.set(url.href, { url, title, lang: doc.documentElement.lang || "" });
    }
  }
  return [...pages.values()];
}

export async function init(element) {
  if (!("caches" in window)) return;
  const list = element.querySelector("ul");
  const pages = await keptPages();
  // Indonesian first, then English, each in the order they were kept.
  pages.sort((a, b) => (a.lang === "en") - (b.lang === "en"));
  for (const page of pages) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = page.url.pathname + page.url.search;
    link.textContent = page.title;
    if (page.lang) link.lang = page.lang;
    item.append(link);
    list.append(item);
  }
  element.hidden = pages.length === 0;
}
