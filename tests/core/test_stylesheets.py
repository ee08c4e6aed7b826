"""The stylesheets stay readable: a comment on top, one declaration per line, no minified lines."""

import re
from pathlib import Path

import pytest

CSS_DIR = Path(__file__).resolve().parents[2] / "asih" / "static" / "asih" / "css"
SHEETS = sorted(CSS_DIR.glob("*.css"))
LONGEST_LINE = 100
COMMENT = re.compile(r"/\*.*?\*/", re.S)
# A declaration or a closing brace followed by more code on the same line.
TWO_ON_A_LINE = re.compile(r"[;}]\s*\S")


def test_every_stylesheet_is_checked():
    assert {"asih.css", "session.css"} <= {sheet.name for sheet in SHEETS}


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda sheet: sheet.name)
def test_a_stylesheet_is_written_for_people(sheet):
    text = sheet.read_text()
    assert text.startswith("/* "), f"{sheet.name} does not open with what it styles"
    code = COMMENT.sub(lambda comment: "\n" * comment.group().count("\n"), text)
    for number, line in enumerate(code.splitlines(), start=1):
        assert len(line) <= LONGEST_LINE, f"{sheet.name}:{number} is {len(line)} characters"
        assert not TWO_ON_A_LINE.search(line), f"{sheet.name}:{number} holds two statements"
        if "{" in line:
            assert line.rstrip().endswith("{"), f"{sheet.name}:{number} opens and fills a block"


@pytest.mark.parametrize(("name", "components"), [("asih.css", 30), ("session.css", 10)])
def test_the_large_sheets_name_each_component(name, components):
    """Every block of rules in the two large sheets sits under a comment saying what it styles."""
    blocks = (CSS_DIR / name).read_text().split("\n\n")
    assert len(blocks) > components
    for block in blocks[1:]:
        assert block.lstrip().startswith("/* "), f"{name}: uncommented block {block[:60]}"
