"""Keeps the cached PDFs current: a guide published or unpublished queues its stage's rebuild."""

from django.db import transaction
from wagtail.signals import page_published, page_unpublished

from asih.guides.models import GuidePage


def _queue_refresh(sender, instance, **kwargs):
    parent = instance.get_parent()
    if parent is None:
        return
    stage_id, language = parent.pk, instance.locale.language_code

    def enqueue():
        from .tasks import guidebook_refresh_task

        guidebook_refresh_task.enqueue(stage_id, language)

    # After commit, so the task (here or in a worker) sees the new revision.
    transaction.on_commit(enqueue)


def connect():
    page_published.connect(_queue_refresh, sender=GuidePage, dispatch_uid="guidebook_published")
    page_unpublished.connect(_queue_refresh, sender=GuidePage, dispatch_uid="guidebook_unpublished")
