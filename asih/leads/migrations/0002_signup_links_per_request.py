"""One confirmation link per request, holding the details it was sent for (issue 15, item 10).

A link already sent and still usable keeps working: it moves to its own row with the details
it would have applied (the confirmed reader's pending details, else the record's own).
"""

import django.db.models.deletion
from django.db import migrations, models

DETAIL_FIELDS = ("name", "whatsapp", "stage", "language", "consent_text")


def move_open_links(apps, schema_editor):
    SignUp = apps.get_model("leads", "SignUp")
    SignUpLink = apps.get_model("leads", "SignUpLink")
    open_links = SignUp.objects.exclude(token_hash="").filter(
        token_used_at__isnull=True, token_expires_at__isnull=False
    )
    for signup in open_links:
        details = dict(signup.pending) if signup.pending else {
            **{key: getattr(signup, key) for key in DETAIL_FIELDS},
            "due_date": signup.due_date.isoformat() if signup.due_date else None,
            "birth_date": signup.birth_date.isoformat() if signup.birth_date else None,
            "consented_at": signup.consented_at.isoformat(),
        }
        SignUpLink.objects.create(
            signup=signup,
            details=details,
            token_hash=signup.token_hash,
            expires_at=signup.token_expires_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SignUpLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("details", models.JSONField(editable=False)),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("expires_at", models.DateTimeField(editable=False)),
                ("used_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("signup", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="links", to="leads.signup")),
            ],
            options={
                "verbose_name": "confirmation link",
                "verbose_name_plural": "confirmation links",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RunPython(move_open_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="signup", name="pending"),
        migrations.RemoveField(model_name="signup", name="token_expires_at"),
        migrations.RemoveField(model_name="signup", name="token_hash"),
        migrations.RemoveField(model_name="signup", name="token_used_at"),
    ]
