"""The guides' own URLs outside Wagtail's page tree: the plan form's POST (no date in a URL)."""

from django.urls import path

from .plan import plan_post

urlpatterns = [
    path("plan/<int:page_id>/", plan_post, name="plan_post"),
]
