"""ASIH_PUBLIC_URL is the only source of absolute URLs: pages, feeds, files and every email."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Page, Site

from asih.core.public_address import address_problem, check_public_address, site_sync

PUBLIC = "https://klinik.example.id"
URL = re.compile(r"""https?://[^\s"'<>()\\]+""")
# Addresses that are not the site's own links: share targets, and the vocabularies that
# JSON-LD, sitemaps, Atom and SVG name by URL.
FOREIGN_OK = (
    "https://wa.me/",
    "https://api.whatsapp.com/",
    "https://www.facebook.com/sharer",
    "https://x.com/intent/",
    "https://twitter.com/intent/",
    "https://t.me/share",
    "https://telegram.me/share",
    "https://schema.org",
    "http://schema.org",
    "http://www.sitemaps.org/",
    "http://www.w3.org/",
    "https://www.w3.org/",
)
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def public_address(settings):
    settings.ASIH_PUBLIC_URL = PUBLIC
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    settings.ASIH_STAFF_EMAILS = ["bidan@klinik.example.id"]
    site_sync()
    cache.clear()
    return PUBLIC


def foreign(urls, where):
    bad = sorted(
        {u for u in urls if not u.startswith(PUBLIC + "/") and u != PUBLIC}
        - {u for u in urls if u.startswith(FOREIGN_OK)}
    )
    return [f"{where}: {u}" for u in bad]


def email_urls(message) -> list[str]:
    parts = [message.body, message.extra_headers.get("List-Unsubscribe", "")]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    return URL.findall("\n".join(parts))


@pytest.mark.django_db
def test_site_record_follows_the_setting(settings):
    settings.ASIH_PUBLIC_URL = "https://klinik.example.id"
    assert site_sync() is True
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (
        "klinik.example.id",
        443,
        "https://klinik.example.id",
    )
    assert check_public_address() == []
    settings.ASIH_PUBLIC_URL = "http://127.0.0.1:8123"
    warnings = check_public_address()
    assert [w.id for w in warnings] == ["asih.W010"]
    call_command("sync_public_address", stdout=io.StringIO())
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8123"
    assert check_public_address() == []


@pytest.mark.parametrize(
    "origin",
    ["klinik.example.id", "https://klinik.example.id/asih", "https://klinik.example.id:8443"],
)
def test_an_address_wagtail_cannot_hold_is_an_error(origin):
    assert address_problem(origin)


