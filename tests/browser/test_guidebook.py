"""Staff download the complete guide from the admin; a reader's link downloads it too."""

import io
import re

from pypdf import PdfReader

STAFF = ("klinik-staf", "kata-sandi-uji-67890")


def _text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_staff_download_the_pdf_from_the_reports_menu(
    browser, site_url, site_manage, screenshot_dir, tmp_path
):
    site_manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model;"
        f"U = get_user_model(); U.objects.filter(username='{STAFF[0]}').exists() or "
        f"U.objects.create_superuser('{STAFF[0]}', 'staf@example.test', '{STAFF[1]}')",
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(site_url + "/admin/login/")
    page.fill("#id_username", STAFF[0])
    page.fill("#id_password", STAFF[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(site_url + "/admin/guidebook/")
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 6
    page.screenshot(path=str(screenshot_dir / "admin-guidebook.png"))
    row = rows.filter(has_text=re.compile("Setelah Melahirkan")).filter(has_text="Bahasa Indonesia")
    with page.expect_download() as info:
        row.locator("a.button").click()
    download = info.value
    assert download.suggested_filename == "panduan-lengkap-setelah-melahirkan.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = _text(saved.read_bytes())
    assert "Setelah Melahirkan" in text and "Pijat Oksitosin" in text
    page.close()


def test_reader_link_downloads_and_a_broken_link_explains_itself(
    browser, site_url, site_manage, screenshot_dir
):
    path = site_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from asih.guides.models import StageIndexPage;"
        "from asih.guidebook.services import guidebook_download_path;"
        "stage = StageIndexPage.objects.get(slug='after-birth');"
        "print(guidebook_download_path(stage=stage, language='en'))",
    ).strip()
    assert path.startswith("/en/complete-guide/download/")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    response = page.request.get(site_url + path)
    assert response.status == 200
    assert response.headers["content-disposition"].endswith('"complete-guide-after-birth.pdf"')
    assert "After Birth" in _text(response.body())

    broken = site_url + path[:-6] + "xxxxx/"
    response = page.goto(broken)
    assert response.status == 400
    assert page.locator("h1").inner_text() == "This download link does not work"
    page.screenshot(path=str(screenshot_dir / "guidebook-broken-link.png"), full_page=True)
    page.close()
