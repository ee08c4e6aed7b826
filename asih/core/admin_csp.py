"""Wagtail admin widgets without inline scripts, so the admin runs under the strict CSP.

Wagtail's chooser widgets (image, page, document, snippet …) end their HTML with an inline
`<script>new ImageChooser(id, options)</script>`. A strict Content-Security-Policy blocks it and
the chooser stays dead. `install()` makes them end with a hidden marker holding the same
constructor name and options instead; `static/asih/js/admin-init.js` makes the same call. The
date/time widgets and inline panels are handled the same way by template overrides in
`core/templates/wagtailadmin/`.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _render_without_inline_script(self, name, value, attrs=None, renderer=None):
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as error:
        raise TypeError("A chooser cannot be rendered without an 'id' attribute") from error
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    marker = format_html(
        '<span hidden data-asih-admin-init="{}" data-target="{}" data-config="{}"></span>',
        self.js_constructor,
        id_,
        json.dumps(self.get_js_init_options(id_, name, value_data)),
    )
    return mark_safe(f"{widget_html}{marker}")  # widget_html is Wagtail's own escaped markup


def install() -> None:
    from wagtail.admin.widgets.chooser import BaseChooser

    BaseChooser.render = _render_without_inline_script
