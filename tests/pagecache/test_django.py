"""The page cache in front of the real site: public pages kept, retired exactly on change."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from asih.core.signals import public_content_changed
from asih.pagecache import store as store_module
from asih.pagecache.wsgi import PageCache

from .test_wsgi import request


@pytest.fixture
def site(settings, tmp_path):
    """The Django app behind the page cache, sharing the test transaction."""
    settings.ASIH_PAGE_CACHE_DIR = tmp_path / "pagecache"
    settings.REDIS_URL = ""
    settings.ALLOWED_HOSTS = ["*"]
    store_module.reset_store()
    # Like Django's test client: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield PageCache(WSGIHandler(), store_module.get_store(), state_header=True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    store_module.reset_store()


def guide_path(page):
    return page.get_url(request=None)


def get(site, path, **headers):
    answer = request(site, path=path, **headers)
    assert answer["status"].startswith(("200", "304")), (path, answer["status"])
    return answer


@pytest.mark.django_db
def test_guide_page_is_kept_and_answered_before_django(site, oxytocin, django_assert_num_queries):
    path = guide_path(oxytocin["id"])
    first = get(site, path)
    with django_assert_num_queries(0):
        second = get(site, path)
    assert (first["headers"]["X-Page-Cache"], second["headers"]["X-Page-Cache"]) == ("MISS", "HIT")
    assert first["body"] == second["body"]
    assert "public" in second["headers"]["Cache-Control"]
    assert "s-maxage=" in second["headers"]["Cache-Control"]
    assert "stale-while-revalidate" not in second["headers"]["Cache-Control"]  # browsers see it
    assert "stale-while-revalidate=60" in second["headers"]["CDN-Cache-Control"]
    assert "Set-Cookie" not in second["headers"]


@pytest.mark.django_db
def test_a_change_on_one_page_retires_only_that_page(site, oxytocin):
    guide, home = guide_path(oxytocin["id"]), "/id/"
    get(site, guide), get(site, home)
    public_content_changed.send(sender=None, pages=[oxytocin["id"]])
    assert get(site, guide)["headers"]["X-Page-Cache"] == "MISS"
    assert get(site, home)["headers"]["X-Page-Cache"] == "HIT"


@pytest.mark.django_db
def test_publishing_a_guide_retires_every_page(site, oxytocin):
    guide, home = guide_path(oxytocin["id"]), "/id/"
    get(site, guide), get(site, home)
    page = oxytocin["id"]
    page.title = "Pijat Oksitosin (diperbarui)"
    page.save_revision().publish()
    fresh = get(site, guide)
    assert fresh["headers"]["X-Page-Cache"] == "MISS"
    assert "Pijat Oksitosin (diperbarui)" in fresh["body"].decode()
    assert get(site, home)["headers"]["X-Page-Cache"] == "MISS"


@pytest.mark.django_db
def test_unpublishing_retires_the_page(site, oxytocin):
    guide = guide_path(oxytocin["id"])
    get(site, guide)
    oxytocin["id"].unpublish()
    assert request(site, path=guide)["status"].startswith("404")


@pytest.mark.django_db
def test_saving_the_clinic_settings_retires_every_page(site, oxytocin):
    from wagtail.models import Site

    from asih.core.models import ClinicSettings

    guide = guide_path(oxytocin["id"])
    get(site, guide)
    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    clinic.name = "Klinik Contoh Baru"
    clinic.save()
    fresh = get(site, guide)
    assert fresh["headers"]["X-Page-Cache"] == "MISS"
    assert "Klinik Contoh Baru" in fresh["body"].decode()


@pytest.mark.django_db
def test_logged_in_staff_always_get_a_fresh_page(site, oxytocin, client, django_user_model):
    guide = guide_path(oxytocin["id"])
    get(site, guide)
    staff = django_user_model.objects.create_superuser("editor", "e@example.com", "pw-long-enough")
    client.force_login(staff)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    answer = request(site, path=guide, cookie=cookie)
    assert "X-Page-Cache" not in answer["headers"]
    assert "public" not in answer["headers"].get("Cache-Control", "")
    assert "CDN-Cache-Control" not in answer["headers"]
