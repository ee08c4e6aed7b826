"""The sign-up finds stage pages by their stage field, so a page built in the admin serves too."""

import pytest
from django.urls import reverse
from django.utils import timezone

from asih.guides.models import StageIndexPage
from asih.guides.stages import STAGE_TAKEN, LifeStage
from asih.leads.models import SignUp, Stage
from asih.leads.selectors import stage_for_page, stage_page_for
from asih.leads.services import guidebook_links
from tests.guides.factories import GuidePageFactory, StageIndexPageFactory, home_page

pytestmark = pytest.mark.django_db


def _retire_shipped(stage: str) -> None:
    # The editor's first step before building a replacement: the old page is no longer that stage.
    StageIndexPage.objects.filter(stage=stage).update(stage="")


def test_a_stage_page_built_in_the_admin_is_found_by_the_sign_up(fake_guidebook):
    _retire_shipped(Stage.PLANNING)
    built = StageIndexPageFactory(title="Persiapan Kehamilan", stage=LifeStage.PLANNING)
    assert stage_page_for(Stage.PLANNING, "id") == built
    # No English page of that stage yet: the Indonesian one, as for any missing translation.
    assert stage_page_for(Stage.PLANNING, "en") == built

    signup = SignUp(
        email="a@example.com",
        name="A",
        stage=Stage.PLANNING,
        language="id",
        consented_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    (link,) = guidebook_links(signup, site_url="http://x")
    assert link.title == "Persiapan Kehamilan"
    assert fake_guidebook == [("Persiapan Kehamilan", "id")]


def test_a_guide_under_an_admin_built_stage_offers_the_sign_up_for_that_stage(client):
    _retire_shipped(Stage.PREGNANT)
    stage_page = StageIndexPageFactory(stage=LifeStage.PREGNANT)
    guide = GuidePageFactory(parent=stage_page)
    html = client.get(guide.url).content.decode()
    assert 'href="/id/daftar/?tahap=pregnant"' in html


def test_a_stage_page_without_a_stage_offers_a_plain_sign_up(client):
    guide = GuidePageFactory(parent=StageIndexPageFactory(stage=""))
    html = client.get(guide.url).content.decode()
    assert 'href="/id/daftar/"' in html and "tahap=" not in html
    assert stage_for_page(guide.get_parent().specific) == ""


def test_each_language_finds_its_own_page_of_the_stage():
    for code in ("id", "en"):
        page = stage_page_for(Stage.BORN, code)
        assert (page.stage, page.locale.language_code) == (LifeStage.BORN, code)


def test_an_unpublished_stage_page_is_not_offered():
    _retire_shipped(Stage.PLANNING)
    StageIndexPageFactory(stage=LifeStage.PLANNING, live=False)
    assert stage_page_for(Stage.PLANNING, "id") is None


def test_the_sign_up_stages_are_the_stage_pages_stages():
    assert Stage.values == LifeStage.values


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.test", "x" * 12)
    client.force_login(user)
    return user


def _create_stage_page(client, parent, stage):
    url = reverse("wagtailadmin_pages:add", args=("guides", "stageindexpage", parent.pk))
    data = {
        "title": "Tahap baru",
        "slug": "tahap-baru",
        "stage": stage,
        "intro": "",
        "action-publish": "publish",
    }
    return client.post(url, data)


def test_the_admin_refuses_a_second_page_of_a_stage_in_one_language(client, editor):
    home = home_page("id")
    response = _create_stage_page(client, home, LifeStage.BORN)
    assert response.status_code == 200  # the form again, with the reason
    expected = STAGE_TAKEN % {"stage": LifeStage.BORN.label}
    assert str(expected) in response.content.decode()
    assert not StageIndexPage.objects.filter(slug="tahap-baru").exists()


def test_the_admin_creates_a_stage_page_of_a_free_stage(client, editor):
    _retire_shipped(Stage.PLANNING)
    response = _create_stage_page(client, home_page("id"), LifeStage.PLANNING)
    assert response.status_code == 302
    created = StageIndexPage.objects.get(slug="tahap-baru")
    assert created.live and stage_page_for(Stage.PLANNING, "id") == created
