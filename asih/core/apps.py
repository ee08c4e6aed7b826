from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "asih.core"
    label = "core"
    verbose_name = _("Clinic")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import admin_csp, public_address

        admin_csp.install()
        post_migrate.connect(public_address.sync_after_migrate, sender=self)
