"""URL map: Indonesian under /id/, English under /en/, the admin outside both."""

import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from asih.core import media, offline, protection
from asih.core.localized_urls import localized_path
from asih.search import views as search_views
from asih.seo import views as seo_views
from asih.sharing import previews as sharing_previews
from asih.sharing import views as sharing_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("manifest.en.webmanifest", offline.manifest, {"language": "en"}, name="manifest_en"),
    path("offline/", offline.offline_page, name="offline"),
    path("api/form-token/", protection.form_token, name="form_token"),
    path("api/share/", sharing_views.share_count, name="share_count"),
    path(
        "og/<int:page_id>-<str:print_>.png",
        sharing_previews.preview_card,
        name="link_preview_card",
    ),
    path(
        "images/<int:image_id>-<int:width>-<str:print_>.png",
        seo_views.image_png,
        name="image_png",
    ),
    path("sitemap.xml", seo_views.sitemap, name="sitemap"),
    path("robots.txt", seo_views.robots_txt, name="robots_txt"),
    path("feeds/<str:language>.xml", seo_views.guide_feed, name="guide_feed"),
    # Indonesian first: the bare domain always opens the Indonesian site, whatever the browser says.
    path("", RedirectView.as_view(url=f"/{settings.LANGUAGE_CODE}/", permanent=False)),
]

if settings.SERVE_MEDIA:
    # Uploads through a view that serves public collections' images only (asih/core/media.py);
    # the nginx recipe sends /media/ here as well, never straight to the folder.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            media.serve_media,
            name="media",
        )
    ]

urlpatterns += i18n_patterns(
    path("", include("asih.leads.urls")),
    path("", include("asih.guidebook.urls")),
    path("", include("asih.comments.urls")),
    path("", include("asih.guides.urls")),
    # Before Wagtail's catch-all: /id/cari/ and /en/search/ (the other slug redirects).
    *localized_path("search/", search_views.search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
