"""App config: the clinic's own models, privacy registrations and what retires every cached page."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "asih.core"
    label = "core"
    verbose_name = _("Clinic")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from asih.pagecache.invalidation import retire_every_page_on_change

        from . import admin_csp, backup, privacy, public_address

        # The clinic's identity and its people appear on every page.
        retire_every_page_on_change("core.ClinicSettings", settings_row=True)
        retire_every_page_on_change("core.Person")
        retire_every_page_on_change("core.Clinician")

        admin_csp.install()
        privacy.register_retention("finished tasks", purge=privacy.task_results_purge)
        privacy.register_retention("staff sign-in records", purge=privacy.sign_in_records_purge)
        # The SQLite file holds every reader's data: readable by the site's user only.
        connection_created.connect(backup.secure_database_files, dispatch_uid="asih-db-0600")
        post_migrate.connect(public_address.sync_after_migrate, sender=self)
