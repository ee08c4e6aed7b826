"""Editors pin and exclude related guides from the guide's edit view."""

import pytest
from django.urls import reverse
from django.utils import translation

from asih.search.models import RelatedGuide, RelatedGuideChoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.test", "pass-1234567")
    client.force_login(user)
    return client


def test_the_edit_view_has_a_related_guides_panel(admin_client, oxytocin):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[oxytocin["en"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "related_choices-TOTAL_FORMS" in html
    with translation.override(html.split('lang="', 1)[1].split('"', 1)[0]):
        assert translation.gettext("Related guides") in html


def test_a_pin_saved_and_published_in_code_leads_the_list(oxytocin, guide_pages):
    page = oxytocin["en"]
    last = (
        RelatedGuide.objects.filter(from_page=page)
        .order_by("-rank")
        .values_list("to_page_id", flat=True)
    ).first()
    target = guide_pages.get(pk=last)
    page.related_choices.add(RelatedGuideChoice(guide=target, kind="pin"))
    page.save_revision().publish()
    first = RelatedGuide.objects.filter(from_page=page).order_by("rank").first()
    assert first.to_page_id == target.pk and first.pinned
