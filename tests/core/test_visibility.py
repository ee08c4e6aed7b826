"""Issue 15, finding 3: public listings show only what every visitor may see."""

import pytest
from wagtail.models import PageViewRestriction

from asih.core.visibility import public_pages
from asih.guides.models import GuidePage, HomePage

pytestmark = pytest.mark.django_db


def _restrict(page, kind=PageViewRestriction.LOGIN):
    return PageViewRestriction.objects.create(page=page, restriction_type=kind, password="rahasia")


def test_public_pages_leave_out_a_restricted_page_and_everything_below_it(oxytocin):
    guide = oxytocin["id"]
    stage = guide.get_parent()
    assert public_pages(GuidePage.objects).filter(pk=guide.pk).exists()
    restriction = _restrict(stage, PageViewRestriction.PASSWORD)
    below = set(stage.get_descendants(inclusive=True).values_list("pk", flat=True))
    assert not public_pages(GuidePage.objects.all()).filter(pk__in=below).exists()
    # Other stages and the other language are untouched.
    assert public_pages(GuidePage.objects).filter(pk=oxytocin["en"].pk).exists()
    restriction.delete()
    assert public_pages(GuidePage.objects).filter(pk=guide.pk).exists()


def test_a_stage_lists_only_public_guides(oxytocin):
    guide = oxytocin["id"]
    stage = guide.get_parent().specific
    assert guide.pk in {g.pk for g in stage.guides()}
    _restrict(guide)
    listed = {g.pk for g in stage.guides()}
    assert listed and guide.pk not in listed


def test_the_home_page_lists_only_public_stages(oxytocin, rf):
    stage = oxytocin["id"].get_parent()
    home = HomePage.objects.get(pk=stage.get_parent().pk)
    request = rf.get("/id/")
    assert stage.pk in {s.pk for s in home.get_context(request)["stages"]}
    _restrict(stage)
    assert stage.pk not in {s.pk for s in home.get_context(request)["stages"]}


def test_a_private_guide_is_not_on_its_stage_page(client, oxytocin):
    guide = oxytocin["id"]
    stage = guide.get_parent()
    assert guide.title in client.get(stage.url).content.decode()
    _restrict(guide)
    assert guide.title not in client.get(stage.url).content.decode()


def test_a_private_stage_leaves_the_header_menu(client, oxytocin):
    stage = oxytocin["en"].get_parent()
    nav_link = f'href="{stage.url}"'
    assert nav_link in client.get("/en/").content.decode()
    _restrict(stage)
    assert nav_link not in client.get("/en/").content.decode()


def test_a_private_guide_is_not_offered_as_the_subject_of_a_consultation(oxytocin):
    from asih.leads.selectors import guide_by_id

    guide = oxytocin["id"]
    assert guide_by_id(str(guide.pk)) is not None
    _restrict(guide)
    assert guide_by_id(str(guide.pk)) is None
