"""The sign-up form on a 360px phone: Indonesian errors next to the fields, typed values kept."""

from datetime import timedelta
from urllib.parse import urlparse

from django.utils import timezone

PHONE = {"width": 360, "height": 800}
GUIDE = "/id/setelah-melahirkan/pijat-oksitosin/"


def test_sign_up_on_a_phone_from_the_guide(browser, site_url, screenshot_dir):
    context = browser.new_context(viewport=PHONE, locale="id")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(site_url + GUIDE)
    cta = page.locator(".guide-cta")
    cta.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "leads-guide-cta-id-phone.png"))
    cta.get_by_role("link", name="Dapatkan panduan lengkap (PDF)").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/id/daftar/"
    assert page.locator("input[name=stage][value=born]").is_checked()  # from the guide's stage
    assert not page.locator("input[name=consent]").is_checked()

    page.fill("input[name=name]", "Sari Lestari")
    page.fill("input[name=email]", "sari@")
    page.fill("input[name=whatsapp]", "0812 34")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page.fill("input[name=birth_date]", tomorrow)
    page.wait_for_function("document.querySelector('input[name=started]').value !== ''")
    page.wait_for_timeout(3100)  # a person takes longer than the bot trap's minimum
    page.locator("form.leads-form button[type=submit]").click()
    page.wait_for_load_state()

    summary = page.locator(".form-errors")
    assert summary.is_visible()
    assert "Mohon periksa isian" in summary.inner_text()
    errors = {
        "email": "Tuliskan alamat email seperti nama@contoh.com.",
        "whatsapp": "Nomor ini terlalu pendek.",
        "birth_date": "Tanggal lahir tidak boleh di masa depan.",
        "consent": "Mohon centang kotak persetujuan",
    }
    for name, message in errors.items():
        field = page.locator(f".field:has([name={name}])")
        assert message in field.locator(".errorlist").inner_text(), name
    # Everything typed is still there.
    assert page.input_value("input[name=name]") == "Sari Lestari"
    assert page.input_value("input[name=email]") == "sari@"
    assert page.input_value("input[name=whatsapp]") == "0812 34"
    assert page.input_value("input[name=birth_date]") == tomorrow
    assert page.locator("input[name=stage][value=born]").is_checked()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=str(screenshot_dir / "leads-signup-errors-id-phone.png"), full_page=True)

    page.fill("input[name=email]", "sari@example.com")
    page.fill("input[name=whatsapp]", "0812 3456 7890")
    page.fill("input[name=birth_date]", timezone.localdate().isoformat())
    page.check("input[name=consent]")
    page.locator("form.leads-form button[type=submit]").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/id/daftar/terima-kasih/"
    assert page.locator("h1").inner_text() == "Periksa kotak masuk Anda"
    page.screenshot(path=str(screenshot_dir / "leads-signup-thanks-id-phone.png"))

    host = urlparse(site_url).netloc
    assert [url for url in requested if urlparse(url).netloc != host] == []
    context.close()


def test_sign_up_without_javascript_still_works(browser, site_url):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="id")
    page = context.new_page()
    page.goto(site_url + "/id/daftar/?tahap=planning")
    page.fill("input[name=name]", "Dewi")
    page.fill("input[name=email]", "dewi@example.com")
    page.check("input[name=consent]")
    page.locator("form.leads-form button[type=submit]").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/id/daftar/terima-kasih/"
    context.close()


def test_a_question_from_the_guide_and_the_privacy_page_on_a_phone(
    browser, site_url, screenshot_dir
):
    context = browser.new_context(viewport=PHONE, locale="en")
    page = context.new_page()
    page.goto(site_url + "/en/after-birth/oxytocin-massage/")
    page.locator(".guide-cta").get_by_role("link", name="Ask our midwife").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/en/consultation/"
    assert "Oxytocin" in page.locator(".leads__about").inner_text()
    whatsapp = page.locator(".leads__whatsapp a").get_attribute("href")
    assert whatsapp.startswith("https://wa.me/")
    page.fill("input[name=name]", "Sari")
    page.fill("input[name=phone]", "0812-3456-7890")
    page.select_option("select[name=preferred_time]", "evening")
    page.fill("textarea[name=question]", "How often a day should we do the massage?")
    page.screenshot(path=str(screenshot_dir / "leads-consultation-en-phone.png"), full_page=True)
    page.wait_for_function("document.querySelector('input[name=started]').value !== ''")
    page.wait_for_timeout(3100)
    page.locator("form.leads-form button[type=submit]").click()
    page.wait_for_load_state()
    # Consent was not ticked: the message is beside the box and the question is still there.
    consent = page.locator(".field:has([name=consent]) .errorlist")
    assert "tick the box" in consent.inner_text()
    assert page.input_value("textarea[name=question]").startswith("How often a day")
    page.check("input[name=consent]")
    page.locator("form.leads-form button[type=submit]").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/en/consultation/thank-you/"

    page.goto(site_url + "/en/")
    page.locator(".site-footer").get_by_role("link", name="Privacy and your data").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/en/privacy/"
    assert "Law No. 27 of 2022" in page.locator("main").inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=str(screenshot_dir / "leads-privacy-en-phone.png"), full_page=True)
    context.close()
