"""The XSS corpus where staff read readers' text in the Wagtail admin, as a superuser in Chromium.

Lists hold one payload per row (sign-ups, consultation requests, the comments queue); pages
that show one record (inspect, edit, history, answer, erase, the message after approving) get
the corpus in four bundles, so a handful of loads still puts every payload through each view.
"""

import json
from urllib.parse import urlencode

import pytest

from tests.xss.chromium import injected, new_context, not_shown, settle, shown_text
from tests.xss.corpus import bundles, normalise, payloads

ADMIN = ("xss-admin", "kata-sandi-uji-xss-1")
LIST_PAGES = 20  # Wagtail's listing page size
QUEUE_PAGES = 30  # asih.comments.admin_views.PER_PAGE

SEED = """
import json
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.log_actions import log
from asih.comments.models import Comment
from asih.guides.models import GuidePage
from asih.leads.models import ConsultationRequest, SignUp

corpus, names, texts, approvable = json.loads({payload!r})
User = get_user_model()
admin = User.objects.filter(username={user!r}).first() or User.objects.create_superuser(
    {user!r}, "xss-admin@example.test", {password!r})
now = timezone.now()
SignUp.objects.filter(email__startswith="xss-").delete()
ConsultationRequest.objects.filter(email__startswith="xss-").delete()
guide = GuidePage.objects.get(slug="oxytocin-massage")
Comment.objects.all().delete()

def signup(name, n):
    return SignUp.objects.create(name=name, email=f"xss-{{n}}@example.test", stage="planning",
                                 consent_text="ok", consented_at=now, confirmed_at=now)

def consultation(name, question, n):
    return ConsultationRequest.objects.create(
        name=name, phone="+6281234567890", email=f"xss-{{n}}@example.test", question=question,
        guide=guide, consent_text="ok", consented_at=now)

def comment(name, body, status, parent=None, n=0):
    return Comment.objects.create(page=guide, language="en", name=name, body=body, status=status,
                                  email=f"xss-{{n}}@example.test", parent=parent)

# Bundles first: one record per bundle, logged by staff so the history shows their labels.
ids = {{"signups": [], "consultations": [], "answered": [], "pending": []}}
for n, (name, text) in enumerate(zip(names, texts)):
    record = signup(name, 1000 + n)
    log(record, "wagtail.edit", user=admin)
    ids["signups"].append(record.pk)
    record = consultation(name, text, 1000 + n)
    log(record, "wagtail.edit", user=admin)
    ids["consultations"].append(record.pk)
    ids["answered"].append(comment(name, text, "approved", n=1000 + n).pk)
parents = [Comment.objects.get(pk=pk) for pk in ids["answered"]]
for n, payload in enumerate(corpus):
    signup(payload, n)
    consultation(payload, payload, n)
    comment(payload, payload, "pending", parent=parents[n % len(parents)], n=n)
for n, name in enumerate(approvable):
    ids["pending"].append(comment(name, "waiting to be approved", "pending", n=2000 + n).pk)
print(json.dumps(ids))
"""


def _approvable() -> list[str]:
    # Approving validates the comment, so these names must fit the 80-character field; one
    # POST each, so a sample across the corpus rather than all of it.
    return [payload[:80] for payload in payloads()[::16]]


@pytest.fixture(scope="module")
def admin_records(site_manage):
    corpus = payloads()
    data = json.dumps([corpus, bundles(4), bundles(4, separator="\n"), _approvable()])
    script = SEED.format(payload=data, user=ADMIN[0], password=ADMIN[1])
    ids = json.loads(site_manage("shell", "--no-imports", "-v", "0", "-c", script).splitlines()[-1])
    yield ids
    site_manage(
        "shell",
        "--no-imports",
        "-c",
        "from asih.comments.models import Comment; Comment.objects.all().delete()\n"
        "from asih.pagecache.store import get_store; get_store().clear()",
    )


