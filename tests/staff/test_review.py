"""A clinician's approval in the medical review is the guide's review: recorded and shown."""

import json
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from asih.core.models import Clinician
from asih.guides.models import GuidePage
from asih.staff import roles
from asih.staff.models import PROFILE_NEEDED, ClinicalReviewTask
from asih.staff.review import add_months, guides_due_for_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("penulis", "penulis@example.test", "x" * 12)
    user.groups.add(Group.objects.get(name=roles.EDITORS))
    return user


@pytest.fixture
def clinician(django_user_model):
    user = django_user_model.objects.create_user(
        "bidan", "bidan@example.test", "y" * 12, first_name="Sari"
    )
    user.groups.add(Group.objects.get(name=roles.CLINICIANS))
    return user


@pytest.fixture
def profile(clinician):
    return Clinician.objects.create(
        name="Sari Wulandari", credentials="Bidan, IBCLC", user=clinician
    )


def submit(page, editor):
    page.title = page.title + " (revisi)"
    page.save_revision(user=editor)
    return page.get_workflow().start(page, editor)


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    nodes = []
    for block in blocks:
        data = json.loads(block)
        nodes += data.get("@graph", [data])
    return nodes


def test_the_review_workflow_has_its_indonesian_name_and_the_clinical_task(oxytocin):
    workflow = oxytocin["id"].get_workflow()
    assert workflow.name == "Tinjauan medis"
    tasks = [task.specific for task in workflow.tasks.all()]
    assert [type(t) for t in tasks] == [ClinicalReviewTask]
    assert tasks[0].name == "Persetujuan klinisi"
    assert list(tasks[0].groups.values_list("name", flat=True)) == [roles.CLINICIANS]
    assert not Workflow.objects.filter(name="Medical review").exists()


def test_approval_records_reviewer_and_dates_on_page_and_json_ld(
    client, oxytocin, editor, clinician, profile
):
    page = oxytocin["id"]
    assert not page.is_medically_reviewed
    state = submit(page, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, clinician, "approve")

    live = GuidePage.objects.get(pk=page.pk)
    today = timezone.localdate()
    assert live.title.endswith("(revisi)")  # the approval published the revision
    assert live.reviewer == profile
    assert live.last_reviewed == today
    assert live.next_review_due == add_months(today, 12)

    html = client.get(live.url).content.decode()
    assert "Sari Wulandari, Bidan, IBCLC" in html
    assert "Belum ditinjau secara medis" not in html
    page_node = next(n for n in json_ld(html) if n.get("@type") == "MedicalWebPage")
    assert page_node["lastReviewed"] == today.isoformat()
    assert page_node["reviewedBy"]["name"] == "Sari Wulandari"


def test_review_interval_is_a_setting(settings, oxytocin, editor, clinician, profile):
    settings.ASIH_REVIEW_INTERVAL_MONTHS = 6
    state = submit(oxytocin["id"], editor)
    state.current_task_state.task.specific.on_action(state.current_task_state, clinician, "approve")
    live = GuidePage.objects.get(pk=oxytocin["id"].pk)
    assert live.next_review_due == add_months(timezone.localdate(), 6)


def test_a_clinician_without_public_profile_is_asked_to_complete_it(
    client, oxytocin, editor, clinician
):
    page = oxytocin["id"]
    state = submit(page, editor)
    task = state.current_task_state.task.specific
    actions = {action for action, *_ in task.get_actions(page, clinician)}
    assert actions == {"reject"}  # request changes only
    with pytest.raises(PermissionDenied):
        task.on_action(state.current_task_state, clinician, "approve")

    client.force_login(clinician)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert str(PROFILE_NEEDED)[:40] in response.content.decode().replace("&#x27;", "'")

    # The profile page: name and credentials, then the approve action appears.
    form = client.get(reverse("asih_public_profile"))
    assert form.status_code == 200 and 'name="credentials"' in form.content.decode()
    saved = client.post(
        reverse("asih_public_profile"),
        {"name": "Sari Wulandari", "credentials": "Bidan", "role": "Bidan koordinator"},
    )
    assert saved.status_code == 302
    assert Clinician.objects.get(user=clinician).credentials == "Bidan"
    assert "approve" in {action for action, *_ in task.get_actions(page, clinician)}


def test_a_past_due_review_says_so_on_the_page(client, oxytocin, profile):
    page = oxytocin["en"]
    page.reviewer = profile
    page.last_reviewed = timezone.localdate() - timedelta(days=400)
    page.next_review_due = timezone.localdate() - timedelta(days=35)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "review--overdue" in html
    assert "Last reviewed by Sari Wulandari" in html
    assert "a new review was due on" in html


def test_due_guides_on_the_dashboard_and_in_the_weekly_email(
    client, oxytocin, clinician, profile, django_capture_on_commit_callbacks
):
    page = oxytocin["id"]
    page.reviewer = profile
    page.last_reviewed = date.today() - timedelta(days=360)
    page.next_review_due = timezone.localdate() + timedelta(days=5)
    page.save_revision().publish()
    assert page.pk in set(guides_due_for_review().values_list("pk", flat=True))

    client.force_login(clinician)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="guides-review-due"' in dashboard or "guides-review-due" in dashboard
    assert page.title in dashboard

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_review_reminders", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [["bidan@example.test"]]
    message = mail.outbox[0]
    assert "tinjauan medis" in message.subject.lower()  # Indonesian by default
    assert page.title in message.body
    assert f"/admin/pages/{page.pk}/edit/" in message.body


def test_the_pdf_names_the_reviewer_after_approval(oxytocin, editor, clinician, profile):
    import io

    from pypdf import PdfReader

    from asih.guidebook.services import guidebook_build

    state = submit(oxytocin["id"], editor)
    state.current_task_state.task.specific.on_action(state.current_task_state, clinician, "approve")
    live = GuidePage.objects.get(pk=oxytocin["id"].pk)
    stage = live.get_parent().specific
    reader = PdfReader(io.BytesIO(guidebook_build(stage=stage, language="id").read_bytes()))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    assert "Sari Wulandari" in " ".join(text.split())
    assert live.last_reviewed.strftime("%Y") in text
