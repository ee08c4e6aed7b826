from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidebookConfig(AppConfig):
    name = "asih.guidebook"
    label = "guidebook"
    verbose_name = _("Complete guide (PDF)")

    def ready(self):
        from . import handlers

        handlers.connect()
