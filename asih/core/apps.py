from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "asih.core"
    label = "core"
    verbose_name = _("Clinic")

    def ready(self):
        from . import admin_csp

        admin_csp.install()
