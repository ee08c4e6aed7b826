"""The "Shares per guide" report in the admin: who sees it and what it lists."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from asih.sharing.services import share_record

NOW = datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC)
REPORT = "/admin/reports/shares/"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("penulis", "w@example.test", "z" * 12)
    user.groups.add(Group.objects.get(name="Editors"))
    # The admin speaks the user's language; these tests read the English labels.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def shares(oxytocin, guide_pages):
    other = guide_pages.exclude(pk__in=[p.pk for p in oxytocin.values()]).first()
    for visitor in ("a", "b", "c"):
        share_record(page=oxytocin["id"], network="whatsapp", visitor=visitor, now=NOW)
    share_record(page=oxytocin["id"], network="telegram", visitor="d", now=NOW)
    share_record(page=oxytocin["en"], network="facebook", visitor="a", now=NOW)
    for visitor in ("a", "b"):
        share_record(page=other, network="copy", visitor=visitor, now=NOW)
    return {"id": oxytocin["id"], "en": oxytocin["en"], "other": other}


def _row_order(html: str, pages) -> list:
    return sorted(pages, key=lambda page: html.index(f"/admin/pages/{page.pk}/edit/"))


def test_editor_sees_the_report_most_shared_first(client, editor, shares):
    client.force_login(editor)
    response = client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shares per guide" in html
    assert _row_order(html, shares.values()) == [shares["id"], shares["other"], shares["en"]]
    row = html[html.index(f"/admin/pages/{shares['id'].pk}/edit/") :]
    row = row[: row.index("</tr>")]
    cells = [cell.split(">", 1)[1].split("<", 1)[0].strip() for cell in row.split("<td")[1:]]
    # language, total, WhatsApp, Facebook, X, Telegram, email, copy, share menu, last shared
    assert cells[1:9] == ["4", "3", "0", "0", "1", "0", "0", "0"]


def test_report_sorts_by_a_column(client, editor, shares):
    client.force_login(editor)
    html = client.get(REPORT + "?ordering=total").content.decode()
    assert _row_order(html, shares.values()) == [shares["en"], shares["other"], shares["id"]]
    html = client.get(REPORT + "?ordering=facebook").content.decode()
    assert _row_order(html, shares.values())[-1] == shares["en"]


def test_report_is_in_the_reports_menu_for_editors(client, editor):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert REPORT in html and reverse("sharing_report") == REPORT


def test_report_exports_a_spreadsheet(client, editor, shares):
    client.force_login(editor)
    response = client.get(REPORT + "?export=csv")
    assert response.status_code == 200
    # The CSV is written while it streams out: in the language active when it is read.
    with translation.override("en"):
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("Guide,Language,Total,")
    assert lines[1].startswith(f"{shares['id'].title},id,4,3,0,0,1")


def test_admin_user_without_page_permissions_is_refused(client, django_user_model, shares):
    user = django_user_model.objects.create_user("tamu", "t@example.test", "q" * 12)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(REPORT)
    assert response.status_code in (302, 403)
    assert shares["id"].title not in response.content.decode()
    assert REPORT not in client.get("/admin/").content.decode()


def test_anonymous_visitor_is_sent_to_the_login(client, shares):
    response = client.get(REPORT)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
