"""When what a public page shows changes, the cached copies stop being served.

A publish, unpublish, move or deletion can change many pages at once (menus, stage lists,
related guides, the sitemap and feeds), so it retires every cached page; so do edits of the
snippets and settings that pages display. A change that only one page shows (an approved comment,
a share count) retires that page's paths alone, through `public_content_changed`.

Setting or removing a view restriction retires every cached page too: the restricted page and
its descendants (Wagtail answers them with `no-store` from then on, so no copy is kept again) and
every list, search result or related guide that showed them.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.signals import page_published, page_unpublished, post_page_move

from asih.core.signals import public_content_changed

from .store import get_store

logger = logging.getLogger(__name__)


def retire_everything(**kwargs) -> None:
    try:
        get_store().bump_generation()
    except OSError:
        logger.exception("Could not invalidate the page cache")


def _purge_frontend(pages) -> None:
    """Ask nginx/the CDN to refetch these pages (only when a frontend cache is configured)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    try:
        purge_urls_from_cache([url for url in map(_full_url, pages) if url])
    except Exception:  # a purge that fails leaves the copy to expire (s-maxage); never a 500
        logger.exception("Could not purge the frontend cache")


def _on_publish_change(sender, instance, **kwargs):
    retire_everything()
    # Wagtail's frontend cache refetches the page itself; the pages that list it (its stage,
    # the home page) show its title and summary too.
    _purge_frontend(instance.get_ancestors().filter(depth__gt=1).specific())


def _full_url(page) -> str | None:
    # In the page's own language: the request that changed it (an admin action, say) may be in
    # another, and the URL's language prefix must be the page's.
    with translation.override(page.locale.language_code):
        return page.specific.get_full_url(request=None)


def page_path(page) -> str | None:
    """The path whose version `retire_pages` bumps for this page (None: no public URL)."""
    url = _full_url(page)
    return urlsplit(url).path if url else None


def retire_pages(pages) -> None:
    store = get_store()
    for page in pages:
        path = page_path(page)
        if not path:
            continue
        try:
            store.purge_path(path)
        except OSError:
            logger.exception("Could not invalidate the cached page %s", path)


@receiver(public_content_changed)
def _on_public_content_changed(sender, pages=(), **kwargs):
    pages = list(pages)
    retire_pages(pages)
    _purge_frontend(pages)


page_published.connect(_on_publish_change, dispatch_uid="pagecache-published")
page_unpublished.connect(_on_publish_change, dispatch_uid="pagecache-unpublished")
post_page_move.connect(retire_everything, dispatch_uid="pagecache-moved")


def _retire_unless_default_settings(sender, instance, created=False, **kwargs) -> None:
    # A site's settings row is created with its defaults the first time a page reads it
    # (`for_request`): what pages show does not change, so that render must not retire every
    # page (and every fragment) it is about to store. Any other save or creation does retire.
    if created and _holds_defaults(sender, instance):
        return
    retire_everything()


def _holds_defaults(model, instance) -> bool:
    fresh = model(site_id=getattr(instance, "site_id", None))
    return all(
        field.value_from_object(instance) == field.value_from_object(fresh)
        for field in model._meta.concrete_fields
        if not field.primary_key
    )


def retire_every_page_on_change(model_label: str, *, settings_row: bool = False) -> None:
    """Declare that saving or deleting a `model_label` row changes what many pages show.

    Feature apps call this from their AppConfig.ready() for their snippets and settings, so the
    page cache knows no feature by name. `settings_row=True` for a per-site settings model: its
    first save with the defaults (made when a page first reads it) changes nothing shown.
    """
    on_save = _retire_unless_default_settings if settings_row else retire_everything
    post_save.connect(on_save, sender=model_label, dispatch_uid=f"pc-save-{model_label}")
    post_delete.connect(retire_everything, sender=model_label, dispatch_uid=f"pc-del-{model_label}")


def _on_view_restriction_change(sender, instance, **kwargs) -> None:
    retire_everything()
    try:
        page = instance.page
    except ObjectDoesNotExist:
        return  # the page itself was deleted: its deletion retired everything already
    # A CDN or nginx may hold the restricted pages themselves: refetch each of them.
    _purge_frontend(page.get_descendants(inclusive=True).live().specific())


post_save.connect(
    _on_view_restriction_change,
    sender="wagtailcore.PageViewRestriction",
    dispatch_uid="pagecache-restriction-save",
)
post_delete.connect(
    _on_view_restriction_change,
    sender="wagtailcore.PageViewRestriction",
    dispatch_uid="pagecache-restriction-delete",
)


# Wagtail's own models that every page depends on: sites and languages (links, hreflang) and
# page deletion (a deleted live page vanishes from lists). Feature apps add theirs through
# `retire_every_page_on_change`.
retire_every_page_on_change("wagtailcore.Site")
retire_every_page_on_change("wagtailcore.Locale")
post_delete.connect(retire_everything, sender="wagtailcore.Page", dispatch_uid="pagecache-page-del")
