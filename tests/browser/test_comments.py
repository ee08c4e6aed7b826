"""Comments in Chromium: the XSS corpus stays text, the form works with and without JavaScript."""

import json

import pytest

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
