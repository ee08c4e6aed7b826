"""Admin entry for the complete guide: a Reports menu item and its download URLs."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_guidebook_urls():
    # Wagtail wraps these in its admin-access check: anonymous visitors go to the login page.
    return [
        path("guidebook/", admin_views.index, name="guidebook_admin"),
        path(
            "guidebook/<int:stage_id>/<str:language>/",
            admin_views.download,
            name="guidebook_admin_download",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_guidebook_menu_item():
    return MenuItem(
        _("Complete guide (PDF)"), reverse("guidebook_admin"), icon_name="doc-full", order=900
    )
