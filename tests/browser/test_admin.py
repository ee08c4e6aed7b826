"""An editor in the Wagtail admin gets a clear message for a step with a negative duration."""

import re

from django.utils import translation

from asih.guides.blocks import STEP_DURATION_NOT_POSITIVE

EDITOR = ("redaksi", "kata-sandi-uji-12345")


def test_negative_step_duration_is_refused_with_a_clear_message(
    browser, site_url, site_manage, screenshot_dir
):
    site_manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model;"
        f"U = get_user_model(); U.objects.filter(username='{EDITOR[0]}').exists() or "
        f"U.objects.create_superuser('{EDITOR[0]}', 'redaksi@example.test', '{EDITOR[1]}')",
    )
    page_id = site_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from asih.guides.models import GuidePage;"
        "print(GuidePage.objects.get(slug='oxytocin-massage').pk)",
    ).strip()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "/admin/login/")
    page.fill("#id_username", EDITOR[0])
    page.fill("#id_password", EDITOR[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")

    page.goto(f"{site_url}/admin/pages/{page_id}/edit/")
    durations = page.locator("input[name$='-value-duration']")
    durations.first.wait_for(state="attached")  # the block editor is drawn by the admin JS
    assert durations.count() == 8
    durations.first.evaluate("element => element.scrollIntoView()")
    durations.first.fill("-5", force=True)
    page.keyboard.press("Control+s")
    messages = set()
    for language in ("en", "id"):
        with translation.override(language):
            messages.add(str(STEP_DURATION_NOT_POSITIVE))
    message = page.locator(".error-message").filter(
        has_text=re.compile("|".join(re.escape(text) for text in messages))
    )
    message.first.wait_for()
    message.first.evaluate("element => element.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(screenshot_dir / "admin-step-duration-error.png"))

    # Nothing was saved: the live page still shows the original first step.
    public = browser.new_page()
    public.goto(site_url + "/en/after-birth/oxytocin-massage/")
    first = public.locator("#step-1 .step__duration time").get_attribute("datetime")
    assert first == "PT20S"
    page.close()
    public.close()


# -- staff flows: an editor submits, a clinician completes their profile and approves -------
WRITER = ("penulis", "kata-sandi-penulis-123")
CLINICIAN = ("bidan-sari", "kata-sandi-bidan-123")


def _sign_in(browser, site_url, account):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "/admin/login/")
    page.fill("#id_username", account[0])
    page.fill("#id_password", account[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def test_a_clinicians_approval_in_review_shows_on_the_page(
    browser, site_url, site_manage, screenshot_dir
):
    site_manage(
        "shell",
        "-c",
        # As a clinic does it: create_staff (role, Indonesian admin), then a password.
        "from django.core.management import call_command;"
        "from django.contrib.auth import get_user_model;"
        "from asih.core.models import Clinician;"
        f"call_command('create_staff', '{WRITER[0]}', 'penulis@example.test', "
        "'--name', 'Dewi Penulis', '--role', 'Editors');"
        f"call_command('create_staff', '{CLINICIAN[0]}', 'sari@example.test', "
        "'--name', 'Sari', '--role', 'Clinicians', '--credentials', 'Bidan');"
        "Clinician.objects.filter(name='Sari').delete();"  # her profile is still to be written
        "U = get_user_model();"
        f"[(u.set_password(p), u.save()) for n, p in ({WRITER!r}, {CLINICIAN!r}) "
        "for u in [U.objects.get(username=n)]]",
    )
    page_id = site_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from asih.guides.models import GuidePage;"
        "print(GuidePage.objects.get(slug='pijat-oksitosin').pk)",
    ).strip()
    public = browser.new_page()
    public.goto(site_url + "/id/setelah-melahirkan/pijat-oksitosin/")
    assert public.locator(".review--pending").count() == 1

    # The editor submits the guide to the medical review (she cannot publish it).
    writer = _sign_in(browser, site_url, WRITER)
    writer.goto(f"{site_url}/admin/pages/{page_id}/edit/")
    submit = writer.locator('button[name="action-submit"]')
    submit.wait_for(state="attached")
    assert "Tinjauan medis" in submit.inner_text()
    assert writer.locator('button[name="action-publish"]').count() == 0
    submit.evaluate("button => button.click()")
    writer.wait_for_url("**/admin/pages/**")
    writer.close()

    # The clinician is asked for her public profile first, then approves.
    clinician = _sign_in(browser, site_url, CLINICIAN)
    clinician.goto(f"{site_url}/admin/pages/{page_id}/edit/")
    assert clinician.locator('button[data-workflow-action-name="approve"]').count() == 0
    prompt = clinician.locator(".messages a[href*='/admin/public-profile/']")
    assert "Lengkapi profil publik Anda" in prompt.first.inner_text()
    prompt.first.click()
    clinician.fill("#id_name", "Sari Wulandari")
    clinician.fill("#id_credentials", "Bidan, IBCLC")
    clinician.locator("form button[type=submit]").last.click()
    clinician.wait_for_url(f"**/admin/pages/{page_id}/edit/")
    approve = clinician.locator('button[data-workflow-action-name="approve"]').first
    approve.wait_for(state="attached")
    approve.evaluate("button => button.click()")
    clinician.wait_for_load_state("networkidle")
    clinician.screenshot(path=str(screenshot_dir / "admin-review-approved.png"))
    clinician.close()

    public.goto(site_url + "/id/setelah-melahirkan/pijat-oksitosin/")
    line = public.locator(".review--done")
    line.wait_for()
    assert "Sari Wulandari, Bidan, IBCLC" in line.inner_text()
    public.screenshot(path=str(screenshot_dir / "guide-reviewed-by-clinician.png"))
    public.close()
