"""Comments in Chromium: the XSS corpus stays text, the form works with and without JavaScript."""

import json
from urllib.parse import urlparse

import pytest

from tests.xss.corpus import MARKER, payloads

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
"""
COUNT = """
from asih.comments.models import Comment
print(Comment.objects.filter(status={status!r}, body={body!r}).count())
"""
CLEAR = """
from asih.comments.models import Comment
Comment.objects.all().delete()
"""


@pytest.fixture
def seed_comments(site_manage):
    def seed(rows):
        site_manage("shell", "--no-imports", "-c", SEED.format(payload=json.dumps(rows)))

    yield seed
    site_manage(
        "shell", "--no-imports", "-c", CLEAR
    )  # other browser tests see the guide without comments


def _watch(page):
    """Record dialogs and calls of the marker function the payloads try to reach."""
    events = {"dialogs": [], "requests": []}
    page.on("dialog", lambda dialog: (events["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: events["requests"].append(request.url))
    page.add_init_script("window.__xssHits = []; window.__xss = (n) => window.__xssHits.push(n);")
    return events


def test_xss_corpus_never_executes(browser, site_url, seed_comments, screenshot_dir):
    corpus = payloads()
    seed_comments([[f"Pembaca {n}", body, "approved", False] for n, body in enumerate(corpus)])
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    events = _watch(page)
    shown = []
    pages = (len(corpus) + 19) // 20
    for number in range(1, pages + 1):
        response = page.goto(f"{site_url}{GUIDE}?komentar={number}", wait_until="networkidle")
        assert response.status == 200
        # Give event handlers (onerror, onload, autofocus, animations) a moment to fire.
        page.wait_for_timeout(300)
        page.locator("#komentar").scroll_into_view_if_needed()
        injected = page.evaluate(
            """(marker) => document.querySelectorAll(
                `#${marker}, .${marker}, [data-x], #komentar script, #komentar img, #komentar svg,
                 #komentar iframe, #komentar object, #komentar embed, #komentar style,
                 #komentar [style], #komentar [onerror], #komentar [onload]`).length""",
            MARKER,
        )
        assert injected == 0
        hrefs = page.eval_on_selector_all(".comment__body a", "els => els.map(a => a.href)")
        assert all(href.startswith(("http://", "https://")) for href in hrefs)
        assert all(
            rel == "nofollow ugc noopener"
            for rel in page.eval_on_selector_all(".comment__body a", "els => els.map(a => a.rel)")
        )
        shown += page.locator(".comment__body").all_inner_texts()
        if number == 1:
            page.screenshot(path=str(screenshot_dir / "comments-xss-id-phone.png"), full_page=True)
            page.locator("#komentar .comments__list").screenshot(
                path=str(screenshot_dir / "comments-xss-id-phone-section.png")
            )
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    assert page.evaluate("window.__xssHits") == []
    assert events["dialogs"] == []
    site_host = urlparse(site_url).netloc
    assert [url for url in events["requests"] if urlparse(url).netloc != site_host] == []
    # Every payload shows as the literal text that was typed.
    normalise = lambda text: " ".join(text.split())  # noqa: E731
    texts = {normalise(text) for text in shown}
    missing = [body for body in corpus if normalise(body) not in texts]
    assert missing == []
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
    page.wait_for_url("**?terkirim=1#komentar-terkirim")
    assert page.locator("#komentar-terkirim").is_visible()
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
    # An error comes back next to the field, with everything typed kept.
    page.locator("#id_name").fill("Ibu Rina")
    page.locator("#id_email").fill("rina@example.test")
    page.locator("#id_body").fill("ok")
    page.locator(".comment-form button[type=submit]").click()
    assert page.locator("#id_body-error").is_visible()
    assert page.locator("#id_name").input_value() == "Ibu Rina"
    assert page.locator("#id_body").input_value() == "ok"
    page.locator("#id_body").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "comments-error-id-phone.png"))
    body = "Tanpa JavaScript pun bisa, ternyata."
    page.locator("#id_body").fill(body)
    page.locator(".comment-form button[type=submit]").click()
    assert page.locator("#komentar-terkirim").is_visible()
    # No timing token without JavaScript: held for a moderator, never lost.
    assert (
        site_manage("shell", "--no-imports", "-c", COUNT.format(status="spam", body=body)).strip()
        == "1"
    )
    context.close()
