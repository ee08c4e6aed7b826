"""Sign-ups for the complete guide, consultation requests and privacy requests."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asih.core.phone import normalise_phone
from asih.guides.stages import LifeStage

DUE_DATE_REQUIRED = _("Enter your estimated due date.")
DUE_DATE_PAST = _("The due date has already passed. If your baby is born, choose “Baby born”.")
DUE_DATE_TOO_FAR = _("A due date is at most 10 months from today. Please check the year.")
BIRTH_DATE_REQUIRED = _("Enter your baby’s date of birth.")
BIRTH_DATE_FUTURE = _("The date of birth cannot be in the future.")
BIRTH_DATE_TOO_OLD = _("Our guides cover the first three years. Please check the year.")
CONSENT_REQUIRED = _("Please tick the box to agree, or we cannot send you anything.")

# Plausible ranges: a due date up to 3 weeks overdue and at most ~10 months ahead; a baby up to
# three years old (the guides stop there).
DUE_DATE_OVERDUE_DAYS = 21
DUE_DATE_AHEAD_DAYS = 300
BIRTH_DATE_OLDEST_DAYS = 3 * 366


class Stage(models.TextChoices):
    # The stage pages' values (asih.guides.stages), in the reader's words: a sign-up's stage
    # finds the stage page of the same value.
    PLANNING = LifeStage.PLANNING.value, _("Planning a pregnancy")
    PREGNANT = LifeStage.PREGNANT.value, _("Pregnant")
    BORN = LifeStage.BORN.value, _("Baby born")


class SignUp(models.Model):
    """One reader who asked for the complete guide; one row per (normalised) email address."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    birth_date = models.DateField(_("baby's date of birth"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, default="id")
    consent_text = models.TextField(_("consent given to"))
    consented_at = models.DateTimeField(_("consented at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["-created_at"]
        permissions = [("export_signups", _("Can export confirmed sign-ups as CSV"))]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()
        errors = {}
        if self.whatsapp:
            try:
                self.whatsapp = normalise_phone(self.whatsapp)
            except ValidationError as error:
                errors["whatsapp"] = error.messages
        errors.update(stage_date_errors(self.stage, self.due_date, self.birth_date))
        if self.stage != Stage.PREGNANT:
            self.due_date = None
        if self.stage != Stage.BORN:
            self.birth_date = None
        if errors:
            raise ValidationError(errors)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class SignUpLink(models.Model):
    """One confirmation link, as sent for one request: following it applies exactly the details
    of that request, so nobody who knows an address can change what its owner's click confirms.
    """

    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="links")
    # name, whatsapp, stage, due_date, birth_date, language, consent_text, consented_at (ISO)
    details = models.JSONField(editable=False)
    # Only a hash of the link is kept (a copy of the database cannot confirm anyone); the task
    # that sends the email makes the link and replaces the hash.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(editable=False)
    used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("confirmation link")
        verbose_name_plural = _("confirmation links")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.signup_id} #{self.pk}"


def stage_date_errors(stage: str, due_date: date | None, birth_date: date | None) -> dict:
    """The date the chosen stage needs, within a plausible range (errors by field name)."""
    today = timezone.localdate()
    if stage == Stage.PREGNANT:
        if due_date is None:
            return {"due_date": [DUE_DATE_REQUIRED]}
        if due_date < today - timedelta(days=DUE_DATE_OVERDUE_DAYS):
            return {"due_date": [DUE_DATE_PAST]}
        if due_date > today + timedelta(days=DUE_DATE_AHEAD_DAYS):
            return {"due_date": [DUE_DATE_TOO_FAR]}
    if stage == Stage.BORN:
        if birth_date is None:
            return {"birth_date": [BIRTH_DATE_REQUIRED]}
        if birth_date > today:
            return {"birth_date": [BIRTH_DATE_FUTURE]}
        if birth_date < today - timedelta(days=BIRTH_DATE_OLDEST_DAYS):
            return {"birth_date": [BIRTH_DATE_TOO_OLD]}
    return {}


class PreferredTime(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("Morning (08.00–12.00)")
    AFTERNOON = "afternoon", _("Afternoon (12.00–16.00)")
    EVENING = "evening", _("Evening (16.00–20.00)")


class ConsultationStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    DONE = "done", _("Done")


class ConsultationRequest(models.Model):
    """A reader's question for a midwife or lactation counsellor, from a guide's call to action."""

    name = models.CharField(_("name"), max_length=80)
    phone = models.CharField(_("WhatsApp or phone"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    preferred_time = models.CharField(
        _("preferred time"), max_length=10, choices=PreferredTime.choices, default="any"
    )
    question = models.TextField(_("question"), max_length=1500)
    guide = models.ForeignKey(
        "guides.GuidePage",
        verbose_name=_("guide"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, default="id")
    consent_text = models.TextField(_("consent given to"))
    consented_at = models.DateTimeField(_("consented at"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.NEW,
        db_index=True,
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()
        if self.phone:
            try:
                self.phone = normalise_phone(self.phone, mobile_only=False)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from error


class PrivacyKind(models.TextChoices):
    EXPORT = "export", _("Download a copy of my data")
    ERASE = "erase", _("Erase all my data")


class PrivacyRequest(models.Model):
    """A request to download or erase what is held about an address, confirmed from its inbox."""

    email = models.EmailField(_("email"))
    kind = models.CharField(_("request"), max_length=10, choices=PrivacyKind.choices)
    language = models.CharField(_("language"), max_length=5, default="id")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(editable=False)
    used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()
