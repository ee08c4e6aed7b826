"""A stage lists its guides a page at a time, so a stage with thousands of guides stays fast."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from asih.guides.models import GuidePage, StageIndexPage

from .factories import GuidePageFactory, StageIndexPageFactory


def _add_guides(stage, count):
    GuidePageFactory.create_batch(count, parent=stage, body=[])


@pytest.mark.django_db
def test_stage_shows_one_page_of_guides_with_links_to_the_next(client):
    stage = StageIndexPageFactory()
    _add_guides(stage, StageIndexPage.GUIDES_PER_PAGE + 5)
    url = stage.get_url()
    first = client.get(url).content.decode()
    assert first.count('class="card"') == StageIndexPage.GUIDES_PER_PAGE
    assert 'rel="next" href="?page=2"' in first
    second = client.get(url, {"page": 2}).content.decode()
    total = GuidePage.objects.child_of(stage).live().count()
    assert total == StageIndexPage.GUIDES_PER_PAGE + 5
    assert second.count('class="card"') == total - StageIndexPage.GUIDES_PER_PAGE
    assert 'rel="prev" href="?page=1"' in second
    # Nonsense page numbers get a normal page, never an error.
    for value in ("abc", "-1", "99999", "1e9", "'; DROP TABLE x"):
        assert client.get(url, {"page": value}).status_code == 200


@pytest.mark.django_db
def test_queries_on_a_stage_do_not_grow_with_the_number_of_guides(client):
    stage = StageIndexPageFactory()
    _add_guides(stage, 3)
    url = stage.get_url()
    client.get(url)  # warm per-process caches (site root, settings)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _add_guides(stage, 60)
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
