"""The clinic's identity (a site setting) and the people who write and review guides."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index

from .phone import normalise_phone, phone_display

HOURS_CLOSE_BEFORE_OPEN = _("The closing time must be later than the opening time.")
HOURS_DAYS_REVERSED = _("The last day must not come before the first day.")

WEEKDAY_CHOICES = [(str(number), name) for number, name in WEEKDAYS.items()]


def normalise_whatsapp(value: str) -> str:
    """The clinic's number as stored: E.164 without its "+", the form wa.me links take."""
    return normalise_phone(value).removeprefix("+")


class OpeningHoursBlock(blocks.StructBlock):
    first_day = blocks.ChoiceBlock(choices=WEEKDAY_CHOICES, label=_("From"))
    last_day = blocks.ChoiceBlock(choices=WEEKDAY_CHOICES, label=_("To"))
    opens = blocks.TimeBlock(label=_("Opens"))
    closes = blocks.TimeBlock(label=_("Closes"))

    class Meta:
        icon = "time"
        label = _("Opening hours")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if int(value["last_day"]) < int(value["first_day"]):
            errors["last_day"] = ValidationError(HOURS_DAYS_REVERSED)
        if value["opens"] and value["closes"] and value["closes"] <= value["opens"]:
            errors["closes"] = ValidationError(HOURS_CLOSE_BEFORE_OPEN)
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


COUNTRY_CODE_MESSAGE = _("Enter the country as two letters, e.g. ID for Indonesia.")


@register_setting(icon="site")
class ClinicSettings(BaseSiteSetting):
    name = models.CharField(_("clinic name"), max_length=120)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.TextField(
        _("street address"),
        blank=True,
        help_text=_("Street and number (and the village or district); the town goes below."),
    )
    locality = models.CharField(_("town or city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    region = models.CharField(_("province"), max_length=100, blank=True)
    country = models.CharField(
        _("country code"),
        max_length=2,
        default="ID",
        blank=True,
        help_text=_("Two letters (ISO 3166), e.g. ID for Indonesia."),
    )
    whatsapp_number = models.CharField(
        _("WhatsApp number"),
        max_length=20,
        blank=True,
        help_text=_("Indonesian mobile number, e.g. 0812 3456 7890; stored as 62812…"),
    )
    opening_hours = StreamField(
        [("hours", OpeningHoursBlock())], blank=True, verbose_name=_("opening hours")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("locality"),
                FieldPanel("postal_code"),
                FieldPanel("region"),
                FieldPanel("country"),
            ],
            heading=_("address"),
        ),
        FieldPanel("whatsapp_number"),
        FieldPanel("opening_hours"),
    ]

    class Meta:
        verbose_name = _("clinic identity")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.country = self.country.strip().upper()
        if self.country and not (
            len(self.country) == 2 and self.country.isascii() and self.country.isalpha()
        ):
            raise ValidationError({"country": COUNTRY_CODE_MESSAGE})
        if self.whatsapp_number:
            try:
                self.whatsapp_number = normalise_whatsapp(self.whatsapp_number)
            except ValidationError as error:
                raise ValidationError({"whatsapp_number": error.messages}) from error

    @property
    def address_lines(self) -> list[str]:
        """The address as it is written on an envelope: street lines, "town postcode", province."""
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        town = " ".join(part for part in (self.locality, self.postal_code) if part)
        return [*lines, *(line for line in (town, self.region) if line)]

    @property
    def whatsapp_display(self) -> str:
        """+62 812-3456-7890 style, for reading aloud and tapping."""
        return phone_display(self.whatsapp_number) if self.whatsapp_number else ""

    @property
    def whatsapp_url(self) -> str:
        return f"https://wa.me/{self.whatsapp_number}" if self.whatsapp_number else ""


def staff_account_field() -> models.ForeignKey:
    """The admin account of a Person or Clinician: a staff answer then shows their name and role."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "This person's admin account: their answers to readers' questions then show this "
            "name and role."
        ),
    )


class Person(TranslatableMixin, index.Indexed, models.Model):
    """Someone who writes guides for the clinic (shown as the author)."""

    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, help_text=_("e.g. Midwife"))
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = staff_account_field()

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("photo"), FieldPanel("user")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.role})"


class Clinician(TranslatableMixin, index.Indexed, models.Model):
    """A clinician who medically reviews guides; a guide names one only after a real review."""

    name = models.CharField(_("name"), max_length=120)
    credentials = models.CharField(
        _("credentials"), max_length=120, help_text=_("e.g. Sp.OG, IBCLC, Bidan")
    )
    role = models.CharField(_("role"), max_length=120, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = staff_account_field()

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("clinician")
        verbose_name_plural = _("clinicians")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}"


class RateCount(models.Model):
    """One rate-limit counter (asih/core/protection.py) when there is no Redis to share them.

    Several app-server processes serve the embedded mode; a counter in each one's memory would
    let every process accept the full limit. Keys carry their time window, so a row is only
    ever counted up, then deleted once its window has passed.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True)  # Unix time: plain SQL compares it

    def __str__(self):
        return f"{self.key}: {self.count}"
