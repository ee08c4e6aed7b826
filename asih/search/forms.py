"""The search form: a GET form whose bad values become messages, never errors to the visitor."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import text

STAGE_UNKNOWN = _("That stage does not exist; showing guides from every stage.")
CATEGORY_UNKNOWN = _("That category does not exist; showing guides from every category.")
QUERY_SHORTENED = _("Your search was long, so only its first %(limit)s characters were used.")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the guides"), required=False, strip=True)
    stage = forms.TypedChoiceField(label=_("Stage"), required=False, coerce=int, empty_value=None)
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, stages=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("All stages"))] + [
            (stage.pk, stage.title) for stage in stages
        ]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (category.pk, category.name) for category in categories
        ]
        self.fields["stage"].error_messages["invalid_choice"] = STAGE_UNKNOWN
        self.fields["category"].error_messages["invalid_choice"] = CATEGORY_UNKNOWN
        self.shortened = False

    def clean_q(self):
        query = self.cleaned_data["q"].replace("\x00", " ")
        if len(query) > text.MAX_QUERY_CHARS:
            self.shortened = True
            query = query[: text.MAX_QUERY_CHARS]
        return query

    def value(self, name):
        """A cleaned value, or None when it was missing or invalid (the message says so)."""
        return getattr(self, "cleaned_data", {}).get(name)
