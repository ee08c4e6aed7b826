"""The personal-data registry asks every registered feature to export and erase."""

import pytest

from asih.core import privacy


@pytest.fixture
def isolated_registry(monkeypatch):
    monkeypatch.setattr(privacy, "_holders", {})


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated_registry")
def test_every_holder_exports_and_erases_for_the_normalised_address():
    seen = []
    privacy.register(
        "notes",
        export=lambda email: [{"email": email}],
        erase=lambda email: seen.append(email) or 2,
    )
    privacy.register("none", export=lambda email: [], erase=lambda email: 0)
    assert privacy.export_for_email("  Ibu@Example.COM ") == {
        "notes": [{"email": "ibu@example.com"}],
        "none": [],
    }
    assert privacy.erase_for_email("Ibu@Example.com") == {"notes": 2, "none": 0}
    assert seen == ["ibu@example.com"]


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated_registry")
def test_a_failing_holder_rolls_back_the_whole_erasure():
    from django.contrib.auth.models import Group

    def erase_group(email):
        Group.objects.filter(name=email).delete()
        return 1

    def broken(email):
        raise RuntimeError("disk full")

    Group.objects.create(name="ibu@example.com")
    privacy.register("groups", export=lambda email: [], erase=erase_group)
    privacy.register("broken", export=lambda email: [], erase=broken)
    with pytest.raises(RuntimeError):
        privacy.erase_for_email("ibu@example.com")
    assert Group.objects.filter(name="ibu@example.com").exists()


# --- Issue 15, items 8 and 16: retention, purged by the daily command -------------------------


@pytest.mark.django_db
def test_the_daily_purge_removes_what_is_past_its_keeping_time(oxytocin):
    from datetime import timedelta

    from axes.models import AccessAttempt, AccessLog
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from asih.comments.models import Comment
    from asih.comments.services import UNPUBLISHED_KEEP_DAYS

    now = timezone.now()
    page = oxytocin["id"]

    def comment(status, days_old, **fields):
        made = Comment.objects.create(
            page=page, language="id", name="Ibu", email=f"{status}{days_old}@example.test",
            body="Sebuah komentar.", status=status, **fields,
        )  # fmt: skip
        Comment.objects.filter(pk=made.pk).update(created_at=now - timedelta(days=days_old))
        return made

    old_pending = comment("pending", UNPUBLISHED_KEEP_DAYS + 1)
    old_spam = comment("spam", UNPUBLISHED_KEEP_DAYS + 5)
    new_pending = comment("pending", 1)
    old_published = comment("approved", 400)
    answered_then_rejected = comment("rejected", 90)
    comment("approved", 80, parent=answered_then_rejected)

    def task(status, days_ago):
        return DBTaskResult.objects.create(
            status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="x.y",
            backend_name="default", run_after=now, finished_at=now - timedelta(days=days_ago),
        )  # fmt: skip

    old_task, old_failed = task("SUCCESSFUL", 8), task("FAILED", 30)
    recent_task = task("SUCCESSFUL", 1)
    waiting_task = DBTaskResult.objects.create(
        status="READY", args_kwargs={"args": [], "kwargs": {}}, task_path="x.y",
        backend_name="default", run_after=now - timedelta(days=60),
    )  # fmt: skip

    def sign_in(model, days_ago):
        record = model.objects.create(
            username="bidan", ip_address="203.0.113.5", user_agent="Mozilla/5.0 (Android)",
            http_accept="*/*", path_info="/admin/login/",
            **({"get_data": "", "post_data": "", "failures_since_start": 1}
               if model is AccessAttempt else {}),
        )  # fmt: skip
        model.objects.filter(pk=record.pk).update(attempt_time=now - timedelta(days=days_ago))
        return record

    old_attempt, _old_log = sign_in(AccessAttempt, 31), sign_in(AccessLog, 45)
    recent_log = sign_in(AccessLog, 2)

    call_command("purge_expired_data", stdout=__import__("io").StringIO())

    remaining = set(Comment.objects.values_list("pk", flat=True))
    assert old_pending.pk not in remaining and old_spam.pk not in remaining
    assert {new_pending.pk, old_published.pk, answered_then_rejected.pk} <= remaining
    answered_then_rejected.refresh_from_db()
    assert answered_then_rejected.email == ""  # its answer stays readable; the address goes
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        recent_task.pk,
        waiting_task.pk,
    }
    assert not DBTaskResult.objects.filter(pk__in=[old_task.pk, old_failed.pk]).exists()
    assert not AccessAttempt.objects.filter(pk=old_attempt.pk).exists()
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {recent_log.pk}


def test_the_documented_timer_runs_the_daily_purge():
    from pathlib import Path

    timer = (
        Path(__file__).resolve().parents[2] / "deploy/systemd/asih-purge_unconfirmed_signups.timer"
    )
    assert "Unit=asih-manage@purge_expired_data.service" in timer.read_text()
