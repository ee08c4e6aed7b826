"""sitemap.xml with hreflang alternates, robots.txt and an Atom feed of new guides per language.

They live outside i18n_patterns: one sitemap and one robots.txt for the whole site, and the feed's
language comes from its path (/feeds/id.xml), never from the visitor's browser. Every URL in them
comes from the Wagtail Site's root URL, so the bytes are the same for every visitor.
"""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.syndication.views import Feed
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from asih.core.localized_urls import reverse_in
from asih.core.models import ClinicSettings
from asih.core.public_address import public_origin
from asih.guides.models import GuidePage

from . import raster
from .alternates import hreflang_links

FEED_LENGTH = 20  # newest guides per feed; the work per request stays flat as guides grow


def site_for(request) -> Site:
    return Site.find_for_request(request) or Site.objects.get(is_default_site=True)


def feed_title(clinic_name: str) -> str:
    return _("%(clinic)s: new guides") % {"clinic": clinic_name}


# -- sitemap -----------------------------------------------------------------------------------
class TranslatedPagesSitemap(Sitemap):
    """Every live public page in every language, each with its translations as alternates.

    Wagtail's own sitemap lists the Site's root page tree only, that is the Indonesian pages;
    the English tree is the root page's translation, a sibling of it.
    """

    def items(self):
        homes = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_a_home = Q()
        for home in homes:
            in_a_home |= Q(path__startswith=home.path)
        return (
            Page.objects.live()
            .public()
            .filter(in_a_home)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        # Wagtail's _urls plus the alternates, fetched in one query per sitemap page.
        pages = list(self.paginator.page(page).object_list)
        alternates = self._alternates({item.translation_key for item in pages})
        urls, last_mods = [], set()
        for item in pages:
            for url_info in item.get_sitemap_urls(self.request):
                group = alternates.get(item.translation_key)
                if group:
                    url_info = {**url_info, "alternates": group}
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def _alternates(self, translation_keys) -> dict:
        """translation key → hreflang links, from one query for the whole sitemap page."""
        urls_by_key: dict = {}
        translations = (
            Page.objects.live()
            .public()
            .filter(translation_key__in=translation_keys)
            .select_related("locale")
        )
        for translated in translations:
            urls_by_key.setdefault(translated.translation_key, {})[
                translated.locale.language_code
            ] = translated.get_full_url(self.request)
        return {key: hreflang_links(urls) for key, urls in urls_by_key.items()}


class AppPagesSitemap(DjangoSitemap):
    """The pages Django views answer and search engines may index (the forms and the privacy
    page), in every language, each with its translations as alternates."""

    ROUTES = ("leads:consultation", "leads:signup", "leads:privacy")

    def items(self):
        return list(self.ROUTES)

    def _urls(self, page, protocol, domain):
        languages = [code for code, _name in settings.LANGUAGES]
        urls = []
        for route in self.paginator.page(page).object_list:
            locations = {code: public_origin() + reverse_in(code, route) for code in languages}
            alternates = hreflang_links(locations)
            urls.extend(
                {"item": route, "location": location, "lastmod": None, "alternates": alternates}
                for location in locations.values()
            )
        return urls


def sitemap(request):
    return sitemap_views.sitemap(
        request, {"pages": TranslatedPagesSitemap(request), "app-pages": AppPagesSitemap()}
    )


# -- PNG copies of images for the structured data ---------------------------------------------
@require_safe
def image_png(request, image_id: int, width: int, print_: str):
    """An image as PNG (raster.png_of); an unknown image, width or outdated print is a 404."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None or width not in raster.PNG_WIDTHS or print_ != raster.fingerprint(image):
        raise Http404("No such image")
    try:
        data = raster.png_of(image, width)
    except Exception as error:  # an unreadable upload: no copy, never a 500
        raise Http404("This image cannot be drawn") from error
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Robots-Tag"] = "noindex"
    return response


# -- robots.txt -------------------------------------------------------------------------------
def robots_txt(request):
    return TemplateResponse(
        request,
        "seo/robots.txt",
        {"sitemap_url": public_origin() + reverse("sitemap")},
        content_type="text/plain; charset=utf-8",
    )


# -- feeds ------------------------------------------------------------------------------------
class GuideFeed(Feed):
    """The newest guides of one language, as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request, language):
        self.request = request
        locale = Locale.objects.filter(language_code=language).first()
        if locale is None:
            raise Http404("No such language")
        site = site_for(request)
        home = site.root_page.get_translations(inclusive=True).filter(locale=locale).first()
        if home is None:
            raise Http404("No home page in this language")
        return {
            "language": language,
            "locale": locale,
            "home": home,
            "root_url": public_origin(),
            "clinic": ClinicSettings.for_site(site).name or settings.WAGTAIL_SITE_NAME,
        }

    def title(self, obj):
        return feed_title(obj["clinic"])

    def subtitle(self, obj):
        return obj["home"].specific.search_description or _(
            "Guides for before pregnancy, pregnancy and after birth."
        )

    def link(self, obj):
        return obj["home"].get_full_url(self.request)

    def feed_url(self, obj):
        return obj["root_url"] + reverse("guide_feed", kwargs={"language": obj["language"]})

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def author_name(self, obj):
        return obj["clinic"]

    def items(self, obj):
        return list(
            GuidePage.objects.live()
            .public()
            .descendant_of(obj["home"])
            .filter(locale=obj["locale"])
            .select_related("author")
            .prefetch_related("categories")
            .defer_streamfields()
            .order_by(
                F("published_date").desc(nulls_last=True),
                F("first_published_at").desc(nulls_last=True),
                "pk",
            )[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom <summary type="html">: the plain summary escaped once, so readers show it as text.
        return escape(item.summary)

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        if item.published_date:
            return timezone.make_aware(datetime.combine(item.published_date, time.min))
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_author_name(self, item):
        return item.author.name if item.author else None

    def item_categories(self, item):
        return [category.name for category in item.categories.all()]


def guide_feed(request, language):
    if language not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    with translation.override(language):
        response = GuideFeed()(request, language=language)
    response["Content-Language"] = language
    return response
