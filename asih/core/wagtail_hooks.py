"""Admin registration of the people snippets."""

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
