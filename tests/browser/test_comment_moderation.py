"""A moderator sees the waiting count, approves a question and answers it; the answer is public."""

import re

MODERATOR = ("bidan-moderasi", "kata-sandi-uji-67890")
QUESTION = "Apakah pijat oksitosin boleh dilakukan sehari setelah operasi caesar?"
ANSWER = "Boleh, dengan posisi duduk yang nyaman. Tanyakan dulu ke bidan bila luka masih nyeri."

SETUP = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from wagtail.users.models import UserProfile
from asih.comments.models import Comment
from asih.guides.models import GuidePage

User = get_user_model()
user = User.objects.filter(username='{MODERATOR[0]}').first()
if user is None:
    user = User.objects.create_user(
        '{MODERATOR[0]}', 'bidan@example.test', '{MODERATOR[1]}',
        first_name='Dewi', last_name='Lestari',
    )
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label='wagtailadmin', codename='access_admin'),
        Permission.objects.get(content_type__app_label='comments', codename='change_comment'),
        Permission.objects.get(content_type__app_label='comments', codename='answer_comment'),
    )
profile = UserProfile.get_for_user(user)
profile.preferred_language = 'en'
profile.save()
guide = GuidePage.objects.get(slug='pijat-oksitosin')
Comment.objects.filter(page=guide).delete()
Comment.objects.create(
    page=guide, language='id', name='Ibu Rina', email='rina@example.test',
    body='{QUESTION}', status='pending', follow_replies=True, follow_confirmed_at=timezone.now(),
)
Comment.objects.create(
    page=guide, language='id', name='Promo Murah', email='promo@example.test',
    body='Kunjungi situs kami', status='spam', spam_reasons='blocked word: promo',
)
from asih.pagecache.store import get_store
get_store().clear()
print(guide.url)
"""


def test_moderator_approves_and_answers_a_question(browser, site_url, site_manage, screenshot_dir):
    guide_url = site_manage("shell", "-v", "0", "-c", SETUP).strip().splitlines()[-1]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "/admin/login/")
    page.fill("#id_username", MODERATOR[0])
    page.fill("#id_password", MODERATOR[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")

    # The dashboard panel and the menu both show the two waiting comments.
    panel = page.locator(".asih-comments-waiting")
    assert "2 comments wait for moderation" in panel.inner_text()
    menu = page.locator("#wagtail-sidebar").get_by_text(re.compile(r"Comments \(2\)"))
    menu.wait_for()
    menu.click()
    page.wait_for_url("**/admin/comments/")

    row = page.locator("tr", has_text=QUESTION)
    assert "blocked word: promo" in page.locator("tr", has_text="Promo Murah").inner_text()
    page.screenshot(path=str(screenshot_dir / "comment-moderation-queue.png"), full_page=True)

    row.locator("button[data-action=approve]").click()
    page.wait_for_url("**/admin/comments/**")
    assert page.locator("tr", has_text=QUESTION).count() == 0  # approved: gone from the queue
    page.goto(site_url + "/admin/comments/?status=approved")
    page.locator("tr", has_text=QUESTION).get_by_role("link", name="Answer").click()
    page.fill("textarea[name=body]", ANSWER)
    page.get_by_role("button", name="Publish the answer").click()
    page.wait_for_url("**/admin/comments/**")
    assert "Comments (1)" in page.locator("#wagtail-sidebar").inner_text()

    public = browser.new_page(viewport={"width": 390, "height": 844})
    public.goto(site_url + guide_url)
    answer = public.get_by_text(ANSWER)
    answer.wait_for()
    answer.scroll_into_view_if_needed()
    # Shown as the clinic's answer, with the staff member's name (and role), under the question.
    staff = public.locator("article.comment--staff", has_text=ANSWER)
    assert staff.count() == 1
    assert "Dewi Lestari" in staff.locator(".comment__author").inner_text()
    assert staff.locator(".comment__badge").is_visible()
    question = public.locator("article.comment", has_text=QUESTION).first
    assert question.is_visible()
    assert question.bounding_box()["y"] < staff.bounding_box()["y"]
    public.screenshot(path=str(screenshot_dir / "comment-clinic-answer.png"), full_page=False)
    page.close()
    public.close()


BIDI_NAME = "Ayu \u202egnaro"  # a right-to-left override inside a name
BIDI_SETUP = f"""
from asih.comments.models import Comment
from asih.guides.models import GuidePage
guide = GuidePage.objects.get(slug='pijat-oksitosin')
Comment.objects.filter(page=guide).delete()
comment = Comment.objects.create(
    page=guide, language='id', name={BIDI_NAME!r}, email='ayu@example.test',
    body='Pertanyaan dari Ayu tentang pijat', status='pending',
)
print(comment.pk)
"""


def test_a_name_with_direction_marks_stays_in_its_place_in_the_admin(
    browser, site_url, site_manage, screenshot_dir
):
    site_manage("shell", "-v", "0", "-c", SETUP)  # the moderator account
    pk = site_manage("shell", "-v", "0", "-c", BIDI_SETUP).strip().splitlines()[-1]
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(site_url + "/admin/login/")
    page.fill("#id_username", MODERATOR[0])
    page.fill("#id_password", MODERATOR[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(site_url + "/admin/comments/")
    row = page.locator(f"tr#comment-{pk}")
    name = row.locator("strong bdi")
    assert name.inner_text() == BIDI_NAME
    page.screenshot(path=str(screenshot_dir / "comment-moderation-bidi-phone.png"))
    # The date after the name comes after it (to its right, or on a later line): the override
    # did not mirror the rest of the line in front of the name.
    name_box, date_box = name.bounding_box(), row.locator("time").bounding_box()
    assert (
        date_box["x"] >= name_box["x"] + name_box["width"] - 1
        or date_box["y"] >= name_box["y"] + name_box["height"] - 1
    )
    page.goto(f"{site_url}/admin/comments/{pk}/answer/")
    heading = page.locator("#original-heading")
    assert heading.locator("bdi").first.inner_text() == BIDI_NAME
    # "<name> wrote": the words after the name are drawn to its right, not mirrored before it.
    follows = page.evaluate(
        """() => {
            const name = document.querySelector("#original-heading bdi");
            const range = document.createRange();
            range.setStartAfter(name);
            range.setEnd(name.parentNode, name.parentNode.childNodes.length);
            const next = range.getClientRects()[0];
            const box = name.getBoundingClientRect();
            return next.left >= box.right - 1 || next.top >= box.bottom - 1;
        }"""
    )
    assert follows
    page.close()
