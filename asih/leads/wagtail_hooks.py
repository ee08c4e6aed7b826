"""Admin: sign-ups and consultation requests in a "Readers" menu, the CSV export, its log action."""

import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import ConsultationRequest, SignUp


class ReaderRecordPolicy(ModelPermissionPolicy):
    """Records come only from readers (with their consent): staff never add them by hand."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(SignUp, ReaderRecordPolicy(SignUp), exact_class=True)
register_permission_policy(
    ConsultationRequest, ReaderRecordPolicy(ConsultationRequest), exact_class=True
)


class SignUpFilterSet(WagtailFilterSet):
    confirmed = django_filters.BooleanFilter(
        field_name="confirmed_at", lookup_expr="isnull", exclude=True, label=_("Confirmed")
    )

    class Meta:
        model = SignUp
        fields = ["stage", "language"]


class SignUpIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(admin_views.EXPORT_PERMISSION):
            buttons.append(
                HeaderButton(
                    _("Export confirmed (CSV)"),
                    url=reverse("leads_export_signups"),
                    icon_name="download",
                )
            )
        return buttons


class SignUpViewSet(ModelViewSet):
    model = SignUp
    icon = "mail"
    menu_label = _("Sign-ups")
    index_view_class = SignUpIndexView
    list_display = [
        "name",
        "email",
        Column("stage", label=_("stage"), accessor="get_stage_display"),
        DateColumn("confirmed_at", label=_("confirmed at")),
        DateColumn("created_at", label=_("created")),
    ]
    filterset_class = SignUpFilterSet
    search_fields = ["name", "email"]
    # Staff may correct details; address, consent and tokens stay as the reader gave them.
    form_fields = ["name", "whatsapp", "stage", "due_date", "birth_date", "unsubscribed_at"]
    inspect_view_enabled = True
    add_to_admin_menu = False


class ConsultationViewSet(ModelViewSet):
    model = ConsultationRequest
    icon = "help"
    menu_label = _("Consultation requests")
    list_display = [
        "name",
        "phone",
        Column("guide", label=_("guide")),
        Column("status", label=_("status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("received")),
    ]
    list_filter = ["status", "preferred_time", "language"]
    search_fields = ["name", "phone", "question"]
    form_fields = ["status"]  # the request is the reader's; staff move it along
    inspect_view_enabled = True
    add_to_admin_menu = False


class ReadersGroup(ViewSetGroup):
    menu_label = _("Readers")
    menu_icon = "group"
    menu_order = 250
    items = (
        ConsultationViewSet("leads_consultations", url_prefix="leads/consultations"),
        SignUpViewSet("leads_signups", url_prefix="leads/signups"),
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ReadersGroup()


@hooks.register("register_admin_urls")
def register_export_url():
    return [
        path(
            "leads/export-signups.csv",
            admin_views.export_signups_csv,
            name="leads_export_signups",
        )
    ]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        "leads.export_signups", _("Export sign-ups"), _("Exported confirmed sign-ups as CSV")
    )


@hooks.register("register_permissions")
def register_export_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="leads", codename="export_signups")
