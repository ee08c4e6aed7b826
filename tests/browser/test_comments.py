"""Comments in Chromium: the XSS corpus stays text, the form works with and without JavaScript."""

import json

import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.xss.chromium import injected, new_context, settle
from tests.xss.corpus import normalise, payloads

GUIDE = "/id/setelah-melahirkan/pijat-oksitosin/"
PHONE = {"width": 360, "height": 800}

SEED = """
import json, sys
from asih.comments.models import Comment
from asih.guides.models import GuidePage
page = GuidePage.objects.get(slug="pijat-oksitosin", locale__language_code="id")
Comment.objects.filter(page=page).delete()
rows = json.loads({payload!r})
created = []
for name, body, status, staff, *parent in rows:
    # Optional fifth item: the index of the row this one answers.
    created.append(Comment.objects.create(
        page=page, language="id", name=name[:80], email="x@example.test", body=body,
        status=status, is_staff_answer=staff, staff_name=name[:80] if staff else "",
        staff_role="Bidan" if staff else "", parent=created[parent[0]] if parent else None))
# Written around the services, as a test does: retire the kept pages as they would.
from asih.pagecache.store import get_store
get_store().clear()
"""
COUNT = """
from asih.comments.models import Comment
print(Comment.objects.filter(status={status!r}, body={body!r}).count())
"""
CLEAR = """
from asih.comments.models import Comment
Comment.objects.all().delete()
# Written around the services, as a test does: retire the kept pages as they would.
from asih.pagecache.store import get_store
get_store().clear()
"""


@pytest.fixture
def seed_comments(site_manage):
    def seed(rows):
        site_manage("shell", "--no-imports", "-c", SEED.format(payload=json.dumps(rows)))

    yield seed
    site_manage(
        "shell", "--no-imports", "-c", CLEAR
    )  # other browser tests see the guide without comments


def test_xss_corpus_never_executes(browser, site_url, seed_comments, screenshot_dir):
    corpus = payloads()
    names = [body[:80] for body in corpus]  # the name field holds 80 characters
    rows = [[name, body, "approved", False] for name, body in zip(names, corpus, strict=True)]
    # Every tenth comment gets a clinic answer whose staff name and role are payloads too.
    rows += [[names[n], corpus[n], "approved", True, n] for n in range(0, len(corpus), 10)]
    seed_comments(rows)
    context, watch = new_context(browser, site_url=site_url, viewport=PHONE)
    page = context.new_page()
    shown, authors, banners = [], [], []
    pages = (len(corpus) + 19) // 20
    for number in range(1, pages + 1):
        response = page.goto(f"{site_url}{GUIDE}?komentar={number}", wait_until="networkidle")
        assert response.status == 200
        settle(page, 300)
        page.locator("#komentar").scroll_into_view_if_needed()
        assert injected(page) == []
        hrefs = page.eval_on_selector_all(".comment__body a", "els => els.map(a => a.href)")
        assert all(href.startswith(("http://", "https://")) for href in hrefs)
        assert all(
            rel == "nofollow ugc noopener"
            for rel in page.eval_on_selector_all(".comment__body a", "els => els.map(a => a.rel)")
        )
        shown += page.locator(".comment__body").all_inner_texts()
        authors += page.locator(".comment__author").all_inner_texts()
        if number == 1:
            page.screenshot(path=str(screenshot_dir / "comments-xss-id-phone.png"), full_page=True)
            page.locator("#komentar .comments__list").screenshot(
                path=str(screenshot_dir / "comments-xss-id-phone-section.png")
            )
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        # "Reply" puts the name into the form's banner with JavaScript: as text, never markup.
        banners += page.evaluate(
            """() => [...document.querySelectorAll(".thread > .comment .comment__reply")].map(
                (link) => {
                    link.click();
                    return document.querySelector(".comment-form__replying-text").innerText;
                })"""
        )
        assert injected(page) == []
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    watch.assert_clean()
    # Every payload shows as the literal text that was typed, as a body and as a name.
    texts = {normalise(text) for text in shown}
    assert [body for body in corpus if normalise(body) not in texts] == []
    author_texts = " | ".join(normalise(text) for text in authors)
    assert [name for name in names if normalise(name) not in author_texts] == []
    banner_texts = " | ".join(normalise(text) for text in banners)
    assert len(banners) == len(corpus)
    assert [name for name in names if normalise(name) not in banner_texts] == []
    assert context.cookies() == []
    context.close()


