"""Links into the sign-up, consultation and privacy pages from guides, the home page and footer."""

from urllib.parse import urlencode

from django import template
from django.utils import translation

from ..selectors import stage_for_page
from ..urls import leads_reverse

register = template.Library()


@register.simple_tag
def leads_url(name: str) -> str:
    """A leads page in the current language, e.g. {% leads_url "privacy" %} → /id/privasi/."""
    return leads_reverse(name, translation.get_language() or "id")


@register.simple_tag
def guide_cta_urls(guide, stage=None) -> dict:
    """The guide's two calls to action: the sign-up with its stage, the consultation with it.

    Links only, the same for every visitor, so the guide page stays cacheable.
    """
    language = translation.get_language() or "id"
    stage_value = stage_for_page(stage)
    signup = leads_reverse("signup", language)
    return {
        "signup": signup + (f"?{urlencode({'tahap': stage_value})}" if stage_value else ""),
        "consultation": leads_reverse("consultation", language)
        + f"?{urlencode({'panduan': guide.pk})}",
    }
