"""Writes: sign-up with double opt-in, consultation requests, privacy requests, purge, erasure."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from asih.core import privacy
from asih.core.mail import send_templated_email
from asih.core.public_address import public_origin

from .models import ConsultationRequest, PrivacyRequest, SignUp
from .selectors import stage_page_for

logger = logging.getLogger(__name__)

SIGNUP_LINK_HOURS = 48
# At most one confirmation email per address in this many seconds, however many addresses
# (IPs) the form is sent from: the form cannot be used to flood someone's inbox.
SIGNUP_RESEND_PAUSE = 120
PRIVACY_LINK_HOURS = 24
PURGE_UNCONFIRMED_DAYS = 7
# The privacy page promises consultation requests are kept for at most a year.
PURGE_CONSULTATIONS_DAYS = 365
_UNSUBSCRIBE_SALT = "asih.leads.unsubscribe"

LINK_INVALID = _(
    "This link is not valid. Please copy the whole link from the email, or start again."
)
LINK_EXPIRED = _("This link has expired. Please fill in the form again to get a new one.")
LINK_USED = _("This link has already been used.")

# What the consent checkboxes say, kept with each record as the reader saw it.
SIGNUP_CONSENT = _(
    "I agree that the clinic keeps my name, email, WhatsApp number (if given) and stage to send me "
    "the complete guide and, now and then, guidance for my stage by email. I can unsubscribe or "
    "have my data erased at any time."
)
CONSULTATION_CONSENT = _(
    "I agree that the clinic's midwives and lactation counsellors use my name, number, email (if "
    "given) and question to contact me about this question, and keep them for up to one year."
)


class LinkError(Exception):
    """A one-time link that cannot be used; `state` is "invalid", "expired" or "used"."""

    messages = {"invalid": LINK_INVALID, "expired": LINK_EXPIRED, "used": LINK_USED}

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state
        self.message = self.messages[state]


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _hash(token)


def _hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def unsubscribe_url(*, site_url: str, email: str, language: str) -> str:
    from .urls import leads_reverse

    token = signing.dumps(privacy.normalise_email(email), salt=_UNSUBSCRIBE_SALT, compress=True)
    return site_url + leads_reverse("unsubscribe", language, token=token)


def unsubscribe_email_of(token: str) -> str | None:
    try:
        email = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    # Only ever an address was signed; anything else is no link of ours.
    return email if isinstance(email, str) and email else None


def _send(*, to: str, template: str, context: dict, language: str, site_url: str) -> None:
    # Every email to a reader carries its unsubscribe link, in the body and in the headers.
    stop_url = unsubscribe_url(site_url=site_url, email=to, language=language)
    send_templated_email(
        to=[to],
        template_prefix=f"leads/email/{template}",
        context={**context, "site_url": site_url, "unsubscribe_url": stop_url},
        language=language,
        unsubscribe_url=stop_url,
    )


# --- Sign-up -------------------------------------------------------------------------------


def signup_request(
    *,
    name: str,
    email: str,
    stage: str,
    whatsapp: str = "",
    due_date: date | None = None,
    birth_date: date | None = None,
    language: str,
    site_url: str,
    now=None,
) -> SignUp:
    """Create or update the one sign-up of this address and email it a fresh one-time link.

    An unconfirmed sign-up takes the new details at once; a confirmed one keeps its details
    until the new link is followed. Either way the previous link stops working.
    """
    now = now or timezone.now()
    email = privacy.normalise_email(email)
    details = {
        "name": name.strip(),
        "whatsapp": whatsapp.strip(),
        "stage": stage,
        "due_date": due_date,
        "birth_date": birth_date,
        "language": language,
        "consent_text": str(SIGNUP_CONSENT),
    }
    token, token_hash = _new_token()
    with transaction.atomic():
        signup = SignUp.objects.select_for_update().filter(email=email).first()
        if signup is not None and signup.is_confirmed:
            candidate = SignUp(email=email, consented_at=now, **details)
            candidate.full_clean(validate_unique=False, validate_constraints=False)
            signup.pending = {
                **{key: getattr(candidate, key) for key in details},
                "due_date": _iso(candidate.due_date),
                "birth_date": _iso(candidate.birth_date),
                "consented_at": now.isoformat(),
            }
        else:
            signup = signup or SignUp(email=email)
            for key, value in details.items():
                setattr(signup, key, value)
            signup.consented_at = now
            signup.pending = {}
        last_sent = (
            signup.token_expires_at - timedelta(hours=SIGNUP_LINK_HOURS)
            if signup.token_expires_at and signup.token_used_at is None
            else None
        )
        if last_sent and now - last_sent < timedelta(seconds=SIGNUP_RESEND_PAUSE):
            # The link just sent still works and now leads to these details: no second email.
            signup.full_clean()
            signup.save()
            return signup
        signup.token_hash = token_hash
        signup.token_expires_at = now + timedelta(hours=SIGNUP_LINK_HOURS)
        signup.token_used_at = None
        signup.full_clean()
        signup.save()
        link_language = signup.pending.get("language", signup.language)
        from .urls import leads_reverse

        _send(
            to=email,
            template="signup_confirm",
            context={
                "name": details["name"],
                "confirm_url": site_url
                + leads_reverse("signup_confirm", link_language, token=token),
                "hours": SIGNUP_LINK_HOURS,
            },
            language=link_language,
            site_url=site_url,
        )
    return signup


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def signup_check(*, token: str, now=None) -> SignUp:
    """The sign-up a link belongs to, or LinkError saying why it cannot be used."""
    now = now or timezone.now()
    signup = SignUp.objects.filter(token_hash=_hash(token)).first() if token else None
    if signup is None:
        raise LinkError("invalid")
    if signup.token_used_at is not None:
        raise LinkError("used")
    if signup.token_expires_at is None or signup.token_expires_at < now:
        raise LinkError("expired")
    return signup


def signup_confirm(*, token: str, site_url: str, now=None) -> tuple[SignUp, list[GuidebookLink]]:
    """Confirm a sign-up from its one-time link and email the download link(s) for its stage."""
    now = now or timezone.now()
    with transaction.atomic():
        signup = signup_check(token=token, now=now)
        signup = SignUp.objects.select_for_update().get(pk=signup.pk)
        if signup.token_used_at is not None:  # a double click raced us
            raise LinkError("used")
        if signup.pending:
            pending = dict(signup.pending)
            for key in ("name", "whatsapp", "stage", "language", "consent_text"):
                setattr(signup, key, pending[key])
            signup.due_date = (
                date.fromisoformat(pending["due_date"]) if pending["due_date"] else None
            )
            signup.birth_date = (
                date.fromisoformat(pending["birth_date"]) if pending["birth_date"] else None
            )
            signup.consented_at = pending["consented_at"]
            signup.pending = {}
        signup.confirmed_at = now
        signup.token_used_at = now
        signup.unsubscribed_at = None  # confirming again is consenting again
        signup.full_clean()
        signup.save()
        downloads = guidebook_links(signup)
        _send(
            to=signup.email,
            template="signup_download",
            context={
                "name": signup.name,
                "downloads": [
                    GuidebookLink(title=d.title, url=site_url + d.url) for d in downloads
                ],
            },
            language=signup.language,
            site_url=site_url,
        )
    return signup, downloads


@dataclass(frozen=True)
class GuidebookLink:
    title: str
    url: str


def guidebook_links(signup: SignUp, *, site_url: str = "") -> list[GuidebookLink]:
    """The PDF download link(s) for a confirmed reader's stage, in their language."""
    if not signup.is_confirmed:
        return []
    stage_page = stage_page_for(signup.stage, signup.language)
    if stage_page is None:
        return []
    path = guidebook_download_path(stage=stage_page, language=signup.language)
    return [GuidebookLink(title=stage_page.title, url=site_url + path)] if path else []


