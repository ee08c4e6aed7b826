"""Signed download links: valid, expired, tampered; and the staff download in the admin."""

import io
import re
import time

import pytest
from django.core import signing
from django.urls import reverse

from asih.guidebook.services import SIGNING_SALT, guidebook_download_path

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

EIGHT_DAYS = 8 * 24 * 3600


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("language", "filename"),
    [("id", "panduan-lengkap-setelah-melahirkan.pdf"), ("en", "complete-guide-after-birth.pdf")],
)
def test_signed_link_downloads_the_pdf_in_its_language(client, after_birth, language, filename):
    response = client.get(guidebook_download_path(stage=after_birth["id"], language=language))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Cache-Control"] == "private"
    assert not response.cookies
    body = _body(response)
    assert body.startswith(b"%PDF")
    assert after_birth[language].title in pdf_text(io.BytesIO(body))


def test_second_download_serves_the_same_file_without_building(
    client, after_birth, guidebook_dir, monkeypatch
):
    path = guidebook_download_path(stage=after_birth["id"], language="id")
    first = _body(client.get(path))
    files = list(guidebook_dir.glob("*.pdf"))
    mtime = files[0].stat().st_mtime_ns
    from asih.guidebook import pdf

    monkeypatch.setattr(pdf, "write_pdf", lambda **kwargs: pytest.fail("rebuilt on download"))
    second = _body(client.get(path))
    assert second == first
    assert list(guidebook_dir.glob("*.pdf")) == files
    assert files[0].stat().st_mtime_ns == mtime


@pytest.mark.parametrize(
    ("language", "heading"),
    [("id", '<html lang="id">'), ("en", '<html lang="en">')],
)
def test_expired_link_says_how_to_get_a_new_one(
    client, after_birth, monkeypatch, language, heading
):
    path = guidebook_download_path(stage=after_birth["id"], language=language)
    later = time.time() + EIGHT_DAYS
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(path)
    assert response.status_code == 410
    html = response.content.decode()
    assert heading in html
    assert "This download link has expired" in html or "kedaluwarsa" in html
    assert f'href="/{language}/' in html
    assert "no-store" in response["Cache-Control"]


def test_link_still_works_just_before_it_expires(client, after_birth, monkeypatch):
    path = guidebook_download_path(stage=after_birth["id"], language="id")
    later = time.time() + 7 * 24 * 3600 - 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.get(path).status_code == 200


def test_tampered_link_is_refused_with_a_page(client, after_birth):
    path = guidebook_download_path(stage=after_birth["id"], language="id")
    token = path.rstrip("/").rsplit("/", 1)[1]
    payload, stamp, signature = token.split(":")
    other_stage = signing.dumps({"s": after_birth["en"].pk, "l": "en"}, salt=SIGNING_SALT)
    for bad in (
        f"{other_stage.split(':')[0]}:{stamp}:{signature}",  # payload swapped
        f"{payload}:{stamp}:{signature[:-2]}xx",  # signature altered
        "not-a-token",
    ):
        response = client.get(f"/id/panduan-lengkap/unduh/{bad}/")
        assert response.status_code == 400, bad
        assert "This download link does not work" in response.content.decode() or (
            "tidak berfungsi" in response.content.decode()
        )


@pytest.mark.parametrize("payload", [{"s": "x", "l": "id"}, {"l": "id"}, {"s": 999999, "l": "id"}])
def test_genuine_token_with_unusable_content_is_refused(client, payload):
    token = signing.dumps(payload, salt=SIGNING_SALT)
    assert client.get(f"/id/panduan-lengkap/unduh/{token}/").status_code == 400


def test_link_to_an_unpublished_stage_is_refused(client, after_birth):
    path = guidebook_download_path(stage=after_birth["id"], language="en")
    after_birth["en"].unpublish()
    assert client.get(path).status_code == 400


def test_admin_download_needs_a_login(client, after_birth):
    url = reverse("guidebook_admin_download", args=[after_birth["id"].pk, "id"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    response = client.get(reverse("guidebook_admin"))
    assert response.status_code == 302


def test_admin_refuses_a_user_without_admin_access(client, after_birth, django_user_model):
    user = django_user_model.objects.create_user("reader", "reader@example.com", "password-123")
    client.force_login(user)
    response = client.get(reverse("guidebook_admin_download", args=[after_birth["id"].pk, "id"]))
    assert response.status_code in (302, 403)
    assert response.get("Content-Type") != "application/pdf"


def test_staff_list_every_stage_and_language_and_download(admin_client, after_birth):
    response = admin_client.get(reverse("guidebook_admin"))
    assert response.status_code == 200
    html = response.content.decode()
    for language in ("id", "en"):
        url = reverse("guidebook_admin_download", args=[after_birth[language].pk, language])
        assert f'href="{url}"' in html
    links = re.findall(r'href="/admin/guidebook/\d+/(id|en)/"', html)
    assert sorted(links) == ["en"] * 3 + ["id"] * 3  # three stages × two languages
    response = admin_client.get(
        reverse("guidebook_admin_download", args=[after_birth["id"].pk, "en"])
    )
    assert response.status_code == 200
    disposition = 'attachment; filename="complete-guide-after-birth.pdf"'
    assert response["Content-Disposition"] == disposition
    assert _body(response).startswith(b"%PDF")


def test_admin_download_of_a_missing_language_is_404(admin_client, after_birth):
    url = reverse("guidebook_admin_download", args=[after_birth["id"].pk, "fr"])
    # Django's locale middleware redirects an admin 404 to /id/…, where it is still a 404.
    assert admin_client.get(url, follow=True).status_code == 404
    url = reverse("guidebook_admin_download", args=[999999, "id"])
    assert admin_client.get(url, follow=True).status_code == 404


def test_staff_see_the_reports_menu_item(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("guidebook_admin") in html
