"""Admin registration of guide categories."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import GuideCategory


class GuideCategoryViewSet(SnippetViewSet):
    model = GuideCategory
    icon = "tag"
    list_display = ["name", "slug", "locale"]


register_snippet(GuideCategoryViewSet)