def guidebook_download_path(*, stage, language: str) -> str:
    """The guidebook app builds the PDF and signs its download link; this is the one call to it."""
    from asih.guidebook.selectors import GuidebookUnavailable
    from asih.guidebook.services import guidebook_download_path as download_path

    try:
        return download_path(stage=stage, language=language)
    except GuidebookUnavailable:  # the stage has no live page in that language
        logger.warning("No complete guide for %s in %s", stage, language)
        return ""


def signup_unsubscribe(*, email: str, now=None) -> int:
    """Stop all email to an address's sign-up (the record stays, marked, until erased)."""
    now = now or timezone.now()
    return SignUp.objects.filter(
        email=privacy.normalise_email(email), unsubscribed_at__isnull=True
    ).update(unsubscribed_at=now)


def signups_purge_unconfirmed(*, older_than: timedelta, now=None) -> int:
    """Delete sign-ups never confirmed within `older_than`, and expired privacy requests."""
    now = now or timezone.now()
    cutoff = now - older_than
    deleted, _counts = SignUp.objects.filter(
        confirmed_at__isnull=True, updated_at__lt=cutoff
    ).delete()
    PrivacyRequest.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


def consultations_purge(*, older_than: timedelta, now=None) -> int:
    """Delete consultation requests received more than `older_than` ago (and their history)."""
    now = now or timezone.now()
    return _delete_with_history(ConsultationRequest.objects.filter(created_at__lt=now - older_than))


# --- Consultation --------------------------------------------------------------------------


