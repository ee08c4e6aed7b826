"""Everything the site holds about one email address, across features (UU PDP access/erasure).

Each feature app registers, in its AppConfig.ready(), how to export and how to erase what it
keeps for an address; the privacy request flow and the admin erase action call every one of
them, so a new feature cannot be forgotten by the erasure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
