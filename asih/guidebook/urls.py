"""Public download URL of the complete guide, one slug per language (inside i18n_patterns)."""

from asih.core.localized_urls import localized_path

from . import views

app_name = "guidebook"

urlpatterns = localized_path(
    "complete-guide/download/<str:token>/", views.download, name="download", namespace=app_name
)
