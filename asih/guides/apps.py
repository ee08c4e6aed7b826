"""App config: declares which guide snippets retire every cached page when they change."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "asih.guides"
    label = "guides"
    verbose_name = _("Guides")

    def ready(self):
        from asih.pagecache.invalidation import retire_every_page_on_change

        # Categories show on stage lists and guides; danger-sign lists are shared by guides.
        retire_every_page_on_change("guides.GuideCategory")
        retire_every_page_on_change("guides.WarningSignList")
