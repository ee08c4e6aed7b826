"""Admin registration of guide categories and the shared warning-sign lists."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import GuideCategory, WarningSignList


class GuideCategoryViewSet(SnippetViewSet):
    model = GuideCategory
    icon = "tag"
    list_display = ["name", "slug", "locale"]


register_snippet(GuideCategoryViewSet)


class WarningSignListViewSet(SnippetViewSet):
    model = WarningSignList
    icon = "warning"
    list_display = ["name", "heading", "locale"]


register_snippet(WarningSignListViewSet)
