"""Create a staff member with a role and public profile, and email them a set-password link."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from asih.staff import roles
from asih.staff.services import staff_member_create


class Command(BaseCommand):
    help = (
        "Create a staff account in a role (Editors, Clinicians, Front desk) with the name "
        "readers see, and email a link to choose a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="Full name shown to readers")
        parser.add_argument("--role", required=True, choices=roles.ROLES)
        parser.add_argument("--title", default="", help="Role shown to readers, e.g. Bidan")
        parser.add_argument(
            "--credentials", default="", help="Clinicians: credentials shown publicly, e.g. IBCLC"
        )
        parser.add_argument("--language", default="", choices=["", "id", "en"])

    def handle(self, *args, **options):
        try:
            user = staff_member_create(
                username=options["username"],
                email=options["email"],
                name=options["name"],
                role=options["role"],
                title=options["title"],
                credentials=options["credentials"],
                language=options["language"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Created {user.username} ({options['role']}); "
            f"a set-password link went to {user.email}."
        )
