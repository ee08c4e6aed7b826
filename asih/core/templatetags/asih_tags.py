"""Template helpers shared by every page: language links, menus, durations, images, hours."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.dates import WEEKDAYS
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page, Site

from asih.core.durations import iso_duration
from asih.core.images import render_image
from asih.core.translations import page_translation_urls, view_translations

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """One link per site language: the page's translation where it has one, else that home."""
    request = context.get("request")
    current = translation.get_language()
    urls = {}
    subpage = context.get("subpage")  # e.g. a guide's session: link to its translation's session
    if isinstance(page, Page) and page.pk:
        urls = page_translation_urls(page, request, subpage=subpage)
    elif request is not None:
        # A form, privacy or search page: the same route in the other language.
        urls = view_translations(request)
    return [
        {
            "code": code,
            "name": name,
            "url": urls.get(code) or f"/{code}/",
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def _localized_home(context):
    """This language's home page, looked up once per request."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_asih_home"):
        request._asih_home = _find_localized_home(
            request, context.get("page"), context.get("ancestors", [])
        )
    return request._asih_home


def _find_localized_home(request, page, ancestors):
    site = Site.find_for_request(request)
    if site is None:
        return None
    root_key = site.root_page.translation_key
    if isinstance(page, Page):
        # The page itself or one of its ancestors is often already this language's home.
        for candidate in (page, *ancestors):
            if candidate.translation_key == root_key:
                return candidate
        filters = {"locale_id": page.locale_id}
    else:
        filters = {"locale__language_code": translation.get_language()}
    return Page.objects.filter(translation_key=root_key, **filters).first()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The children of this language's home page that editors marked 'show in menus'."""
    home = _localized_home(context)
    if home is None:
        return []
    return list(home.get_children().live().public().in_menu().order_by("path"))


@register.simple_tag(takes_context=True)
def home_url(context):
    home = _localized_home(context)
    if home is not None:
        return home.get_url(context.get("request"))
    return f"/{translation.get_language()}/"


@register.filter
def duration(seconds):
    """120 → '2 menit', 75 → '1 menit 15 detik' in the active language."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    minutes, rest = divmod(max(seconds, 0), 60)
    parts = []
    if minutes:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    if rest or not minutes:
        parts.append(ngettext("%(count)d second", "%(count)d seconds", rest) % {"count": rest})
    return " ".join(parts)


register.filter("iso_duration", iso_duration)


@register.simple_tag
def responsive_image(image, alt="", css_class="", sizes="100vw", loading="lazy", fetchpriority=""):
    """An image with width/height: SVGs as they are, others as <picture> with AVIF/WebP."""
    return render_image(
        image,
        alt=alt,
        css_class=css_class,
        sizes=sizes,
        loading=loading,
        fetchpriority=fetchpriority,
    )


@register.simple_tag
def opening_hours(clinic):
    """The clinic's hours as readable rows: ('Senin–Jumat', '08.00–20.00')."""
    rows = []
    for block in getattr(clinic, "opening_hours", None) or []:
        value = block.value
        first, last = int(value["first_day"]), int(value["last_day"])
        days = WEEKDAYS[first] if first == last else f"{WEEKDAYS[first]}–{WEEKDAYS[last]}"
        hours = f"{time_format(value['opens'])}–{time_format(value['closes'])}"
        rows.append({"days": days, "hours": hours})
    return rows


@register.simple_tag
def steps_label(count):
    return ngettext("%(count)d step", "%(count)d steps", count) % {"count": count}


@register.simple_tag
def minutes_range(minimum, maximum):
    if minimum == maximum:
        return ngettext("%(count)d minute", "%(count)d minutes", maximum) % {"count": maximum}
    return _("%(min)d–%(max)d minutes") % {"min": minimum, "max": maximum}


@register.filter
def contains_page(section, page):
    """True when page is section itself or lies below it in the tree."""
    return bool(getattr(page, "path", "")) and page.path.startswith(section.path)
