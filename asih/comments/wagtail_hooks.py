"""Comments in the Wagtail admin: queue URLs, menu item with a count, dashboard panel, audit log."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from . import admin_views, moderation

app_name = "comments_admin"
admin_urlpatterns = [
    path("", admin_views.queue, name="queue"),
    path("bulk/", admin_views.bulk, name="bulk"),
    path("<int:pk>/answer/", admin_views.answer, name="answer"),
    path("<int:pk>/erase/", admin_views.erase, name="erase"),
    # Last: only approve / reject / spam are accepted here (the view refuses anything else).
    path("<int:pk>/<str:action>/", admin_views.moderate, name="moderate"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("comments/", include((admin_urlpatterns, app_name), namespace=app_name))]


class CommentsMenuItem(MenuItem):
    """ "Comments (3)": the label carries the number of comments waiting for a moderator."""

    def is_shown(self, request):
        return moderation.can_moderate(request.user)

    def render_component(self, request):
        count = moderation.waiting_count()
        label = f"{self.label} ({count})" if count else str(self.label)
        return LinkMenuItemComponent(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs={**self.attrs, "data-waiting-comments": str(count)},
        )


@hooks.register("register_admin_menu_item")
def register_comments_menu_item():
    return CommentsMenuItem(
        _("Comments"),
        reverse("comments_admin:queue"),
        name="comments",
        icon_name="comment",
        order=250,
    )


class WaitingCommentsPanel(Component):
    name = "comments_waiting"
    template_name = "comments/admin/dashboard_panel.html"
    order = 90  # above Wagtail's own panels: answering families comes first

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["count"] = moderation.waiting_count()
        context["queue_url"] = reverse("comments_admin:queue") + f"?status={moderation.WAITING}"
        return context


@hooks.register("construct_homepage_panels")
def add_waiting_comments_panel(request, panels):
    if moderation.can_moderate(request.user):
        panels.append(WaitingCommentsPanel())


@hooks.register("register_log_actions")
def register_comment_log_actions(actions):
    actions.register_action(moderation.LOG_APPROVE, _("Approve comment"), _("Comment approved"))
    actions.register_action(moderation.LOG_REJECT, _("Reject comment"), _("Comment rejected"))
    actions.register_action(
        moderation.LOG_SPAM, _("Mark comment as spam"), _("Comment marked as spam")
    )
    actions.register_action(
        moderation.LOG_REPLY, _("Answer comment"), _("Comment answered by the clinic")
    )
    actions.register_action(
        moderation.LOG_ERASE, _("Erase a person's comments"), _("A person's comments erased")
    )


@hooks.register("register_permissions")
def register_comment_permissions():
    # Lets an administrator tick "change comment" for the Editors or Clinicians group.
    return Permission.objects.filter(content_type__app_label="comments", codename="change_comment")
