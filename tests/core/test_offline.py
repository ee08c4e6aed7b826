"""The service worker, the web app manifest and the offline page, as the server sends them."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from PIL import Image
from wagtail.models import Site

from asih.core import offline
from asih.core.models import ClinicSettings

SW_CONFIG = re.compile(r"\Aconst ASIH_OFFLINE = (\{.*?\});\n", re.S)


def worker(client, **headers):
    response = client.get("/sw.js", **headers)
    assert response.status_code == 200
    config = json.loads(SW_CONFIG.match(response.content.decode()).group(1))
    return response, config


def assert_no_cookie(response):
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


def test_service_worker_is_served_from_the_root_with_its_headers(client, db):
    response, config = worker(client)
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["ETag"] == f'"{config["version"]}"'
    assert config["offlineUrl"] == "/offline/"
    assert config["startUrl"] == "/id/"
    assert_no_cookie(response)


def test_an_unchanged_worker_is_answered_with_304(client, db):
    response, config = worker(client)
    again = client.get("/sw.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert worker(client)[1]["version"] == config["version"]


def test_publishing_a_page_changes_the_worker_version(client, oxytocin):
    _, before = worker(client)
    guide = oxytocin["id"]
    guide.title = "Pijat oksitosin (edisi baru)"
    guide.save_revision().publish()
    response, after = worker(client)
    assert after["version"] != before["version"]
    # The old ETag no longer matches: the browser gets the new bytes and installs the new worker.
    assert client.get("/sw.js", HTTP_IF_NONE_MATCH=f'"{before["version"]}"').status_code == 200


def test_a_draft_does_not_change_the_worker_but_unpublishing_does(client, oxytocin):
    _, before = worker(client)
    guide = oxytocin["en"]
    guide.title = "Draft title nobody sees yet"
    guide.save_revision()
    assert worker(client)[1]["version"] == before["version"]
    guide.refresh_from_db()
    guide.unpublish()
    assert worker(client)[1]["version"] != before["version"]


def test_changing_the_clinic_identity_changes_the_worker_version(client, db):
    _, before = worker(client)
    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    clinic.name = "Klinik Lain"
    clinic.save()
    assert worker(client)[1]["version"] != before["version"]


def test_the_shell_precaches_the_sites_own_assets_only(client, db):
    _, config = worker(client)
    precache = config["precache"]
    assert "/static/asih/js/app.js" in precache
    assert "/static/asih/css/asih.css" in precache
    assert "/static/asih/js/sw-source.js" not in precache
    assert all(url.startswith("/static/asih/") for url in precache)
    assert all(url.endswith((".js", ".css", ".woff2")) for url in precache)


def test_a_changed_static_file_changes_the_worker_version(client, db, tmp_path, settings):
    _, before = worker(client)
    extra = tmp_path / "asih" / "js"
    extra.mkdir(parents=True)
    (extra / "extra-feature.js").write_text("export function init() {}\n")
    with override_settings(STATICFILES_DIRS=[*settings.STATICFILES_DIRS, tmp_path]):
        _, with_file = worker(client)
        assert "/static/asih/js/extra-feature.js" in with_file["precache"]
        assert with_file["version"] != before["version"]
        (extra / "extra-feature.js").write_text("export function init() { return 2; }\n")
        _, edited = worker(client)
        assert edited["version"] not in (before["version"], with_file["version"])


def test_the_worker_source_keeps_private_and_personal_pages_out():
    # The behaviour is proven in tests/browser/test_offline.py; this pins the rules' wording.
    source = open(finders.find(offline.SW_SOURCE)).read()
    assert '"/admin/"' in source and '"/django-admin"' in source and '"/documents/"' in source
    assert '"csrfmiddlewaretoken"' in source
    assert 'request.method !== "GET"' in source
    assert "no-store|private" in source


def test_manifest_describes_an_installable_app(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert_no_cookie(response)
    manifest = json.loads(response.content)
    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    assert manifest["name"] == clinic.name == "Klinik Ibu & Anak Asih (contoh)"
    assert manifest["short_name"] == "Anak Asih"
    assert manifest["start_url"] == "/id/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "id"
    assert manifest["theme_color"] == "#1f6f6b"
    assert manifest["background_color"] == "#fbf6ef"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


@pytest.mark.parametrize(
    ("code", "manifest_url", "description"),
    [
        ("id", "/manifest.webmanifest", "Panduan ibu dan anak"),
        ("en", "/manifest.en.webmanifest", "The clinic's guides"),
    ],
)
def test_each_language_links_its_own_manifest(client, db, code, manifest_url, description):
    # The English site installed as an app opens in English, described in English (issue 20.2).
    page = client.get(f"/{code}/").content.decode()
    assert f'<link rel="manifest" href="{manifest_url}">' in page
    response = client.get(manifest_url)
    assert response.status_code == 200
    assert_no_cookie(response)
    manifest = json.loads(response.content)
    assert manifest["start_url"] == manifest["id"] == f"/{code}/"
    assert manifest["lang"] == code
    assert manifest["description"].startswith(description)
    assert client.get(manifest["start_url"]).status_code == 200


def test_manifest_icons_exist_at_their_declared_sizes(client, db):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert "x".join(map(str, image.size)) == icon["sizes"]
            if icon["purpose"] == "maskable":
                # Full bleed: no transparent corner for the launcher's mask to reveal.
                assert image.convert("RGBA").getpixel((0, 0))[3] == 255
        assert client.get(icon["src"]).status_code == 200


def test_manifest_falls_back_to_asih_without_a_clinic_name(client, db):
    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    clinic.name = ""
    clinic.save()
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["name"] == manifest["short_name"] == "Asih"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Klinik Ibu & Anak Asih (contoh)", "Anak Asih"),
        ("RSIA Harapan Kita", "Harapan Kita"),
        ("Asih", "Asih"),
        ("Supercalifragilistic", "Supercalifra"),
    ],
)
def test_short_name_keeps_the_clinics_own_name(name, short):
    assert offline.short_app_name(name) == short
    assert len(offline.short_app_name(name)) <= offline.SHORT_NAME_MAX


def test_offline_page_is_bilingual_static_and_cookie_free(client, db):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert_no_cookie(response)
    html = response.content.decode()
    assert '<html lang="id"' in html
    assert "Anda sedang offline" in html and 'lang="en"' in html and "You are offline" in html
    assert "csrfmiddlewaretoken" not in html
    # Strict CSP: no inline script or style.
    assert "style=" not in html
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_guide_pages_name_their_session_view_for_offline(client, oxytocin):
    for guide in oxytocin.values():
        html = client.get(guide.url).content.decode()
        # Inside the article (its session-start box), the only element that names any.
        article = html.split('<article class="guide">', 1)[1].split("</article>", 1)[0]
        assert len(re.findall(r"data-offline-urls=", html)) == 1
        urls = re.search(r'data-offline-urls="([^"]+)"', article).group(1)
        assert urls.split() == [guide.subpage_url("session")]


def test_every_page_links_the_manifest_and_home_screen_icons(client, oxytocin):
    html = client.get(oxytocin["id"].url).content.decode()
    head = html.split("</head>")[0]
    assert '<link rel="manifest" href="/manifest.webmanifest">' in head
    assert 'rel="apple-touch-icon" href="/static/asih/icons/apple-touch-icon.png"' in head
    assert finders.find("asih/icons/apple-touch-icon.png")