def test_comment_form_with_javascript(
    browser, site_url, site_manage, seed_comments, screenshot_dir
):
    seed_comments(
        [
            ["Ibu Ayu", "Berapa lama sekali pijat?", "approved", False],
            ["Bidan Dewi", "Sekitar 3–5 menit, dua kali sehari.", "approved", True, 0],
        ]
    )
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + GUIDE, wait_until="networkidle")
    assert context.cookies() == []
    assert page.locator(".thread--answered .comment__answered").is_visible()
    assert "Bidan Dewi" in page.locator(".comment--staff .comment__author").inner_text()
    page.locator("#komentar").screenshot(
        path=str(screenshot_dir / "comments-answered-id-phone-section.png")
    )
    # "Reply" moves the form under the comment and names who is answered.
    page.locator(".comment__reply").first.click()
    banner = page.locator(".comment-form__replying")
    assert banner.is_visible()
    assert "Ibu Ayu" in banner.inner_text()
    assert page.locator(".thread .comment-form").count() == 1
    page.locator("#id_name").fill("Ibu Rina")
    page.locator("#id_email").fill("rina@example.test")
    body = "Saya mencoba tadi malam, terima kasih untuk panduannya."
    page.locator("#id_body").fill(body)
    page.locator("#id_follow_replies").check()
    # The timing token arrives when the form is first touched; a person takes a few seconds.
    page.wait_for_function("document.querySelector(\"input[name='started']\").value !== ''")
    page.screenshot(path=str(screenshot_dir / "comments-reply-id-phone.png"), full_page=True)
    page.locator("#komentar").screenshot(
        path=str(screenshot_dir / "comments-reply-id-phone-section.png")
    )
    page.wait_for_timeout(3200)
    page.locator(".comment-form button[type=submit]").click()
    # The sender sees their own words, marked as waiting, and nothing of anyone else's.
    page.wait_for_url("**/id/komentar/terkirim/**")
    own = page.locator("#komentar-terkirim")
    assert own.is_visible()
    assert body in own.inner_text() and "Menunggu persetujuan klinik" in own.inner_text()
    assert "Bidan Dewi" not in page.locator("main").inner_text()
    assert "belum ada komentar" not in page.locator("main").inner_text().lower()
    page.screenshot(path=str(screenshot_dir / "comments-sent-id-phone.png"), full_page=True)
    assert context.cookies() == []
    count = site_manage(
        "shell", "--no-imports", "-c", COUNT.format(status="pending", body=body)
    ).strip()
    assert count == "1"  # a person with JavaScript: waits for moderation, not held as spam
    context.close()


def test_comment_form_without_javascript(
    browser, site_url, site_manage, seed_comments, screenshot_dir
):
    seed_comments([["Ibu Ayu", "Berapa lama sekali pijat?", "approved", False]])
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + GUIDE)
    page.locator(".comment__reply").first.click()
    assert "balas=" in page.url
    assert "Ibu Ayu" in page.locator(".comment-form__replying").inner_text()
    # An error comes back on a short page: the summary first (focused without JavaScript too,
    # through autofocus), the message next to the field, everything typed kept.
    page.locator("#id_name").fill("Ibu Rina")
    page.locator("#id_email").fill("rina@example.test")
    page.locator("#id_body").fill("ok")
    page.locator(".comment-form button[type=submit]").click()
    assert page.title().startswith("Galat: ")
    assert page.evaluate("document.activeElement.classList.contains('form-errors')")
    assert page.locator("#id_body-error").is_visible()
    assert page.locator("#id_name").input_value() == "Ibu Rina"
    assert page.locator("#id_body").input_value() == "ok"
    assert "Ibu Ayu" in page.locator(".comment-form__replying").inner_text()
    page.screenshot(path=str(screenshot_dir / "comments-error-id-phone.png"))
    body = "Tanpa JavaScript pun bisa, ternyata."
    page.locator("#id_body").fill(body)
    page.locator(".comment-form button[type=submit]").click()
    assert body in page.locator("#komentar-terkirim").inner_text()
    # No timing token without JavaScript: held for a moderator, never lost.
    assert (
        site_manage("shell", "--no-imports", "-c", COUNT.format(status="spam", body=body)).strip()
        == "1"
    )
    context.close()


# --- The error pattern, emergency first, limits, bidi (issues 19 and 14) --------------------

ENGLISH_GUIDE = "/en/after-birth/oxytocin-massage/"
ERROR_WORDS = {"id": ("Galat: ", "Tuliskan nama Anda."), "en": ("Error: ", "Enter your name.")}


def _overflow(page) -> int:
    """How far the page's own content (main) reaches past the screen's right edge.

    The header's overflow with phone fonts at 360 px in English is the "pages" helper's fix
    (issue 19 item 1); this measures what these forms add.
    """
    return page.evaluate(
        """Math.ceil(Math.max(0, ...[...document.querySelectorAll('main *')].map(
            (element) => element.getBoundingClientRect().right)) - window.innerWidth)"""
    )


