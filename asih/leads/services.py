"""Writes: sign-up with double opt-in, consultation requests, privacy requests, purge, erasure."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from asih.core import privacy
from asih.core.localized_urls import reverse_in
from asih.core.mail import Email, email_builder, email_tasks_forget, send_email_later
from asih.core.public_address import public_origin

from .models import ConsultationRequest, PrivacyRequest, SignUp, SignUpLink
from .selectors import stage_page_for
from .tokens import hash_token, new_token

logger = logging.getLogger(__name__)

SIGNUP_LINK_HOURS = 48
# At most one confirmation email per address in this many seconds, however many addresses
# (IPs) the form is sent from: the form cannot be used to flood someone's inbox.
SIGNUP_RESEND_PAUSE = 120
PRIVACY_LINK_HOURS = 24
PURGE_UNCONFIRMED_DAYS = 7
# The privacy page promises consultation requests are kept for at most a year.
PURGE_CONSULTATIONS_DAYS = 365
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


# --- Unsubscribe links: a signed id of the record the email was about, never the address ----

_UNSUBSCRIBE_RECORDS = {"s": SignUp, "c": ConsultationRequest, "p": PrivacyRequest}
_UNSUBSCRIBE_KEYS = {model: key for key, model in _UNSUBSCRIBE_RECORDS.items()}
# Before issue 15 the link carried the (signed, readable) address under this salt; links in
# emails already sent still work.
_LEGACY_UNSUBSCRIBE_SALT = "asih.leads.unsubscribe"
_UNSUBSCRIBE_SALT = "asih.leads.unsubscribe.record"


def unsubscribe_url(*, site_url: str, record, language: str) -> str:
    """The unsubscribe link of an email about `record` (a sign-up, consultation or privacy
    request): it names the record by a signed id, so the link does not show the address."""
    value = {"k": _UNSUBSCRIBE_KEYS[type(record)], "i": record.pk}
    token = signing.dumps(value, salt=_UNSUBSCRIBE_SALT)
    return site_url + reverse_in(language, "leads:unsubscribe", token=token)


_UNSUBSCRIBE_GONE = ""  # a valid link whose record is gone: nothing is held, nothing to stop


def unsubscribe_email_of(token: str) -> str | None:
    """The address an unsubscribe link stands for; "" when its record is gone; None if forged."""
    try:
        value = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        value = None
    if isinstance(value, dict):
        model, pk = _UNSUBSCRIBE_RECORDS.get(value.get("k")), value.get("i")
        if model is None or not isinstance(pk, int) or isinstance(pk, bool):
            return None
        record = model.objects.filter(pk=pk).only("email").first()
        return record.email if record is not None else _UNSUBSCRIBE_GONE
    try:
        email = signing.loads(token, salt=_LEGACY_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    # Only ever an address was signed; anything else is no link of ours.
    return email if isinstance(email, str) and email else None


def _reader_email(*, record, template: str, context: dict, language: str, site_url: str) -> Email:
    # Every email to a reader carries its unsubscribe link, in the body and in the headers.
    stop_url = unsubscribe_url(site_url=site_url, record=record, language=language)
    return Email(
        to=[record.email],
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
    """Create the one sign-up of this address (or find it) and email it a fresh one-time link.

    The link carries exactly the details of this request: following it applies them, and
    nothing else. A new, unconfirmed sign-up shows them at once; a confirmed one keeps its
    details until the link is followed. The previous links stop working. Within the resend
    pause a request changes nothing at all: the link just sent still applies what it was sent
    for, whoever asks again for the same address with other details.
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
    with transaction.atomic():
        signup = SignUp.objects.select_for_update().filter(email=email).first()
        candidate = SignUp(email=email, consented_at=now, **details)
        candidate.full_clean(validate_unique=False, validate_constraints=False)
        if signup is not None:
            last_sent = signup.links.filter(used_at__isnull=True).order_by("-created_at").first()
            if last_sent and now - last_sent.created_at < timedelta(seconds=SIGNUP_RESEND_PAUSE):
                return signup  # no second email, and no change to what the sent link applies
        if signup is None or not signup.is_confirmed:
            signup = signup or SignUp(email=email)
            for key in details:
                setattr(signup, key, getattr(candidate, key))
            signup.consented_at = now
            signup.full_clean()
            signup.save()
        signup.links.all().delete()  # one link works at a time: the newest request's
        _throwaway, placeholder_hash = new_token()
        link = SignUpLink.objects.create(
            signup=signup,
            details=_details_of(candidate, consented_at=now),
            token_hash=placeholder_hash,
            expires_at=now + timedelta(hours=SIGNUP_LINK_HOURS),
        )
        # created_at is the clock's, not `now`: keep them the same for the resend pause.
        SignUpLink.objects.filter(pk=link.pk).update(created_at=now)
        send_email_later(kind="leads.signup_confirm", link_id=link.pk, site_url=site_url)
    return signup


