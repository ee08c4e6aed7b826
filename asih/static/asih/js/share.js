// The share bar: shows "copy link" and the phone's share menu where the browser has them, tells
// the site (a small same-origin POST) that a share control was used, and shows the count it reads
// from the same endpoint (a GET that is the same for everyone, so caches keep it; the count is
// not in the page's HTML, so a share never changes the page).
const ENDPOINT = "/api/share/";

function showCount(bar) {
  const counter = bar.querySelector(".share__count");
  if (!counter || !bar.dataset.page) return;
  fetch(`${ENDPOINT}?page=${encodeURIComponent(bar.dataset.page)}`)
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      const total = data ? Number(data.total) : 0;
      if (!Number.isInteger(total) || total < 1) return; // nobody has shared yet: say nothing
      const language = document.documentElement.lang || "id";
      const one = new Intl.PluralRules(language).select(total) === "one";
      const text = one ? bar.dataset.countOne : bar.dataset.countOther;
      counter.textContent = text.replace("{count}", String(total));
      counter.hidden = false;
    })
    .catch(() => {}); // offline or refused: the bar works without its count
}

function record(bar, network) {
  const body = new URLSearchParams({ page: bar.dataset.page, network });
  // sendBeacon survives the navigation to WhatsApp or Facebook that follows the click.
  if (navigator.sendBeacon && navigator.sendBeacon(ENDPOINT, body)) return;
  fetch(ENDPOINT, { method: "POST", body, keepalive: true, credentials: "same-origin" }).catch(
    () => {},
  );
}

function say(bar, message) {
  const status = bar.querySelector(".share__status");
  if (!status) return;
  status.textContent = "";
  // A fresh text node after a tick, so screen readers announce the same message again.
  setTimeout(() => {
    status.textContent = message;
  }, 50);
}

export function init(bar) {
  if (bar.dataset.shareReady) return;
  bar.dataset.shareReady = "true";
  const { url, title, text } = bar.dataset;

  const canCopy = Boolean(navigator.clipboard && window.isSecureContext);
  const canShare = typeof navigator.share === "function";
  for (const item of bar.querySelectorAll("[data-share-needs]")) {
    const need = item.dataset.shareNeeds;
    if ((need === "clipboard" && canCopy) || (need === "share" && canShare)) item.hidden = false;
  }

  showCount(bar);

  for (const link of bar.querySelectorAll("a[data-network]")) {
    link.addEventListener("click", () => record(bar, link.dataset.network));
  }

  const copy = bar.querySelector("button[data-network='copy']");
  copy?.addEventListener("click", () => {
    navigator.clipboard.writeText(url).then(
      () => {
        say(bar, bar.dataset.copied);
        record(bar, "copy");
      },
      () => say(bar, bar.dataset.copyFailed),
    );
  });

  const native = bar.querySelector("button[data-network='native']");
  native?.addEventListener("click", () => {
    navigator.share({ title, text, url }).then(
      () => record(bar, "native"),
      () => {}, // closed without sharing: nothing to count
    );
  });
}
