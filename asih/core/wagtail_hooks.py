"""Admin registration of the people snippets, and the admin's CSP-safe widget starter."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Clinician, Person
from .staff_auth import two_step_settings, two_step_verify


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "role", "locale"]
    search_fields = ["name"]


class ClinicianViewSet(SnippetViewSet):
    model = Clinician
    icon = "user"
    list_display = ["name", "credentials", "locale"]
    search_fields = ["name"]


register_snippet(PersonViewSet)
register_snippet(ClinicianViewSet)


@hooks.register("insert_global_admin_js")
def admin_widget_starter():
    # Replaces Wagtail's inline init scripts (see templates/wagtailadmin/ overrides).
    return format_html('<script src="{}"></script>', static("asih/js/admin-init.js"))


@hooks.register("register_admin_urls")
def two_step_urls():
    return [
        path("two-step/", two_step_settings, name="asih_two_step"),
        path("two-step/verify/", two_step_verify, name="asih_two_step_verify"),
    ]


@hooks.register("register_account_menu_item")
def two_step_account_item(request):
    return {
        "url": reverse("asih_two_step"),
        "label": _("Two-step verification"),
        "help_text": _("Ask for a code from your phone when you sign in."),
    }