@pytest.fixture(scope="module")
def staff_page(browser, site_url, admin_records):
    viewport = {"width": 1280, "height": 900}
    context, watch = new_context(browser, site_url=site_url, viewport=viewport)
    page = context.new_page()
    page.goto(site_url + "/admin/login/")
    page.fill("#id_username", ADMIN[0])
    page.fill("#id_password", ADMIN[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    yield page, watch
    context.close()


def _visit(page, url: str, problems: list, expected=(), label=""):
    """Open a staff page and note any markup the corpus made and any text that is not shown."""
    response = page.goto(url)
    assert response.status == 200, url
    settle(page, 100)
    found = injected(page)
    if found:
        problems.append((label or url, "injected", found))
    missing = not_shown(list(expected), shown_text(page))
    if missing:
        problems.append((label or url, "not shown", missing))
    return shown_text(page)


def _pages(total: int, size: int) -> range:
    return range(1, -(-total // size) + 1)


def test_reader_lists_show_the_corpus_as_text(staff_page, site_url, admin_records, screenshot_dir):
    page, watch = staff_page
    corpus, problems = payloads(), []
    rows = len(corpus) + len(admin_records["signups"])
    for listing in ("signups", "consultations"):
        text = ""
        for number in _pages(rows, LIST_PAGES):
            text += _visit(page, f"{site_url}/admin/leads/{listing}/?p={number}", problems)
            if listing == "signups" and number == 2:
                page.screenshot(path=str(screenshot_dir / "xss-admin-signups.png"), full_page=True)
        problems += [(listing, "not shown", name) for name in not_shown(corpus, text)]
    # The comments queue: names, bodies and "In reply to <name>" of each waiting comment.
    waiting = len(corpus) + len(admin_records["pending"])
    text = ""
    for number in _pages(waiting, QUEUE_PAGES):
        text += _visit(page, f"{site_url}/admin/comments/?p={number}", problems)
        if number == 1:
            page.screenshot(path=str(screenshot_dir / "xss-admin-comments.png"), full_page=True)
    problems += [("queue", "not shown", body) for body in not_shown(corpus, text)]
    _visit(page, f"{site_url}/admin/", problems, label="dashboard")
    assert problems == []
    watch.assert_clean()


def test_reader_records_show_the_corpus_as_text(staff_page, site_url, admin_records):
    page, watch = staff_page
    problems = []
    names, questions = bundles(4), bundles(4, separator="\n")
    for pk, name in zip(admin_records["signups"], names, strict=True):
        _visit(page, f"{site_url}/admin/leads/signups/inspect/{pk}/", problems, [name])
        _visit(page, f"{site_url}/admin/leads/signups/history/{pk}/", problems, [name])
        _visit(page, f"{site_url}/admin/leads/signups/edit/{pk}/", problems)
        if normalise(page.input_value("#id_name")) != normalise(name.replace("\n", "")):
            problems.append(("sign-up edit", "value", page.input_value("#id_name")[:80]))
        # Wagtail's own search box echoes what staff typed.
        _visit(page, f"{site_url}/admin/leads/signups/?{urlencode({'q': name[:200]})}", problems)
        if normalise(page.input_value("#id_q")) != normalise(name[:200]):
            problems.append(("sign-up search", "value", page.input_value("#id_q")[:80]))
    for pk, name, question in zip(admin_records["consultations"], names, questions, strict=True):
        inspect = f"{site_url}/admin/leads/consultations/inspect/{pk}/"
        _visit(page, inspect, problems, [name, question])
        _visit(page, f"{site_url}/admin/leads/consultations/edit/{pk}/", problems, [name])
    _visit(page, f"{site_url}/admin/reports/site-history/", problems, names, label="site history")
    assert problems == []
    watch.assert_clean()


def test_moderation_pages_show_the_corpus_as_text(staff_page, site_url, admin_records):
    page, watch = staff_page
    problems = []
    names, bodies = bundles(4), bundles(4, separator="\n")
    for pk, name, body in zip(admin_records["answered"], names, bodies, strict=True):
        _visit(page, f"{site_url}/admin/comments/{pk}/answer/", problems, [name, body])
        _visit(page, f"{site_url}/admin/comments/{pk}/erase/", problems, [name])
    # Approving says whose comment it was, in Wagtail's message bar.
    for pk, name in zip(admin_records["pending"], _approvable(), strict=True):
        _visit(page, f"{site_url}/admin/comments/?status=pending&q=approved", problems)
        with page.expect_navigation():
            page.locator(f"#comment-{pk} button[data-action=approve]").click()
        settle(page, 100)
        message = normalise(page.locator(".messages").text_content(timeout=5000))
        if normalise(name) not in message:
            problems.append(("approve message", message[:80]))
        if injected(page):
            problems.append(("approve message", "injected", injected(page)))
    assert problems == []
    watch.assert_clean()
