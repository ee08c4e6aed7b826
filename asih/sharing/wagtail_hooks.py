"""Admin: the "Shares per guide" report (Reports menu), for anyone who edits pages."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .models import NETWORKS
from .selectors import share_counts_listing

# The same people who see Wagtail's own page reports: editors, moderators, administrators.
EDITOR_ACTIONS = ["add", "change", "publish"]


def _page_policy():
    return policy_registry.get_by_type(Page)


class ShareReportView(ReportView):
    page_title = _("Shares per guide")
    header_icon = "resubmit"
    index_url_name = "sharing_report"
    index_results_url_name = "sharing_report_results"
    any_permission_required = EDITOR_ACTIONS
    default_ordering = "-total"
    paginate_by = 50
    list_export = (
        ["page.title", "page.locale.language_code", "total"]
        + [code for code, _label in NETWORKS]
        + ["last_shared_at"]
    )
    export_headings = {
        "page.title": _("Guide"),
        "page.locale.language_code": _("Language"),
        "total": _("Total"),
        "last_shared_at": _("Last shared"),
    }

    @cached_property
    def permission_policy(self):
        return _page_policy()

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "guide",
                label=_("Guide"),
                accessor="page.title",
                get_url=lambda row: reverse("wagtailadmin_pages:edit", args=[row.page_id]),
            ),
            Column("language", label=_("Language"), accessor="page.locale.get_display_name"),
            Column("total", label=_("Total"), sort_key="total"),
            *[Column(code, label=label, sort_key=code) for code, label in NETWORKS],
            DateColumn("last_shared_at", label=_("Last shared"), sort_key="last_shared_at"),
        ]

    def get_base_queryset(self):
        return share_counts_listing()


class ShareReportMenuItem(MenuItem):
    def is_shown(self, request):
        return _page_policy().user_has_any_permission(request.user, EDITOR_ACTIONS)


@hooks.register("register_admin_urls")
def register_share_report_urls():
    return [
        path("reports/shares/", ShareReportView.as_view(), name="sharing_report"),
        path(
            "reports/shares/results/",
            ShareReportView.as_view(results_only=True),
            name="sharing_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_share_report_menu_item():
    return ShareReportMenuItem(
        _("Shares per guide"),
        reverse("sharing_report"),
        name="shares-per-guide",
        icon_name="resubmit",
        order=1300,
    )
