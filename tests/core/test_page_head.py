"""The <head> every public page shares: a meta description even where the editor left it blank."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db


def meta_description(client, url):
    found = re.findall(
        r'<meta name="description" content="([^"]*)">', client.get(url).content.decode()
    )
    assert len(found) == 1, found
    return html.unescape(found[0])


def test_search_description_comes_first(client, oxytocin):
    guide = oxytocin["id"]
    guide.search_description = "Cara pijat oksitosin <singkat> & aman"
    guide.save_revision().publish()
    assert meta_description(client, guide.url) == "Cara pijat oksitosin <singkat> & aman"


@pytest.mark.parametrize("language", ["id", "en"])
def test_stage_without_search_description_is_described_by_its_intro(client, oxytocin, language):
    stage = oxytocin[language].get_parent().specific
    assert not stage.search_description and stage.intro
    assert meta_description(client, stage.url) == stage.intro


def test_guide_without_search_description_is_described_by_its_summary(client, oxytocin):
    guide = oxytocin["en"]
    guide.search_description = ""
    guide.save_revision().publish()
    assert meta_description(client, guide.url) == guide.summary
