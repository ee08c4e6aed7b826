"""URLs of the comment form, one slug per language (inside i18n_patterns: /id/komentar/kirim/…)."""

from asih.core.localized_urls import localized_path

from . import unsubscribe, views

app_name = "comments"
urlpatterns = [
    *localized_path(
        "comment/send/<int:page_id>/", views.comment_post, name="submit", namespace=app_name
    ),
    *localized_path(
        "comment/sent/<str:token>/", views.comment_sent, name="sent", namespace=app_name
    ),
    *localized_path(
        "comment/unsubscribe/<str:token>/",
        unsubscribe.unsubscribe_view,
        name="unsubscribe",
        namespace=app_name,
    ),
    *localized_path(
        "comment/follow/<str:token>/",
        unsubscribe.follow_confirm_view,
        name="follow_confirm",
        namespace=app_name,
    ),
]
