"""The medical-review task: a clinician's approval in it is the guide's medical review."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask

PROFILE_NEEDED = _(
    "Complete your public profile (name and credentials) before approving: the guide will "
    "show it as its medical reviewer."
)


class ClinicalReviewTask(GroupApprovalTask):
    """Group approval whose approval records the reviewer and dates on the approved revision."""

    class Meta:
        verbose_name = _("clinical review")
        verbose_name_plural = _("clinical reviews")

    def get_actions(self, obj, user):
        from .review import needs_profile_to_approve

        actions = super().get_actions(obj, user)
        if actions and needs_profile_to_approve(user, obj):
            # Only "request changes" until the profile exists (the editor says why).
            return [action for action in actions if action[0] != "approve"]
        return actions

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        from .review import guide_review_record, needs_profile_to_approve

        if action_name == "approve":
            obj = task_state.revision.content_object
            if needs_profile_to_approve(user, obj):
                raise PermissionDenied(PROFILE_NEEDED)
            guide_review_record(revision=task_state.revision, user=user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Clinicians approve; the approval is recorded as the guide's medical review.")
