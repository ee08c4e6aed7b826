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
