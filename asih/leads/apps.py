from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "asih.leads"
    label = "leads"
    verbose_name = _("Sign-ups and consultations")

    def ready(self):
        from asih.core import privacy

        from . import services

        privacy.register(
            "sign-ups", export=services.signups_export_for, erase=services.signups_erase_for
        )
        privacy.register(
            "consultations",
            export=services.consultations_export_for,
            erase=services.consultations_erase_for,
        )
        privacy.register(
            "privacy-requests",
            export=services.privacy_requests_export_for,
            erase=services.privacy_requests_erase_for,
        )
        privacy.register_retention(
            "unconfirmed sign-ups",
            purge=lambda now: services.signups_purge_unconfirmed(
                older_than=timedelta(days=services.PURGE_UNCONFIRMED_DAYS), now=now
            ),
        )
        privacy.register_retention(
            "consultation requests",
            purge=lambda now: services.consultations_purge(
                older_than=timedelta(days=services.PURGE_CONSULTATIONS_DAYS), now=now
            ),
        )
