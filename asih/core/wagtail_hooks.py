"""Admin registration of the people snippets, and the admin's CSP-safe widget starter."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Clinician, Person


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
