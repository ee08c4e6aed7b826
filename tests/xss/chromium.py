"""Watching Chromium for the XSS corpus: calls of the sentinel, dialogs, injected markup, requests.

Three independent signs, because each alone can miss something:
- executions: every payload calls `window.__xss(N)` (or `alert`); the sentinel reports to Python
  through a binding, so a hit on a page that has since been left is still counted;
- injected markup: an element or attribute that only the payload could have made (an `on…`
  handler, the marker id or class, a `javascript:` or `data:text/html` address, a script or
  style carrying the payload, `<embed>`, `<object>`, `<base>` …) anywhere in the document and
  its frames — not only inside the box meant for user text, since a payload that breaks out
  lands elsewhere;
- literal text: what the person typed must show as text (an escaping layer that decodes or
  drops part of it shows up here even when nothing ran).
Contexts are made with `bypass_csp=True`: the pages' strict CSP would stop most payloads
anyway, and the point here is that escaping alone keeps them inert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

from .corpus import MARKER, normalise

SENTINEL = """
(() => {
  const report = (n) => { try { window.__xssReport(String(n)); } catch (error) {} };
  Object.defineProperty(window, "__xss", { value: report, writable: false });
})();
"""

# Runs in one frame; returns a short description of each element the corpus could have made.
FIND_INJECTED = """
(marker) => {
  const urlAttributes = new Set(["href", "src", "action", "formaction", "data", "xlink:href",
                                 "background", "poster", "srcdoc", "codebase"]);
  const neverOurs = new Set(["EMBED", "OBJECT", "BASE", "ISINDEX", "MARQUEE", "X", "FRAME",
                             "APPLET"]);
  const compact = (value) => value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toUpperCase();
    const reasons = [];
    if (neverOurs.has(tag)) reasons.push(`<${tag.toLowerCase()}>`);
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = compact(attribute.value);
      if (name.startsWith("on")) reasons.push(name);
      if (name === "data-x" || name === "contenteditable") reasons.push(name);
      if ((name === "id" || name === "class") && attribute.value.includes(marker)) {
        reasons.push(`${name}=${marker}`);
      }
      if (urlAttributes.has(name) && /^(javascript|vbscript):|^data:text\\/html/.test(value)) {
        reasons.push(`${name}=${value.slice(0, 20)}`);
      }
      if (name === "style" && /javascript:|expression\\(|__xss/.test(value)) reasons.push("style");
      if (tag === "META" && name === "content" && value.includes("javascript:")) {
        reasons.push("meta refresh");
      }
    }
    if (tag === "SCRIPT" && /xss/i.test(element.getAttribute("src") || "")) reasons.push("src");
    if ((tag === "SCRIPT" || tag === "STYLE" || tag === "TEMPLATE")
        && /__xss|javascript:|xss-marker|background:red/.test(element.innerHTML)) {
      reasons.push("payload inside");
    }
    if (reasons.length) found.push(`${reasons.join(",")}: ${element.outerHTML.slice(0, 100)}`);
  }
  return found;
}
"""


@dataclass
class XssWatch:
    """Everything one browser context saw: sentinel calls, dialogs, requests to other hosts."""

    allowed_hosts: set[str] = field(default_factory=set)
    executions: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, context) -> XssWatch:
        context.expose_binding("__xssReport", lambda _source, n: self.executions.append(n))
        context.add_init_script(SENTINEL)
        context.on("dialog", self._dialog)
        context.on("request", lambda request: self.requests.append(request.url))
        return self

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    @property
    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if urlparse(url).netloc not in self.allowed_hosts]

    def assert_clean(self) -> None:
        assert self.executions == []
        assert self.dialogs == []
        assert self.foreign_requests == []


def new_context(browser, *, site_url: str | None = None, **options):
    """A context with the sentinel installed and CSP out of the way; returns (context, watch)."""
    context = browser.new_context(bypass_csp=True, **options)
    hosts = {urlparse(site_url).netloc} if site_url else set()
    return context, XssWatch(allowed_hosts=hosts).attach(context)


def settle(page, milliseconds: int = 250) -> None:
    """Give handlers that fire late (onerror, autofocus, animations, ontoggle) time to run."""
    page.wait_for_timeout(milliseconds)


def injected(page) -> list[str]:
    """Elements or attributes the corpus made, in the page and every frame in it."""
    found = []
    for frame in page.frames:
        found += frame.evaluate(FIND_INJECTED, MARKER)
    return found


def shown_text(page, selector: str = "body") -> str:
    """The visible text of the elements matching `selector` (all frames), whitespace normalised."""
    parts = []
    for frame in page.frames:
        parts += frame.eval_on_selector_all(selector, "els => els.map(el => el.innerText)")
    return normalise(" ".join(parts))


def not_shown(expected: list[str], text: str) -> list[str]:
    """The expected texts that do not appear literally (whitespace normalised) in `text`."""
    return [item for item in expected if normalise(item) not in text]
