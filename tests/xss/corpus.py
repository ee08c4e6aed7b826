"""The XSS corpus shared by the unit tests and the browser tests (tests/xss/payloads.txt).

Every payload tries to call `window.__xss(N)`, open a dialog, or leave an element or attribute
carrying MARKER; `tests.xss.chromium` watches for all three in a real browser.
"""

from pathlib import Path

CORPUS = Path(__file__).with_name("payloads.txt")
MARKER = "xss-marker"


def payloads() -> list[str]:
    """Each payload as typed: "\\n" becomes a line break, \\u and four hex digits a real
    character."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    result = []
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        text = line.replace("\\n", "\n")
        # Unicode escapes become the real invisible characters (RTL override, zero width).
        for code in ("202e", "200b"):
            text = text.replace(f"\\u{code}", chr(int(code, 16)))
        result.append(text)
    return result


def bundles(count: int = 4, *, separator: str = " ") -> list[str]:
    """The whole corpus in `count` texts, for views that show one record (a detail page, a form
    sent back with its errors): a few loads still put every payload through the view."""
    corpus = payloads()
    size = -(-len(corpus) // count)
    return [separator.join(corpus[start : start + size]) for start in range(0, len(corpus), size)]


def normalise(text: str) -> str:
    """Whitespace as a browser shows it: runs of spaces and line breaks become one space."""
    return " ".join(text.split())
