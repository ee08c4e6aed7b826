"""Admin: the public-profile page, the review and consultation panels on the dashboard, and
the reminder in the page editor when a clinician must complete their profile to approve."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.components import Component

from . import review, roles, views
from .models import PROFILE_NEEDED, ClinicalReviewTask

REVIEW_PANEL_LISTED = 10


@hooks.register("register_admin_urls")
def staff_urls():
    return [path("public-profile/", views.public_profile, name="asih_public_profile")]


@hooks.register("register_account_menu_item")
def public_profile_item(request):
    return {
        "url": reverse("asih_public_profile"),
        "label": _("Public profile"),
        "help_text": _("The name and role readers see on your answers and reviews."),
    }


def can_review(user) -> bool:
    return user.is_superuser or user.groups.filter(name=roles.CLINICIANS).exists()


class ReviewDuePanel(Component):
    name = "guides_review_due"
    template_name = "staff/admin/review_panel.html"
    order = 80

    def __init__(self, *, needs_profile: bool):
        self.needs_profile = needs_profile

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        due = review.guides_due_for_review()
        guides = list(due[:REVIEW_PANEL_LISTED])
        for guide in guides:
            guide.edit_url = reverse("wagtailadmin_pages:edit", args=[guide.pk])
        context.update(
            guides=guides,
            more=max(due.count() - len(guides), 0),
            needs_profile=self.needs_profile,
            profile_url=reverse("asih_public_profile"),
        )
        return context


class NewConsultationsPanel(Component):
    name = "consultations_new"
    template_name = "staff/admin/consultations_panel.html"
    order = 85

    def get_context_data(self, parent_context):
        from asih.leads.models import ConsultationRequest, ConsultationStatus

        context = super().get_context_data(parent_context)
        context["count"] = ConsultationRequest.objects.filter(status=ConsultationStatus.NEW).count()
        context["list_url"] = reverse("leads_consultations:index") + "?status=new"
        return context


@hooks.register("construct_homepage_panels")
def add_staff_panels(request, panels):
    user = request.user
    if can_review(user):
        needs_profile = not user.is_superuser and review.clinician_profile(user) is None
        panels.append(ReviewDuePanel(needs_profile=needs_profile))
    if user.has_perm("leads.view_consultationrequest"):
        panels.append(NewConsultationsPanel())


@hooks.register("before_edit_page")
def ask_for_profile_before_approving(request, page):
    """A clinician reviewing a guide without a public profile is told to complete it."""
    if request.method != "GET":
        return None
    task = page.current_workflow_task
    if not isinstance(getattr(task, "specific", None), ClinicalReviewTask):
        return None
    if task.specific.get_actions(page, request.user) and review.needs_profile_to_approve(
        request.user, page.specific
    ):
        profile_url = reverse("asih_public_profile") + "?next=" + request.path
        messages.warning(
            request,
            PROFILE_NEEDED,
            buttons=[messages.button(profile_url, _("Complete your public profile"))],
        )
    return None
