"""Wagtail's publish/unpublish/move signals → index and related-guide upkeep (in services)."""

from django.db.models.signals import pre_delete
from wagtail.signals import page_published, page_unpublished, post_page_move


def _published(sender, instance, **kwargs):
    from . import services

    services.guide_published(page=instance)


def _unpublished(sender, instance, **kwargs):
    from . import services

    services.guide_unpublished(page=instance)


def _moved(sender, instance, **kwargs):
    from . import services

    page = instance.specific
    if page.live:
        services.guide_published(page=page)


def connect():
    from asih.guides.models import GuidePage

    page_published.connect(_published, sender=GuidePage, dispatch_uid="asih_search_published")
    page_unpublished.connect(_unpublished, sender=GuidePage, dispatch_uid="asih_search_unpublished")
    post_page_move.connect(_moved, sender=GuidePage, dispatch_uid="asih_search_moved")
    # A deleted guide leaves the lists it was in (the cascade alone would leave them short).
    pre_delete.connect(_unpublished, sender=GuidePage, dispatch_uid="asih_search_deleted")
