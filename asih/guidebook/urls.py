"""Public download URLs of the complete guide, one slug per language (inside i18n_patterns)."""

from django.urls import path

from . import views

app_name = "guidebook"

urlpatterns = [
    path("panduan-lengkap/unduh/<str:token>/", views.download, name="download_id"),
    path("complete-guide/download/<str:token>/", views.download, name="download_en"),
]
