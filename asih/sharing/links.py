"""The share links of a guide: plain URLs that open each app, built from the canonical URL."""

from urllib.parse import quote, urlencode


def _query(params: dict[str, str]) -> str:
    # quote_via=quote writes spaces as %20: mail apps and WhatsApp show a "+" literally.
    return urlencode(params, quote_via=quote, safe="")


def share_links(*, url: str, title: str, summary: str = "") -> dict[str, str]:
    """{network: href} for the share bar, in the bar's order (WhatsApp first)."""
    body = f"{summary}\n\n{url}" if summary else url
    return {
        "whatsapp": "https://wa.me/?" + _query({"text": f"{title} {url}"}),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + _query({"u": url}),
        "x": "https://x.com/intent/post?" + _query({"text": title, "url": url}),
        "telegram": "https://t.me/share/url?" + _query({"url": url, "text": title}),
        "email": "mailto:?" + _query({"subject": title, "body": body}),
    }
