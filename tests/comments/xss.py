"""The XSS corpus shared by the unit test and the browser test."""

from pathlib import Path

CORPUS = Path(__file__).with_name("xss_payloads.txt")
MARKER = "xss-marker"


def payloads() -> list[str]:
    """Each payload as a comment body: "\\n" becomes a line break, \\u and four hex digits a real
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
