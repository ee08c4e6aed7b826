"""Template tags: the search URL of the current language and a guide's related list."""

from django import template

from .. import selectors
from ..views import search_url as _search_url

register = template.Library()


@register.simple_tag
def search_url():
    return _search_url()


@register.inclusion_tag("search/includes/related_guides.html", takes_context=True)
def related_guides(context, page):
    return {"cards": selectors.related_guides_of(page=page, request=context.get("request"))}
