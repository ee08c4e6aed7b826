"""URLs of the comment form (inside the language prefix: /id/komentar/kirim/<page>/)."""

from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("komentar/kirim/<int:page_id>/", views.comment_post, name="submit"),
    path("komentar/terkirim/<str:token>/", views.comment_sent, name="sent"),
]
