"""The public comment form: the reader's fields plus the shared bot traps."""

from django import forms
from django.core.validators import MinLengthValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from asih.core.protection import BotTrapMixin
from asih.core.textbox import TextBoxField

from .models import BODY_MAX, BODY_MIN, EMAIL_MAX, NAME_MAX, CommentSettings
from .services import PARENT_INVALID_MESSAGE

# The server says what is wrong, in the page's language (the form has `novalidate`, so the
# browser's own bubbles in the browser's language never speak instead).
NAME_REQUIRED = _("Enter your name.")
NAME_TOO_LONG = _("Please keep the name under 80 characters.")
EMAIL_REQUIRED = _("Enter your email address.")
EMAIL_INVALID = _("Enter an email address like nama@contoh.com.")
BODY_REQUIRED = _("Write your comment or question, even in a few words.")
BODY_TOO_SHORT = _("Write a little more: at least %(limit_value)d characters.")
BODY_TOO_LONG = _(
    "Please keep the comment to %(limit_value)d characters; it has %(show_value)d now."
)


class CommentForm(BotTrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        error_messages={"required": NAME_REQUIRED, "max_length": NAME_TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX,
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
        help_text=_("Never published. We use it only to tell you about replies if you ask us to."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    body = TextBoxField(
        label=_("Your comment or question"),
        max_length=BODY_MAX,
        # A validator, not min_length: the message comes with the other errors at once, and no
        # browser-side minlength blocks the form without saying why on some phones.
        validators=[MinLengthValidator(BODY_MIN, message=BODY_TOO_SHORT)],
        error_messages={"required": BODY_REQUIRED, "max_length": BODY_TOO_LONG},
    )
    follow_replies = forms.BooleanField(label=_("Email me when someone replies"), required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    field_order = ["name", "email", "body", "follow_replies"]

    def _clean_fields(self):
        super()._clean_fields()
        # The hidden reply field has nowhere to show its own error: a broken value (not a
        # number, a huge one) would refuse the form with no message at all. Say it at the top.
        if "parent" in self._errors:
            del self._errors["parent"]
            self.add_error(None, PARENT_INVALID_MESSAGE)

    def mark_errors(self) -> None:
        """Point assistive technology at each field's error message."""
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"{self[name].auto_id}-help")
            if self.is_bound and self.errors.get(name):
                field.widget.attrs["aria-invalid"] = "true"
                described.insert(0, f"{self[name].auto_id}-error")
            if described and not field.widget.is_hidden:
                field.widget.attrs["aria-describedby"] = " ".join(described)


# The id of the comment form, where its links and the page after an error land.
FORM_ANCHOR = "form-komentar"


def form_context(*, page, request, form, reply_to) -> dict:
    """What the comment form needs, on the guide and on the page that shows its errors."""
    return {
        "request": request,
        "form": form,
        "reply_to": reply_to,
        "open": CommentSettings.for_request(request).comments_open,
        "post_url": reverse("comments:submit", kwargs={"page_id": page.pk}),
        "page_url": page.get_url(request),
        "form_anchor": FORM_ANCHOR,
    }
