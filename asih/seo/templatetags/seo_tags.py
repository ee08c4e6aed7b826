"""{% seo_head %}: canonical and hreflang links, the feed link, JSON-LD and link-preview tags."""

from urllib.parse import urljoin

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page, Site

from asih.core.models import ClinicSettings
from asih.core.public_address import public_origin
from asih.core.translations import live_translations, page_translation_urls, view_translations
from asih.seo import structured_data
from asih.seo.alternates import hreflang_links
from asih.seo.views import feed_title
from asih.sharing.previews import app_page_preview, link_preview

register = template.Library()


def _is_own_url(page: Page, request) -> bool:
    """True on the page's own URL; False on its routed sub-pages (session, plan …)."""
    if getattr(request, "is_preview", False):
        return True
    parts = page.get_url_parts(request=request)
    return bool(parts and parts[2]) and escape_uri_path(request.path) == parts[2]


def hreflang_alternates(page: Page, request=None) -> list[dict]:
    # live() without public(): public() costs one more query on every page view for the rare
    # translation behind a password; the sitemap, fetched far less often, does check it.
    translations = live_translations(page, request)
    return hreflang_links({t.locale.language_code: t.get_full_url(request) for t in translations})


@register.inclusion_tag("seo/head.html", takes_context=True)
def seo_head(context):
    request = context.get("request")
    # Error pages (Django's handlers pass "exception") are not pages to index or to canonicalise.
    if request is None or "exception" in context:
        return {}
    site = Site.find_for_request(request)
    if site is None:
        return {}
    page = context.get("page")
    clinic = ClinicSettings.for_request(request)
    language = page.locale.language_code if isinstance(page, Page) else get_language()
    result = {"canonical": public_origin() + escape_uri_path(request.path)}
    if language in dict(settings.LANGUAGES):
        result["feed"] = {
            "title": feed_title(clinic.name or settings.WAGTAIL_SITE_NAME),
            "url": public_origin() + reverse("guide_feed", kwargs={"language": language}),
        }
    if isinstance(page, Page) and page.pk and _is_own_url(page, request):
        canonical = page.get_full_url(request)
        if canonical:
            result["canonical"] = canonical
            result["alternates"] = hreflang_alternates(page, request)
            ancestors = context.get("ancestors")
            graph = structured_data.page_graph(
                page,
                request=request,
                clinic=clinic,
                # The view's ancestors start below the tree root; the home is among them.
                ancestors=list(ancestors) if ancestors is not None else None,
            )
            if graph:
                result["json_ld"] = mark_safe(structured_data.to_script_json(graph))
    elif isinstance(page, Page) and page.pk and context.get("subpage"):
        # A guide's session or plan: the same sub-page of each translation.
        # The same URLs the language switch gives, made absolute from the public address.
        urls = page_translation_urls(page, request, subpage=context["subpage"])
        result["alternates"] = hreflang_links(
            {code: urljoin(public_origin() + "/", url) for code, url in urls.items()}
        )
    elif not isinstance(page, Page):
        # A Django view (forms, privacy, search): the same route in each language.
        paths = {
            code: public_origin() + url.split("?", 1)[0]
            for code, url in view_translations(request).items()
        }
        result["alternates"] = hreflang_links(paths)
        title = context.get("preview_title") or context.get("document_title")
        if title:
            result["preview"] = app_page_preview(
                title=str(title),
                canonical=result["canonical"],
                clinic=clinic,
                language=language,
                languages=list(paths),
            )
    if isinstance(page, Page) and page.pk:
        languages = [t.locale.language_code for t in live_translations(page, request)]
        result["preview"] = link_preview(
            page=page, canonical=result["canonical"], clinic=clinic, site=site, languages=languages
        )
    return result
