"""App config: registers the share marks' retention (day-old marks are deleted)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "asih.sharing"
    label = "sharing"
    verbose_name = _("Sharing")

    def ready(self):
        from asih.core import privacy

        from . import services

        privacy.register_retention(
            "share dedupe marks", purge=lambda now: services.share_marks_purge(now=now)
        )