def consultation_submit(
    *,
    name: str,
    phone: str,
    question: str,
    preferred_time: str = "any",
    email: str = "",
    guide=None,
    step: int | None = None,
    language: str,
    site_url: str,
    now=None,
) -> ConsultationRequest:
    """Store a question for the clinic, tell the staff, and confirm to the reader if possible."""
    now = now or timezone.now()
    request = ConsultationRequest(
        name=name.strip(),
        phone=phone,
        email=email,
        preferred_time=preferred_time or "any",
        question=question.strip(),
        guide=guide,
        step=step,
        language=language,
        consent_text=str(CONSULTATION_CONSENT),
        consented_at=now,
    )
    request.full_clean()
    request.save()
    # ASIH_STAFF_EMAILS, else everyone who may read consultations (Front desk, Clinicians),
    # each in their own admin language.
    from asih.staff.services import staff_recipients

    staff = staff_recipients(permission="leads.view_consultationrequest")
    context = {"consultation": request, "guide": guide, "step": step}
    for staff_language, addresses in staff.items():
        send_templated_email(
            to=addresses,
            template_prefix="leads/email/consultation_staff",
            context={
                **context,
                "admin_url": public_origin()
                + reverse("leads_consultations:edit", args=[request.pk]),
            },
            language=staff_language,
        )
    if not staff:
        logger.warning("No staff address: nobody was told of consultation %s", request.pk)
    if request.email:
        _send(
            to=request.email,
            template="consultation_received",
            context=context,
            language=language,
            site_url=site_url,
        )
    return request


# --- Privacy requests ----------------------------------------------------------------------


def privacy_request_submit(*, email: str, kind: str, language: str, site_url: str, now=None):
    """Email a one-time link to the address; what it holds is shown only after it is followed."""
    now = now or timezone.now()
    recent = PrivacyRequest.objects.filter(
        email=privacy.normalise_email(email),
        kind=kind,
        used_at__isnull=True,
        created_at__gt=now - timedelta(seconds=SIGNUP_RESEND_PAUSE),
    ).first()
    if recent is not None:  # the link just sent still works: no second email
        return recent
    token, token_hash = _new_token()
    request = PrivacyRequest(
        email=email,
        kind=kind,
        language=language,
        token_hash=token_hash,
        expires_at=now + timedelta(hours=PRIVACY_LINK_HOURS),
    )
    request.full_clean()
    request.save()
    from .urls import leads_reverse

    _send(
        to=request.email,
        template="privacy_confirm",
        context={
            "kind": request.kind,
            "confirm_url": site_url + leads_reverse("privacy_confirm", language, token=token),
            "hours": PRIVACY_LINK_HOURS,
        },
        language=language,
        site_url=site_url,
    )
    return request


def privacy_request_check(*, token: str, now=None) -> PrivacyRequest:
    now = now or timezone.now()
    request = PrivacyRequest.objects.filter(token_hash=_hash(token)).first() if token else None
    if request is None:
        raise LinkError("invalid")
    if request.used_at is not None:
        raise LinkError("used")
    if request.expires_at < now:
        raise LinkError("expired")
    return request


def privacy_request_confirm(*, token: str, now=None) -> tuple[PrivacyRequest, dict]:
    """Carry out a confirmed request: (request, export data) or (request, erased counts)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = privacy_request_check(token=token, now=now)
        request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
        if request.used_at is not None:
            raise LinkError("used")
        if request.kind == "export":
            request.used_at = now
            request.save(update_fields=["used_at"])
            return request, privacy.export_for_email(request.email)
        # The erasure removes this request too (it holds the address); nothing is left to mark.
        return request, privacy.erase_for_email(request.email)


# --- What each table holds about an address (registered in apps.py) ------------------------

_SIGNUP_FIELDS = (
    "email", "name", "whatsapp", "stage", "due_date", "birth_date", "language", "consent_text",
    "consented_at", "confirmed_at", "unsubscribed_at", "created_at", "updated_at",
)  # fmt: skip
_CONSULTATION_FIELDS = (
    "name", "phone", "email", "preferred_time", "question", "step", "language", "consent_text",
    "consented_at", "status", "created_at",
)  # fmt: skip


def _record(obj, fields) -> dict:
    row = {}
    for field in fields:
        value = getattr(obj, field)
        row[field] = value.isoformat() if hasattr(value, "isoformat") else value
    return row


def signups_export_for(email: str) -> list[dict]:
    return [_record(s, _SIGNUP_FIELDS) for s in SignUp.objects.filter(email=email)]


def signups_erase_for(email: str) -> int:
    return _delete_with_history(SignUp.objects.filter(email=email))


def consultations_export_for(email: str) -> list[dict]:
    rows = []
    for request in ConsultationRequest.objects.filter(email=email).select_related("guide"):
        row = _record(request, _CONSULTATION_FIELDS)
        row["guide"] = request.guide.title if request.guide else None
        rows.append(row)
    return rows


def consultations_erase_for(email: str) -> int:
    return _delete_with_history(ConsultationRequest.objects.filter(email=email))


def privacy_requests_export_for(email: str) -> list[dict]:
    return [
        _record(r, ("email", "kind", "created_at", "used_at"))
        for r in PrivacyRequest.objects.filter(email=email)
    ]


def privacy_requests_erase_for(email: str) -> int:
    return _delete_with_history(PrivacyRequest.objects.filter(email=email))


def _delete_with_history(queryset) -> int:
    """Delete rows and the admin's audit entries about them (their labels carry names)."""
    ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
    if not ids:
        return 0
    content_type = ContentType.objects.get_for_model(queryset.model)
    ModelLogEntry.objects.filter(content_type=content_type, object_id__in=ids).delete()
    deleted, _counts = queryset.delete()
    return deleted
