"""Editors' side: the admin opens these pages, drafts and scheduled publishing work, and
clinicians approve guides before they go live."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site, Workflow

from asih.core.models import Clinician
from asih.guides.loader import CLINICIANS_GROUP, REVIEW_WORKFLOW
from asih.guides.models import GuidePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.test", "x" * 12)


@pytest.fixture
def clinician(django_user_model):
    user = django_user_model.objects.create_user("bidan", "bidan@example.test", "y" * 12)
    user.groups.add(Group.objects.get(name=CLINICIANS_GROUP))
    # A clinician approves with a public profile: the approval names them as the reviewer.
    Clinician.objects.create(name="Bidan Sari", credentials="Bidan", user=user)
    return user


def test_admin_edit_views_open_for_every_page_type(client, editor, oxytocin):
    client.force_login(editor)
    page = oxytocin["id"]
    for target in (page, page.get_parent(), page.get_parent().get_parent()):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[target.pk]))
        assert response.status_code == 200
    site = Site.objects.get(is_default_site=True)
    response = client.get(f"/admin/settings/core/clinicsettings/{site.pk}/")
    assert response.status_code == 200


def test_a_draft_does_not_change_the_live_page(client, oxytocin):
    page = oxytocin["en"]
    live_title = page.title
    page.title = "A draft title"
    page.save_revision()
    html = client.get(page.url).content.decode()
    assert live_title in html and "A draft title" not in html


def test_an_older_revision_can_be_restored(oxytocin):
    page = oxytocin["en"]
    first = page.latest_revision
    page.title = "Changed"
    page.save_revision().publish()
    first.as_object().save_revision().publish()
    page.refresh_from_db()
    assert page.title == first.as_object().title


def test_scheduled_publishing(client, oxytocin):
    page = oxytocin["en"]
    page.title = "Scheduled title"
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()  # with a future go-live this only schedules
    assert "Scheduled title" not in client.get(page.url).content.decode()

    # An hour passes: move the scheduled time into the past instead of waiting.
    revision = page.get_latest_revision()
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")
    assert "Scheduled title" in client.get(page.url).content.decode()


def test_guides_go_through_medical_review_by_clinicians(
    oxytocin, editor, clinician, django_user_model
):
    page = oxytocin["id"]
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name == REVIEW_WORKFLOW
    assert Workflow.objects.get(name=REVIEW_WORKFLOW).tasks.count() == 1

    page.title = "Judul baru menunggu tinjauan"
    page.save_revision(user=editor)
    state = workflow.start(page, editor)
    task = state.current_task_state.task.specific
    assert task.user_can_access_editor(page, clinician)
    assert "approve" in {action for action, *_ in task.get_actions(page, clinician)}
    writer = django_user_model.objects.create_user("penulis", "w@example.test", "z" * 12)
    writer.groups.add(Group.objects.get(name="Editors"))
    assert task.get_actions(page, writer) == []
    assert GuidePage.objects.get(pk=page.pk).title != "Judul baru menunggu tinjauan"

    task.on_action(state.current_task_state, clinician, "approve")
    page.refresh_from_db()
    assert GuidePage.objects.get(pk=page.pk).title == "Judul baru menunggu tinjauan"
