"""Public forms: sign-up, consultation request, privacy request (bot traps included)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from asih.core.phone import normalise_phone
from asih.core.protection import BotTrapMixin
from asih.core.textbox import TextBoxField, normalise_line_breaks

from .models import (
    CONSENT_REQUIRED,
    PreferredTime,
    PrivacyKind,
    Stage,
    stage_date_errors,
)
from .services import CONSULTATION_CONSENT, SIGNUP_CONSENT

NAME_REQUIRED = _("Enter your name.")
NAME_TOO_LONG = _("Please keep the name under 80 characters.")
EMAIL_REQUIRED = _("Enter your email address.")
EMAIL_INVALID = _("Enter an email address like nama@contoh.com.")
STAGE_REQUIRED = _("Choose your stage.")
DATE_INVALID = _("Enter the date as day/month/year, e.g. 17/08/2025.")
PHONE_REQUIRED = _("Enter a WhatsApp or phone number so that we can reach you.")
QUESTION_REQUIRED = _("Write your question, even in a few words.")
QUESTION_TOO_LONG = _("Please keep the question under 1500 characters.")
PREFERRED_TIME_INVALID = _("Choose one of the times offered.")
KIND_REQUIRED = _("Choose what you would like us to do.")

# Text beyond these lengths is cut before validation so a pasted novel cannot bloat a re-render.
MAX_FIELD_CHARS = 2000
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class PublicForm(BotTrapMixin, forms.Form):
    """Trims every text field and caps its length; labels without a colon."""

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            for name in self.base_fields:
                value = data.get(name)
                if isinstance(value, str):
                    # Line breaks as one character first, so the cut counts what was typed.
                    data[name] = normalise_line_breaks(value)[:MAX_FIELD_CHARS].strip()
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)


def _name_field():
    return forms.CharField(
        label=_("Your name"),
        max_length=80,
        error_messages={"required": NAME_REQUIRED, "max_length": NAME_TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": DATE_INVALID},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SignUpForm(PublicForm):
    name = _name_field()
    email = forms.EmailField(
        label=_("Email"),
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to confirm it: only then does the guide arrive."),
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp number (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("For example 0812 3456 7890."),
    )
    stage = forms.ChoiceField(
        label=_("Your stage"),
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": STAGE_REQUIRED, "invalid_choice": STAGE_REQUIRED},
    )
    due_date = _date_field(_("Estimated due date (if pregnant)"))
    birth_date = _date_field(_("Baby’s date of birth (if born)"))
    consent = forms.BooleanField(
        label=SIGNUP_CONSENT, error_messages={"required": CONSENT_REQUIRED}
    )

    def clean_whatsapp(self):
        value = self.cleaned_data["whatsapp"]
        return normalise_phone(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        stage = cleaned.get("stage")
        if stage:
            for field, messages in stage_date_errors(
                stage, cleaned.get("due_date"), cleaned.get("birth_date")
            ).items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return cleaned


class ConsultationForm(PublicForm):
    name = _name_field()
    phone = forms.CharField(
        label=_("WhatsApp or phone number"),
        max_length=30,
        error_messages={"required": PHONE_REQUIRED},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("For example 0812 3456 7890."),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        error_messages={"invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("If you give it, we email you a confirmation."),
    )
    preferred_time = forms.ChoiceField(
        label=_("When may we contact you?"),
        choices=PreferredTime.choices,
        initial=PreferredTime.ANY,
        error_messages={"invalid_choice": PREFERRED_TIME_INVALID},
    )
    question = TextBoxField(
        label=_("Your question"),
        max_length=1500,
        error_messages={"required": QUESTION_REQUIRED, "max_length": QUESTION_TOO_LONG},
    )
    consent = forms.BooleanField(
        label=CONSULTATION_CONSENT, error_messages={"required": CONSENT_REQUIRED}
    )
    # Where the reader came from (the guide's call to action); not shown as fields.
    panduan = forms.IntegerField(required=False, widget=forms.HiddenInput)
    langkah = forms.IntegerField(
        required=False, min_value=1, max_value=99, widget=forms.HiddenInput
    )

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"], mobile_only=False)

    def _clean_fields(self):
        super()._clean_fields()
        # A broken hidden guide or step number is dropped, not shown as an error nobody can fix.
        for name in ("panduan", "langkah"):
            if name in self._errors:
                del self._errors[name]
                self.cleaned_data[name] = None


class PrivacyRequestForm(PublicForm):
    email = forms.EmailField(
        label=_("Your email address"),
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "We send a link to this address; the request is carried out only after you follow it."
        ),
    )
    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=PrivacyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": KIND_REQUIRED, "invalid_choice": KIND_REQUIRED},
    )


def model_errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Show a model's validation errors next to the form's fields (or at the top)."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
