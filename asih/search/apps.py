from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "asih.search"
    # "search" would clash with wagtail.search's label.
    label = "asih_search"
    verbose_name = _("Search and related guides")

    def ready(self):
        from . import handlers

        handlers.connect()
