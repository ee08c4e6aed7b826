"""A textarea field whose length limit counts what the reader sees (one character per line break).

Browsers count a line break as one character for `maxlength` and in a textarea's value, but
send it as CR LF: Django would then count two and refuse a text the page had allowed. This
field turns every line break into LF before any check, and gives its widget the wording of the
character counter (asih/static/asih/js/form-guard.js), so counter, browser and server agree.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

# What the counter says; JavaScript puts the number in place of {count}.
CHARACTERS_LEFT = _("{count} characters left")
CHARACTERS_OVER = _("{count} characters too many")


def normalise_line_breaks(value):
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


class TextBoxField(forms.CharField):
    def __init__(self, *, max_length: int, rows: int = 5, widget_attrs=None, **kwargs):
        attrs = {
            "rows": rows,
            "data-count-left": CHARACTERS_LEFT,
            "data-count-over": CHARACTERS_OVER,
            **(widget_attrs or {}),
        }
        super().__init__(max_length=max_length, widget=forms.Textarea(attrs=attrs), **kwargs)

    def to_python(self, value):
        return super().to_python(normalise_line_breaks(value))
