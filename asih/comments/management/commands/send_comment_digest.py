"""`manage.py send_comment_digest`: the staff email about waiting comments, for a timer."""

from django.core.management.base import BaseCommand

from asih.comments.notifications import comment_notify_staff_pending


class Command(BaseCommand):
    help = (
        "Email the moderators when comments arrived since the last digest and wait for "
        "moderation (at most one email per window; run it every few minutes from a timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Send even if a digest went out in this window."
        )

    def handle(self, *args, now=False, **options):
        sent = comment_notify_staff_pending(force=now)
        self.stdout.write("Digest sent." if sent else "Nothing new to send.")