@pytest.mark.django_db
def test_every_absolute_url_starts_with_the_public_address(
    client, public_address, oxytocin, django_capture_on_commit_callbacks
):
    from asih.comments import notifications, services
    from asih.comments.models import Comment
    from asih.guidebook.services import guidebook_build
    from asih.guides.models import GuidePage, StageIndexPage

    problems: list[str] = []
    # The request's own host must not leak into anything.
    get = lambda path, **kw: client.get(path, HTTP_HOST="other.example", **kw)  # noqa: E731

    paths = [p.url for p in Page.objects.live().filter(depth__gt=1).specific()]
    subpages = [g.session_url for g in GuidePage.objects.live()]
    subpages += [g.plan_url for g in GuidePage.objects.live()]
    # A guide without timed steps or schedule redirects its session/plan to itself; the
    # oxytocin guide has both, so its session and plan in each language are checked too.
    rendered = [p for p in subpages if get(p).status_code == 200]
    for page in oxytocin.values():
        assert {page.session_url, page.plan_url} <= set(rendered), page.url
    paths += rendered
    paths += ["/id/sesi-saya/", "/id/cari/?q=pijat", "/en/search/?q=massage", "/id/daftar/"]
    paths += ["/id/konsultasi/", "/en/consultation/", "/id/privasi/", "/en/privacy/"]
    paths += ["/sitemap.xml", "/robots.txt", "/feeds/id.xml", "/feeds/en.xml"]
    for path in paths:
        response = get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        problems += foreign(URL.findall(body), path)
        assert PUBLIC in body or path.startswith(("/id/cari", "/en/search")), path

    birth = (timezone.localdate() - timedelta(days=1)).isoformat()
    ics = get(oxytocin["id"].plan_ics_url, data={"birth_date": birth}).content.decode()
    unfolded = ics.replace("\r\n ", "")
    problems += foreign(URL.findall(unfolded), "plan .ics")
    assert PUBLIC in unfolded

    stage = StageIndexPage.objects.live().filter(locale__language_code="id").first()
    reader = PdfReader(guidebook_build(stage=stage, language="id"))
    pdf_urls = URL.findall(" ".join(page.extract_text() or "" for page in reader.pages))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                pdf_urls.append(str(action["/URI"]))
    problems += foreign(pdf_urls, "PDF")
    assert any(u.startswith(PUBLIC) for u in pdf_urls)

    # Every kind of email: sign-up, its confirmation, consultation (reader and staff),
    # privacy request, a reply to a follower, the moderation digest.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post = lambda path, data: client.post(path, data, HTTP_HOST="other.example", **SAME_ORIGIN)  # noqa: E731
        due = (timezone.localdate() + timedelta(days=120)).isoformat()
        post(
            "/id/daftar/",
            {
                "name": "Sari",
                "email": "sari@example.com",
                "stage": "pregnant",
                "due_date": due,
                "consent": "on",
            },
        )
    confirm = re.search(PUBLIC + r"(/id/daftar/konfirmasi/[^/\s]+/)", mail.outbox[-1].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm, HTTP_HOST="other.example", **SAME_ORIGIN)
        post(
            "/id/konsultasi/",
            {
                "name": "Sari",
                "phone": "+62 812-3456-7890",
                "email": "sari@example.com",
                "preferred_time": "evening",
                "question": "Berapa kali sehari pijat oksitosin sebaiknya dilakukan?",
                "consent": "on",
            },
        )
        post("/id/privasi/", {"email": "sari@example.com", "kind": "export"})
        guide = oxytocin["id"]
        question = Comment.objects.create(
            page=guide,
            language="id",
            name="Rina",
            email="rina@example.com",
            body="Tanya",
            status=Comment.Status.APPROVED,
            follow_replies=True,
            follow_confirmed_at=timezone.now(),  # reply emails go to confirmed followers only
            visitor_hash="a" * 32,
        )
        services.comment_submit(
            page=guide,
            data={
                "name": "Dewi",
                "email": "dewi@example.com",
                "body": "Ikut bertanya ya",
                "follow_replies": False,
            },
            visitor_hash="b" * 32,
            bot_verdict="",
            parent=question,
        )
        reply = Comment.objects.filter(parent=question).get()
        services.comment_approve(comment=reply)
        notifications.comment_notify_staff_pending(force=True)
        Comment.objects.create(
            page=guide,
            language="id",
            name="Lia",
            email="lia@example.com",
            body="Menunggu",
            status=Comment.Status.PENDING,
            visitor_hash="c" * 32,
        )
        notifications.comment_notify_staff_pending(force=True)
        # Staff emails: a new account's password link, the review workflow, the reminder.
        call_command(
            "create_staff",
            "sari",
            "sari@klinik.example.id",
            "--name",
            "Sari",
            "--role",
            "Clinicians",
            "--credentials",
            "Bidan",
            stdout=io.StringIO(),
        )
        call_command(
            "create_staff",
            "dewi",
            "dewi@klinik.example.id",
            "--name",
            "Dewi",
            "--role",
            "Editors",
            stdout=io.StringIO(),
        )
        from django.contrib.auth import get_user_model

        writer = get_user_model().objects.get(username="dewi")
        guide.save_revision(user=writer)
        guide.get_workflow().start(guide, writer)
        call_command("send_review_reminders", stdout=io.StringIO())
    kinds = {message.subject for message in mail.outbox}
    assert len(kinds) >= 10, kinds
    for message in mail.outbox:
        urls = email_urls(message)
        assert urls, message.subject
        problems += foreign(urls, f"email {message.subject!r}")

    assert problems == []
