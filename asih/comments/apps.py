"""App config: registers the comments with the privacy registry (export and erasure)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "asih.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from asih.core import privacy
        from asih.pagecache.invalidation import retire_every_page_on_change

        from . import selectors, services

        privacy.register(
            "comments",
            export=selectors.comments_export_for_email,
            erase=lambda email: services.comment_erase_for_email(email=email),
        )
        privacy.register_retention(
            "unpublished comments", purge=lambda now: services.comments_purge_unpublished(now=now)
        )
        # Comments open or closed: the form on every guide.
        retire_every_page_on_change("comments.CommentSettings", settings_row=True)
