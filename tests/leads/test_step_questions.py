"""Each step of a guide links to the consultation form with the guide and the step filled in."""

import re

import pytest
from django.utils import translation
from django.utils.html import escape


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_each_step_asks_with_its_number(client, oxytocin, language):
    guide = oxytocin[language]
    html = client.get(guide.get_url()).content.decode()
    links = re.findall(r'<p class="step__ask"><a href="([^"]+)">', html)
    assert len(links) == len(guide.steps()) == 8
    first = links[0].replace("&amp;", "&")
    assert f"panduan={guide.pk}" in first and first.endswith("langkah=1")
    assert links[-1].endswith("langkah=8")
    form = client.get(first)
    assert form.status_code == 200
    with translation.override(language):
        about = translation.gettext("About the guide “%(title)s”, step %(step)s") % {
            "title": guide.title,
            "step": 1,
        }
    assert escape(about) in form.content.decode()  # the form names the guide and the step