def _reaches_every_field_by_keyboard(page):
    """Focus starts on the summary; Tab reaches each link, Enter puts the focus in its field.

    The error state is also checked with axe-core (no WCAG 2.2 A/AA violation).
    """
    assert_no_axe_violations(page, label="form error state")
    assert page.evaluate("document.activeElement.classList.contains('form-errors')")
    targets = page.eval_on_selector_all(
        ".form-errors a", "links => links.map((link) => link.hash.slice(1))"
    )
    assert targets
    for number, target in enumerate(targets):
        page.locator(".form-errors").focus()
        for _ in range(number + 1):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.hash") == f"#{target}"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == target
        assert page.locator(f"#{target}").is_visible()
    return targets


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_rejected_comment_comes_back_short_with_a_focused_summary(
    browser, site_url, seed_comments, screenshot_dir, language
):
    seed_comments([["Ibu Ayu", "Berapa lama sekali pijat?", "approved", False]])
    guide = GUIDE if language == "id" else ENGLISH_GUIDE
    context = browser.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    page.goto(site_url + guide, wait_until="networkidle")
    # Emergency first: one calm line before the form, with the danger signs and the clinic.
    line = page.locator(".comment-form .not-emergency")
    assert line.is_visible()
    box = page.locator(".comment-form__form").bounding_box()
    assert line.bounding_box()["y"] < box["y"]
    assert line.locator("a[href*='tanda-bahaya'], a[href*='danger-signs']").count() == 1
    line.scroll_into_view_if_needed()
    page.locator(".comment-form").screenshot(
        path=str(screenshot_dir / f"comments-form-{language}-phone.png")
    )
    # A field of spaces: the browser would let it through; the server says what is wrong.
    page.locator("#id_name").fill("     ")
    page.locator("#id_email").fill("bukan-email")
    page.locator("#id_body").fill("   ")
    page.locator(".comment-form button[type=submit]").click()
    page.wait_for_load_state()
    prefix, message = ERROR_WORDS[language]
    assert page.title().startswith(prefix)
    summary = page.locator(".form-errors")
    assert message in summary.inner_text()
    assert summary.bounding_box()["y"] < 800  # on the first screen, not 15,800 px down
    assert page.evaluate("document.documentElement.scrollHeight") < 3000
    assert _overflow(page) <= 0
    page.screenshot(path=str(screenshot_dir / f"comments-errors-{language}-phone.png"))
    targets = _reaches_every_field_by_keyboard(page)
    assert targets == ["id_name", "id_email", "id_body"]
    context.close()


def test_the_counter_the_browser_and_the_server_agree_on_line_breaks(
    browser, site_url, site_manage, seed_comments, screenshot_dir
):
    seed_comments([])
    context = browser.new_context(viewport=PHONE, locale="id")
    page = context.new_page()
    page.goto(site_url + GUIDE, wait_until="networkidle")
    body = page.locator("#id_body")
    assert body.get_attribute("maxlength") == "3000"
    counter = page.locator("#id_body-count")
    assert counter.inner_text() == "3000 karakter tersisa"
    typed = "\n".join(["a" * 49] * 60)  # 2,999 characters with 59 line breaks
    body.fill(typed)
    body.press("End")
    page.keyboard.type("b")  # the 3,000th character: allowed
    page.keyboard.type("c")  # one more: maxlength stops it
    assert page.evaluate("document.querySelector('#id_body').value.length") == 3000
    assert counter.inner_text() == "0 karakter tersisa"
    body.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "comments-counter-id-phone.png"))
    page.locator("#id_name").fill("Ibu Rina")
    page.locator("#id_email").fill("rina@example.test")
    page.wait_for_function("document.querySelector(\"input[name='started']\").value !== ''")
    page.wait_for_timeout(3200)
    page.locator(".comment-form button[type=submit]").click()
    page.wait_for_url("**/komentar/terkirim/**")  # the server took all 3,000
    stored = site_manage(
        "shell",
        "--no-imports",
        "-c",
        "from asih.comments.models import Comment; print(len(Comment.objects.get().body))",
    ).strip()
    assert stored == "3000"
    context.close()


def test_a_name_with_direction_marks_cannot_mirror_the_line(
    browser, site_url, seed_comments, screenshot_dir
):
    rlo = "\u202e"
    seed_comments([[f"Ibu {rlo}ayuS", f"Halo {rlo}olah", "approved", False]])
    context = browser.new_context(viewport=PHONE, locale="id")
    page = context.new_page()
    page.goto(site_url + GUIDE, wait_until="networkidle")
    author = page.locator(".comment__author bdi").first
    assert author.inner_text() == f"Ibu {rlo}ayuS"
    page.locator(".comment__reply").first.click()
    banner = page.locator(".comment-form__replying-text")
    assert banner.locator("bdi").inner_text() == f"Ibu {rlo}ayuS"
    # The words after the name stay in reading order: the banner starts with "Membalas".
    assert banner.inner_text().startswith("Membalas")
    page.locator("#komentar").screenshot(path=str(screenshot_dir / "comments-bidi-id-phone.png"))
    context.close()
