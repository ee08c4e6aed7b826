"""The remembered route home → stage → guide: the same answers as Wagtail's walk, at once
after every change of the tree."""

import pytest

from asih.pagecache import store as store_module

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def counters(settings, tmp_path):
    settings.ASIH_PAGE_CACHE_DIR = tmp_path / "pagecache"
    settings.REDIS_URL = ""
    store_module.reset_store()
    yield
    store_module.reset_store()


@pytest.fixture
def guide(oxytocin):
    return oxytocin["id"]


def status(client, url) -> int:
    return client.get(url).status_code


def test_a_remembered_route_serves_the_guide_and_its_sub_pages(client, guide):
    assert status(client, guide.url) == 200
    assert status(client, guide.url) == 200
    assert status(client, guide.url + "sesi/") == 200
    # The other language's sub-page slug still redirects to this language's.
    response = client.get(guide.url + "session/")
    assert response.status_code == 301 and response["Location"].endswith("/sesi/")
    assert status(client, guide.url + "tidak-ada/") == 404


def test_a_renamed_guide_answers_at_its_new_path_only(client, guide):
    old_url = guide.url
    assert status(client, old_url) == 200
    guide.slug = "pijat-oksitosin-baru"
    guide.save_revision().publish()
    guide.refresh_from_db()
    assert status(client, old_url) == 404
    assert status(client, guide.url) == 200


def test_an_unpublished_guide_is_gone_on_the_next_request(client, guide):
    url = guide.url
    assert status(client, url) == 200
    guide.unpublish()
    assert status(client, url) == 404


def test_a_deleted_guide_is_gone_on_the_next_request(client, guide):
    url = guide.url
    assert status(client, url) == 200
    guide.delete()
    assert status(client, url) == 404


def test_a_moved_guide_answers_under_its_new_stage(client, guide):
    from asih.guides.models import StageIndexPage

    url = guide.url
    assert status(client, url) == 200
    other = (
        StageIndexPage.objects.filter(locale=guide.locale).exclude(pk=guide.get_parent().pk).first()
    )
    guide.move(other, pos="last-child")
    guide.refresh_from_db()
    # The old path no longer serves the guide (Wagtail's redirects app points it onwards).
    old = client.get(url)
    assert old.status_code == 301 and old["Location"].endswith(guide.url)
    assert status(client, guide.url) == 200
