"""Staff writes: a new staff member with role and public profile, the review workflow's pages,
and who among the staff hears about new work (in each person's own language)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Workflow, WorkflowPage

from asih.core.mail import send_templated_email
from asih.core.models import Clinician, Person
from asih.core.public_address import public_url

from . import roles

ROLE_UNKNOWN = _("Choose one of the roles: Editors, Clinicians, Front desk.")
CREDENTIALS_NEEDED = _("A clinician needs the credentials shown publicly, e.g. Bidan, IBCLC.")
USERNAME_TAKEN = _("That username is already in use.")
STAFF_LANGUAGES = ("id", "en")


def review_workflow_attach(*, pages: list[Page]) -> None:
    """Put `pages` (and so the guides below them) under the medical-review workflow."""
    workflow = Workflow.objects.filter(name=roles.REVIEW_WORKFLOW).first()
    if workflow is None:
        return  # the migration creates it; without it there is nothing to attach
    for page in pages:
        if not WorkflowPage.objects.filter(page=page).exists():
            WorkflowPage.objects.create(page=page, workflow=workflow)


def staff_language(user) -> str:
    """The language of a staff member's emails: their admin language, Indonesian by default."""
    profile = getattr(user, "wagtail_userprofile", None)
    language = getattr(profile, "preferred_language", "") if profile else ""
    return language if language in STAFF_LANGUAGES else settings.LANGUAGE_CODE


def staff_recipients(*, permission: str) -> dict[str, list[str]]:
    """Addresses by language: ASIH_STAFF_EMAILS if set, else every active user who holds
    `permission` ("app_label.codename") through a group or directly, and superusers."""
    configured = [a for a in getattr(settings, "ASIH_STAFF_EMAILS", []) if a]
    if configured:
        return {settings.LANGUAGE_CODE: configured}
    app_label, codename = permission.split(".")
    allowed = Q(is_superuser=True)
    held = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    if held.exists():
        allowed |= Q(user_permissions__in=held) | Q(groups__permissions__in=held)
    users = (
        get_user_model()
        .objects.filter(allowed, is_active=True)
        .exclude(email="")
        .select_related("wagtail_userprofile")
        .distinct()
    )
    by_language: dict[str, set[str]] = defaultdict(set)
    for user in users:
        by_language[staff_language(user)].add(user.email)
    return {language: sorted(emails) for language, emails in sorted(by_language.items())}


def set_password_url(user) -> str:
    """A one-time link (Django's reset token) to choose a password in the admin."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("wagtailadmin_password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return public_url(path)


@transaction.atomic
def staff_member_create(
    *,
    username: str,
    email: str,
    name: str,
    role: str,
    title: str = "",
    credentials: str = "",
    language: str = "",
):
    """Create a staff account in `role` with its public profile and email a set-password link.

    Clinicians get a Clinician profile (name and credentials, shown as a guide's reviewer and
    on their answers); Editors and Front desk a Person profile (name and `title`, e.g.
    "Bidan" or "Admin klinik"). The account has no usable password until the link is followed.
    """
    if role not in roles.ROLES:
        raise ValidationError({"role": ROLE_UNKNOWN})
    if role == roles.CLINICIANS and not credentials.strip():
        raise ValidationError({"credentials": CREDENTIALS_NEEDED})
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": USERNAME_TAKEN})
    first, _, last = name.strip().partition(" ")
    user = User(username=username, email=email, first_name=first[:150], last_name=last[:150])
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    # The admin and staff emails in Indonesian unless the person reads English.
    profile.preferred_language = language if language in STAFF_LANGUAGES else settings.LANGUAGE_CODE
    profile.save()
    locale = Locale.get_default()
    if role == roles.CLINICIANS:
        Clinician.objects.create(
            name=name.strip(),
            credentials=credentials.strip(),
            role=title.strip(),
            user=user,
            locale=locale,
        )
    else:
        Person.objects.create(
            name=name.strip(), role=title.strip() or role, user=user, locale=locale
        )
    staff_email_send(
        users=[user],
        template_prefix="staff/email/welcome",
        context={
            "name": name.strip(),
            "role_label": roles.ROLE_LABELS[role],
            "site_name": settings.WAGTAIL_SITE_NAME,
            "set_password_url": set_password_url(user),
            "username": username,
            "admin_url": public_url(reverse("wagtailadmin_home")),
        },
    )
    return user


def staff_email_send(*, users, template_prefix: str, context: dict) -> None:
    """One email per staff language, each rendered in that language."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for user in users:
        if user.email:
            by_language[staff_language(user)].append(user.email)
    for language, emails in by_language.items():
        send_templated_email(
            to=emails,
            template_prefix=template_prefix,
            context={**context, "language": language},
            language=language,
        )
