"""Staff see the admin flow and get its emails in their language, Indonesian by default."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.users.models import UserProfile

from asih.core.public_address import site_sync
from asih.staff import roles

pytestmark = pytest.mark.django_db
PUBLIC = "https://klinik.example.id"


def member(django_user_model, username, role, language=""):
    user = django_user_model.objects.create_user(username, f"{username}@klinik.example", "x" * 12)
    user.groups.add(Group.objects.get(name=role))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def test_review_emails_speak_each_clinicians_language_and_use_the_public_address(
    settings, oxytocin, django_user_model, django_capture_on_commit_callbacks
):
    settings.ASIH_PUBLIC_URL = settings.WAGTAILADMIN_BASE_URL = PUBLIC
    site_sync()
    editor = member(django_user_model, "penulis", roles.EDITORS)
    member(django_user_model, "sari", roles.CLINICIANS)
    member(django_user_model, "anna", roles.CLINICIANS, language="en")
    page = oxytocin["id"]
    page.save_revision(user=editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.get_workflow().start(page, editor)
    by_address = {message.to[0]: message for message in mail.outbox}
    indonesian = by_address["sari@klinik.example"]
    english = by_address["anna@klinik.example"]
    assert 'diajukan untuk disetujui pada tahap "Persetujuan klinisi"' in indonesian.body
    assert "Halo" in indonesian.body and "Ubah halaman itu di sini:" in indonesian.body
    assert "has been submitted for approval" in english.body
    for message in (indonesian, english):
        urls = re.findall(r"https?://\S+", message.body)
        assert urls and all(url.startswith(PUBLIC + "/") for url in urls), urls


def test_the_editor_offers_the_review_in_indonesian(client, oxytocin, django_user_model):
    client.force_login(member(django_user_model, "penulis", roles.EDITORS))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[oxytocin["id"].pk])).content
    assert "Ajukan ke Tinjauan medis" in html.decode()
