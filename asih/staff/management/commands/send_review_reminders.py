"""Weekly: email the clinicians the guides whose medical review is due or soon due."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from asih.core.public_address import public_url
from asih.staff import roles
from asih.staff.review import guides_due_for_review
from asih.staff.services import staff_email_send

LISTED = 50


class Command(BaseCommand):
    help = "Email the Clinicians the guides due (or soon due) for medical review."

    def handle(self, *args, **options):
        due = guides_due_for_review()
        count = due.count()
        if not count:
            self.stdout.write("No guide is due for review.")
            return
        guides = list(due[:LISTED])
        for guide in guides:
            guide.admin_url = public_url(reverse("wagtailadmin_pages:edit", args=[guide.pk]))
        clinicians = (
            get_user_model()
            .objects.filter(groups__name=roles.CLINICIANS, is_active=True)
            .exclude(email="")
        )
        with transaction.atomic():
            staff_email_send(
                users=list(clinicians.select_related("wagtail_userprofile")),
                template_prefix="staff/email/review_due",
                context={"guides": guides, "count": count},
            )
        self.stdout.write(f"{count} guide(s) due; told {clinicians.count()} clinician(s).")