def _details_of(signup: SignUp, *, consented_at) -> dict:
    return {
        "name": signup.name,
        "whatsapp": signup.whatsapp,
        "stage": signup.stage,
        "due_date": _iso(signup.due_date),
        "birth_date": _iso(signup.birth_date),
        "language": signup.language,
        "consent_text": signup.consent_text,
        "consented_at": consented_at.isoformat(),
    }


@email_builder("leads.signup_confirm")
def _signup_confirm_email(*, link_id: int, site_url: str) -> Email | None:
    """The confirmation email: its one-time link is made here, when the task runs, so the task
    queue never holds a token that works."""
    now = timezone.now()
    with transaction.atomic():
        link = (
            SignUpLink.objects.select_for_update()
            .filter(pk=link_id, used_at__isnull=True, expires_at__gt=now)
            .select_related("signup")
            .first()
        )
        if link is None:  # replaced by a newer request, used, expired or erased
            return None
        token, link.token_hash = new_token()
        link.save(update_fields=["token_hash"])
    language = link.details["language"]
    return _reader_email(
        record=link.signup,
        template="signup_confirm",
        # No name: the address is not confirmed yet, so the email carries nothing typed.
        context={
            "confirm_url": site_url + reverse_in(language, "leads:signup_confirm", token=token),
            "hours": SIGNUP_LINK_HOURS,
        },
        language=language,
        site_url=site_url,
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def signup_check(*, token: str, now=None) -> SignUpLink:
    """The confirmation link a token belongs to, or LinkError saying why it cannot be used."""
    now = now or timezone.now()
    link = (
        SignUpLink.objects.filter(token_hash=hash_token(token)).select_related("signup").first()
        if token
        else None
    )
    if link is None:
        raise LinkError("invalid")
    if link.used_at is not None:
        raise LinkError("used")
    if link.expires_at < now:
        raise LinkError("expired")
    return link


def signup_confirm(*, token: str, site_url: str, now=None) -> tuple[SignUp, list[GuidebookLink]]:
    """Confirm a sign-up from its one-time link, with exactly the details that link was sent
    for, and email the download link(s) for its stage."""
    now = now or timezone.now()
    with transaction.atomic():
        link = signup_check(token=token, now=now)
        link = SignUpLink.objects.select_for_update().select_related("signup").get(pk=link.pk)
        if link.used_at is not None:  # a double click raced us
            raise LinkError("used")
        signup = link.signup
        details = link.details
        for key in ("name", "whatsapp", "stage", "language", "consent_text"):
            setattr(signup, key, details[key])
        signup.due_date = date.fromisoformat(details["due_date"]) if details["due_date"] else None
        signup.birth_date = (
            date.fromisoformat(details["birth_date"]) if details["birth_date"] else None
        )
        signup.consented_at = datetime.fromisoformat(details["consented_at"])
        signup.confirmed_at = now
        signup.unsubscribed_at = None  # confirming again is consenting again
        signup.full_clean()
        signup.save()
        link.used_at = now
        link.save(update_fields=["used_at"])
        downloads = guidebook_links(signup)
        send_email_later(kind="leads.signup_download", signup_id=signup.pk, site_url=site_url)
    return signup, downloads


@email_builder("leads.signup_download")
def _signup_download_email(*, signup_id: int, site_url: str) -> Email | None:
    signup = SignUp.objects.filter(pk=signup_id, confirmed_at__isnull=False).first()
    if signup is None:
        return None
    return _reader_email(
        record=signup,
        template="signup_download",
        context={"name": signup.name, "downloads": guidebook_links(signup, site_url=site_url)},
        language=signup.language,
        site_url=site_url,
    )


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
    # Links of confirmed sign-ups that were never followed hold details typed again.
    SignUpLink.objects.filter(expires_at__lt=cutoff).delete()
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
    # each in their own admin language; the task carries the request's id and the language.
    from asih.staff.services import staff_recipients

    languages = list(staff_recipients(permission="leads.view_consultationrequest"))
    for staff_language in languages:
        send_email_later(
            kind="leads.consultation_staff", consultation_id=request.pk, language=staff_language
        )
    if not languages:
        logger.warning("No staff address: nobody was told of consultation %s", request.pk)
    if request.email:
        send_email_later(
            kind="leads.consultation_received", consultation_id=request.pk, site_url=site_url
        )
    return request


@email_builder("leads.consultation_staff")
def _consultation_staff_email(*, consultation_id: int, language: str) -> Email | None:
    from asih.staff.services import staff_recipients

    request = ConsultationRequest.objects.filter(pk=consultation_id).first()
    staff = staff_recipients(permission="leads.view_consultationrequest").get(language, [])
    if request is None or not staff:
        return None
    return Email(
        to=staff,
        template_prefix="leads/email/consultation_staff",
        context={
            "consultation": request,
            "guide": request.guide,
            "step": request.step,
            "admin_url": public_origin() + reverse("leads_consultations:edit", args=[request.pk]),
        },
        language=language,
    )


@email_builder("leads.consultation_received")
def _consultation_received_email(*, consultation_id: int, site_url: str) -> Email | None:
    """The reader's receipt. The address was typed into a public form and never confirmed, so
    the email carries nothing that was typed (no name, number or question): a stranger cannot
    use it to send words of their own to someone else's inbox."""
    request = ConsultationRequest.objects.filter(pk=consultation_id).exclude(email="").first()
    if request is None:
        return None
    return _reader_email(
        record=request,
        template="consultation_received",
        context={"preferred_time": request.get_preferred_time_display()},
        language=request.language,
        site_url=site_url,
    )


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
    _throwaway, placeholder_hash = new_token()
    request = PrivacyRequest(
        email=email,
        kind=kind,
        language=language,
        token_hash=placeholder_hash,
        expires_at=now + timedelta(hours=PRIVACY_LINK_HOURS),
    )
    request.full_clean()
    request.save()
    send_email_later(kind="leads.privacy_confirm", request_id=request.pk, site_url=site_url)
    return request


@email_builder("leads.privacy_confirm")
def _privacy_confirm_email(*, request_id: int, site_url: str) -> Email | None:
    """The link is made when the task runs; the queue never holds one that works."""
    with transaction.atomic():
        request = (
            PrivacyRequest.objects.select_for_update()
            .filter(pk=request_id, used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if request is None:
            return None
        token, request.token_hash = new_token()
        request.save(update_fields=["token_hash"])
    return _reader_email(
        record=request,
        template="privacy_confirm",
        context={
            "kind": request.kind,
            "confirm_url": site_url
            + reverse_in(request.language, "leads:privacy_confirm", token=token),
            "hours": PRIVACY_LINK_HOURS,
        },
        language=request.language,
        site_url=site_url,
    )


def privacy_request_check(*, token: str, now=None) -> PrivacyRequest:
    now = now or timezone.now()
    request = PrivacyRequest.objects.filter(token_hash=hash_token(token)).first() if token else None
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
    rows = []
    for signup in SignUp.objects.filter(email=email).prefetch_related("links"):
        row = _record(signup, _SIGNUP_FIELDS)
        # Details typed again and waiting for their link to be followed are held too.
        row["waiting_for_confirmation"] = [
            {**link.details, "requested_at": link.created_at.isoformat()}
            for link in signup.links.all()
            if link.used_at is None
        ]
        rows.append(row)
    return rows


def signups_erase_for(email: str) -> int:
    signups = SignUp.objects.filter(email=email)
    link_ids = list(SignUpLink.objects.filter(signup__in=signups).values_list("pk", flat=True))
    email_tasks_forget(kind="leads.signup_confirm", key="link_id", ids=link_ids)
    email_tasks_forget(
        kind="leads.signup_download", key="signup_id", ids=signups.values_list("pk", flat=True)
    )
    return _delete_with_history(signups)


def consultations_export_for(email: str) -> list[dict]:
    rows = []
    for request in ConsultationRequest.objects.filter(email=email).select_related("guide"):
        row = _record(request, _CONSULTATION_FIELDS)
        row["guide"] = request.guide.title if request.guide else None
        rows.append(row)
    return rows


def consultations_erase_for(email: str) -> int:
    requests = ConsultationRequest.objects.filter(email=email)
    ids = list(requests.values_list("pk", flat=True))
    for kind in ("leads.consultation_staff", "leads.consultation_received"):
        email_tasks_forget(kind=kind, key="consultation_id", ids=ids)
    return _delete_with_history(requests)


def privacy_requests_export_for(email: str) -> list[dict]:
    return [
        _record(r, ("email", "kind", "created_at", "used_at"))
        for r in PrivacyRequest.objects.filter(email=email)
    ]


def privacy_requests_erase_for(email: str) -> int:
    requests = PrivacyRequest.objects.filter(email=email)
    email_tasks_forget(
        kind="leads.privacy_confirm", key="request_id", ids=requests.values_list("pk", flat=True)
    )
    return _delete_with_history(requests)


def _delete_with_history(queryset) -> int:
    """Delete rows and the admin's audit entries about them (their labels carry names)."""
    ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
    if not ids:
        return 0
    content_type = ContentType.objects.get_for_model(queryset.model)
    ModelLogEntry.objects.filter(content_type=content_type, object_id__in=ids).delete()
    deleted, _counts = queryset.delete()
    return deleted
