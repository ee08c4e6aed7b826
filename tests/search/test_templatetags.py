"""The "Other useful articles" list under a guide, read in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from asih.search import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Other useful articles"), ("id", "Artikel bermanfaat")]
)
def test_a_guide_shows_its_related_guides(client, oxytocin, language, heading):
    html = client.get(oxytocin[language].url).content.decode()
    section = html.split('<section class="related"', 1)[1].split("</section>", 1)[0]
    assert heading in section
    assert 3 <= section.count('class="card related__card"') <= 6
    first_link = section.split('<h3 class="card__title"><a href="', 1)[1].split('"', 1)[0]
    lactation = {"id": "/id/setelah-melahirkan/pijat-laktasi/", "en": "/en/after-birth/"}
    assert first_link.startswith(lactation[language])


def test_reading_the_list_costs_one_query(oxytocin, rf):
    request = rf.get("/")
    selectors.related_guides_of(page=oxytocin["id"], request=request)  # warm site roots
    with CaptureQueriesContext(connection) as captured:
        cards = selectors.related_guides_of(page=oxytocin["id"], request=request)
    assert len(captured) == 1
    assert cards[0]["stage"] == "Setelah Melahirkan"
    assert all(card["url"].startswith("/id/") for card in cards)
