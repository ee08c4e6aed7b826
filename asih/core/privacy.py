"""Everything the site holds about one email address, across features (UU PDP access/erasure),
and how long it keeps what it holds (retention).

Each feature app registers, in its AppConfig.ready(), how to export and how to erase what it
keeps for an address; the privacy request flow and the admin erase action call every one of
them, so a new feature cannot be forgotten by the erasure. Each also registers its retention
rules: `manage.py purge_expired_data` (daily, from the documented timer) runs every one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction


@dataclass(frozen=True)
class PersonalDataHolder:
    name: str  # e.g. "comments", "sign-ups"
    export: Callable[[str], list[dict]]  # email → JSON-serialisable records
    erase: Callable[[str], int]  # email → number of records erased or anonymised


_holders: dict[str, PersonalDataHolder] = {}


def register(name: str, *, export: Callable[[str], list[dict]], erase: Callable[[str], int]):
    _holders[name] = PersonalDataHolder(name=name, export=export, erase=erase)


def holders() -> list[PersonalDataHolder]:
    return list(_holders.values())


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def export_for_email(email: str) -> dict[str, list[dict]]:
    email = normalise_email(email)
    return {holder.name: holder.export(email) for holder in holders()}


def erase_for_email(email: str) -> dict[str, int]:
    """Erase everything held about `email` in one transaction: all of it or none of it."""
    email = normalise_email(email)
    with transaction.atomic():
        return {holder.name: holder.erase(email) for holder in holders()}


# --- Retention --------------------------------------------------------------------------------

# Finished background tasks (their rows hold ids and a result, never an email's content) and
# the staff sign-in records of django-axes (addresses and browser strings) are kept this long.
TASK_RESULTS_KEEP_DAYS = 7
SIGN_IN_RECORDS_KEEP_DAYS = 30


@dataclass(frozen=True)
class RetentionRule:
    name: str  # what goes, e.g. "unconfirmed sign-ups"
    purge: Callable[[datetime], int]  # now → number of records deleted


_rules: dict[str, RetentionRule] = {}


def register_retention(name: str, *, purge: Callable[[datetime], int]) -> None:
    _rules[name] = RetentionRule(name=name, purge=purge)


def retention_rules() -> list[RetentionRule]:
    return list(_rules.values())


def purge_expired(*, now: datetime, skip: tuple[str, ...] = ()) -> dict[str, int]:
    """Run every retention rule (but `skip`); what each deleted."""
    return {rule.name: rule.purge(now) for rule in retention_rules() if rule.name not in skip}


def task_results_purge(now: datetime) -> int:
    """Delete finished task rows (emails sent or failed, PDFs built) older than the keep time."""
    from django_tasks_db.models import DBTaskResult

    cutoff = now - timedelta(days=TASK_RESULTS_KEEP_DAYS)
    deleted, _detail = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def sign_in_records_purge(now: datetime) -> int:
    """Delete django-axes' records of staff sign-ins older than the keep time (far beyond any
    lockout's cool-off)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = now - timedelta(days=SIGN_IN_RECORDS_KEEP_DAYS)
    deleted = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        count, _detail = model.objects.filter(attempt_time__lt=cutoff).delete()
        deleted += count
    return deleted
