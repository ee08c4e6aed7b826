"""Links into the sign-up, consultation and privacy pages from guides, the home page and footer."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from asih.core import bidi
from asih.core.models import ClinicSettings

from ..selectors import danger_signs_guide, stage_for_page

register = template.Library()
# Names and user text isolated from the words around them (see asih.core.bidi).
register.filter("bdi", bidi.bdi)
register.filter("isolate", bidi.isolate)


@register.simple_tag
def leads_url(name: str) -> str:
    """A leads page in the current language, e.g. {% leads_url "privacy" %} → /id/privasi/."""
    return reverse(f"leads:{name}")


@register.simple_tag
def guide_cta_urls(guide, stage=None) -> dict:
    """The guide's two calls to action: the sign-up with its stage, the consultation with it.

    Links only, the same for every visitor, so the guide page stays cacheable.
    """
    stage_value = stage_for_page(stage)
    signup = reverse("leads:signup")
    return {
        "signup": signup + (f"?{urlencode({'tahap': stage_value})}" if stage_value else ""),
        "consultation": reverse("leads:consultation") + f"?{urlencode({'panduan': guide.pk})}",
    }


@register.inclusion_tag("leads/includes/not_for_emergencies.html", takes_context=True)
def not_for_emergencies(context):
    """The one calm line before every form that asks the clinic something: not for emergencies.

    Same for every visitor (the clinic's number and the danger-signs guide), so pages that show
    it stay cacheable.
    """
    request = context.get("request")
    guide = danger_signs_guide(translation.get_language() or "id")
    return {
        "danger_url": guide.get_url(request) if guide else "",
        "clinic": ClinicSettings.for_request(request) if request is not None else None,
    }


@register.filter
def field_anchor(bound_field) -> str:
    """The id an error-summary link should reach: the field itself, or a group's first choice.

    Django gives radio buttons no single id (their <label>s each point at one button), so the
    link goes to the first button, where a keyboard user starts choosing.
    """
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"


@register.simple_tag
def error_title_prefix(form=None, rate_limited=False) -> str:
    """ "Error: " before a page's title when its form came back with errors (GOV.UK's pattern)."""
    if (form is not None and form.errors) or rate_limited:
        return _("Error:") + " "
    return ""
