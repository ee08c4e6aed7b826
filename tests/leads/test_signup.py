"""The double opt-in through a real SMTP server: confirm, expiry, reuse, tampering, one record."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from asih.leads.models import SignUp, SignUpLink
from asih.leads.services import (
    LINK_EXPIRED,
    LINK_INVALID,
    LINK_USED,
    SIGNUP_CONSENT,
    SIGNUP_LINK_HOURS,
    SIGNUP_RESEND_PAUSE,
)

CONFIRM_LINK = re.compile(r"http://localhost/(?:id/daftar/konfirmasi|en/sign-up/confirm)/[^/\s]+/")


def signup_data(**overrides):
    due = timezone.localdate() + timedelta(days=120)
    data = {
        "name": "Sari Lestari",
        "email": "Sari@Example.com ",
        "whatsapp": "0812-3456-7890",
        "stage": "pregnant",
        "due_date": due.isoformat(),
        "birth_date": "",
        "consent": "on",
    }
    return {**data, **overrides}


@pytest.fixture
def sign_up(post, django_capture_on_commit_callbacks):
    """Send the sign-up form and run the after-commit mail delivery."""

    def send(url="/id/daftar/", **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return post(url, signup_data(**overrides))

    return send


def confirm_link(message) -> str:
    links = CONFIRM_LINK.findall(message.get_body(preferencelist=("plain",)).get_content())
    assert len(links) == 1, "the confirmation email carries exactly one link"
    return links[0].removeprefix("http://localhost")


@pytest.mark.django_db
def test_the_whole_double_opt_in(
    client, post, sign_up, smtp_server, fake_guidebook, oxytocin, django_capture_on_commit_callbacks
):
    response = sign_up()
    assert response.status_code == 303
    assert response["Location"] == "/id/daftar/terima-kasih/"
    signup = SignUp.objects.get()
    assert (signup.email, signup.whatsapp, signup.stage) == (
        "sari@example.com",
        "+6281234567890",
        "pregnant",
    )
    assert signup.confirmed_at is None
    with translation.override("id"):  # what the reader agreed to, in the words they read
        assert signup.consent_text == str(SIGNUP_CONSENT)

    (mail,) = smtp_server.wait_for(1)
    assert mail["To"] == "sari@example.com"
    assert mail["List-Unsubscribe"].strip().startswith("<http://localhost/id/berhenti/")
    link = confirm_link(mail)
    stored = SignUpLink.objects.get(signup=signup)
    assert link.split("/")[-2] not in stored.token_hash  # only a hash of the token is stored
    assert "Sari" not in smtp_server.text_of(mail)  # nothing typed goes to an unconfirmed inbox
    assert "/id/berhenti/" in smtp_server.text_of(mail)  # unsubscribe in the body too
    assert "/id/berhenti/" in smtp_server.html_of(mail)

    # Opening the link confirms nothing (mail scanners open links): it shows a button.
    page = client.get(link)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    SignUp.objects.get(confirmed_at__isnull=True)

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = post(link, {})
    assert confirmed.status_code == 200
    signup.refresh_from_db()
    assert signup.confirmed_at is not None
    html = confirmed.content.decode()
    stage_pk = re.search(r"/id/complete-guide/download/signed-(\d+)/", html).group(1)
    # The pregnancy stage, in Indonesian (for the page, and again in the email's task).
    assert set(fake_guidebook) == {("Saat Hamil", "id")}
    assert stage_pk

    download_mail = smtp_server.wait_for(2)[1]
    assert f"http://localhost/id/complete-guide/download/signed-{stage_pk}/" in smtp_server.text_of(
        download_mail
    )
    assert "/id/berhenti/" in smtp_server.text_of(download_mail)

    # The same link again: "already used", nothing changes, and the guide is offered again
    # (what the reader came for), with a sign-up for the same stage beside it.
    again = post(link, {})
    assert again.status_code == 410
    html = again.content.decode()
    assert str(LINK_USED).rstrip(".") in html  # the title; the text says what to do now
    assert html.count(str(LINK_USED).rstrip(".")) == 2  # <title> and <h1>, not a third time
    # From the one public address (ASIH_PUBLIC_URL), never the request's host.
    assert f'href="http://localhost/id/complete-guide/download/signed-{stage_pk}/"' in html
    assert 'href="/id/daftar/?tahap=pregnant"' in html
    assert client.get(link).status_code == 410
    assert SignUp.objects.count() == 1


@pytest.mark.django_db
def test_an_expired_link_says_so_and_confirms_nothing(
    client, post, sign_up, smtp_server, monkeypatch
):
    sign_up()
    link = confirm_link(smtp_server.wait_for(1)[0])
    later = timezone.now() + timedelta(hours=SIGNUP_LINK_HOURS, minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    for response in (client.get(link), post(link, {})):
        assert response.status_code == 410
        assert str(LINK_EXPIRED) in response.content.decode()
        # A way to start again, for the same stage, in plain words.
        assert 'href="/id/daftar/?tahap=pregnant"' in response.content.decode()
        assert "Daftar lagi" in response.content.decode()
        assert "complete-guide/download" not in response.content.decode()
    assert SignUp.objects.get().confirmed_at is None


@pytest.mark.django_db
def test_a_link_that_is_still_valid_just_before_expiry(client, sign_up, smtp_server, monkeypatch):
    sign_up()
    link = confirm_link(smtp_server.wait_for(1)[0])
    almost = timezone.now() + timedelta(hours=SIGNUP_LINK_HOURS, minutes=-1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: almost)
    assert client.get(link).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        lambda link: link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:],
        lambda link: link.replace("konfirmasi/", "konfirmasi/x"),
        lambda link: "/id/daftar/konfirmasi/-/",
    ],
)
def test_a_tampered_link_is_refused(client, post, sign_up, smtp_server, tamper):
    sign_up()
    link = tamper(confirm_link(smtp_server.wait_for(1)[0]))
    for response in (client.get(link), post(link, {})):
        assert response.status_code == 404
        assert str(LINK_INVALID) in response.content.decode()
    assert SignUp.objects.get().confirmed_at is None


@pytest.mark.django_db
def test_signing_up_twice_updates_the_one_record_and_only_the_new_link_works(
    client, post, sign_up, smtp_server, fake_guidebook, oxytocin, monkeypatch
):
    sign_up()
    later = timezone.now() + timedelta(seconds=SIGNUP_RESEND_PAUSE + 1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    sign_up(
        url="/en/sign-up/",
        email="sari@example.COM",
        name="Sari L.",
        stage="born",
        due_date="",
        birth_date=(timezone.localdate() - timedelta(days=3)).isoformat(),
    )
    signup = SignUp.objects.get()  # one record, not two
    assert (signup.name, signup.stage, signup.due_date, signup.language) == (
        "Sari L.",
        "born",
        None,
        "en",
    )
    first, second = smtp_server.wait_for(2)
    assert client.get(confirm_link(first)).status_code == 404  # the old link stopped working
    assert second["Subject"] == "Confirm your email to get the complete guide"
    assert post(confirm_link(second), {}).status_code == 200
    assert set(fake_guidebook) == {("After Birth", "en")}


@pytest.mark.django_db
def test_sending_the_form_again_at_once_sends_no_second_email(
    client, post, sign_up, smtp_server, fake_guidebook, oxytocin
):
    sign_up()
    sign_up(name="Sari L.")  # a double tap, or someone flooding an inbox
    with pytest.raises(AssertionError):
        smtp_server.wait_for(2, timeout=1)
    (mail,) = smtp_server.messages
    assert SignUp.objects.get().name == "Sari Lestari"  # what the link was sent for, unchanged
    assert post(confirm_link(mail), {}).status_code == 200  # and the first link still works
    assert SignUp.objects.get().name == "Sari Lestari"


@pytest.mark.django_db
def test_a_confirmed_sign_up_changes_only_when_the_new_link_is_followed(
    post, sign_up, smtp_server, fake_guidebook, oxytocin
):
    sign_up()
    post(confirm_link(smtp_server.wait_for(1)[0]), {})
    sign_up(name="Someone Else", stage="planning", due_date="")
    signup = SignUp.objects.get()
    assert (signup.name, signup.stage) == ("Sari Lestari", "pregnant")  # not yet
    assert SignUpLink.objects.get(used_at__isnull=True).details["name"] == "Someone Else"
    response = post(confirm_link(smtp_server.wait_for(2)[1]), {})
    assert response.status_code == 200
    signup.refresh_from_db()
    assert (signup.name, signup.stage, signup.due_date) == ("Someone Else", "planning", None)


@pytest.mark.django_db
def test_only_confirmed_sign_ups_get_a_download(fake_guidebook, oxytocin):
    from asih.leads.services import guidebook_links

    signup = SignUp(
        email="a@example.com", name="A", stage="born", language="id", consented_at=timezone.now()
    )
    assert guidebook_links(signup) == []
    assert fake_guidebook == []  # the PDF link is never even made
    signup.confirmed_at = timezone.now()
    (link,) = guidebook_links(signup, site_url="http://x")
    assert link.title == "Setelah Melahirkan"
    assert link.url.startswith("http://x/id/complete-guide/download/signed-")


@pytest.mark.django_db
def test_when_no_pdf_link_can_be_made_the_confirmed_reader_is_told_it_follows(
    post, sign_up, smtp_server, monkeypatch, oxytocin
):
    monkeypatch.setattr("asih.leads.services.guidebook_download_path", lambda **kw: "")
    sign_up()
    response = post(confirm_link(smtp_server.wait_for(1)[0]), {})
    assert response.status_code == 200
    assert "download" not in response.content.decode().lower().split("<main")[1]
    assert SignUp.objects.get().confirmed_at is not None


@pytest.mark.django_db
def test_unsubscribe_from_the_email_link(client, post, sign_up, smtp_server):
    sign_up()
    mail = smtp_server.wait_for(1)[0]
    link = mail["List-Unsubscribe"].strip().strip("<>").removeprefix("http://localhost")
    assert client.get(link).status_code == 200
    assert SignUp.objects.get().unsubscribed_at is None  # opening the link changes nothing
    # RFC 8058 one-click: the mail client posts from outside the site, with no origin header.
    response = client.post(
        link, {"List-Unsubscribe": "One-Click"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 200
    assert SignUp.objects.get().unsubscribed_at is not None
    forged = client.get(link[:-4] + "abc/")
    assert forged.status_code == 404


@pytest.mark.django_db
def test_the_confirmed_reader_gets_the_guidebook_apps_signed_link(
    client, post, sign_up, smtp_server, oxytocin, django_capture_on_commit_callbacks
):
    from asih.guidebook.services import guidebook_link_read

    sign_up(url="/en/sign-up/")
    with django_capture_on_commit_callbacks(execute=True):
        page = post(confirm_link(smtp_server.wait_for(1)[0]), {}).content.decode()
    path = re.search(r'href="(/en/complete-guide/download/([^/"]+)/)"', page)
    assert path, "the page links to the signed PDF download"
    request = guidebook_link_read(path.group(2))
    assert (request.stage.title, request.language) == ("Pregnancy", "en")
    assert f"http://localhost{path.group(1)}" in smtp_server.text_of(smtp_server.wait_for(2)[1])


# --- Issue 15, item 10: a link applies exactly the details it was sent for ----------------


@pytest.mark.django_db
def test_a_stranger_within_the_resend_pause_cannot_change_what_the_owners_click_confirms(
    post, sign_up, smtp_server, fake_guidebook, oxytocin
):
    sign_up()  # the owner
    owners_link = confirm_link(smtp_server.wait_for(1)[0])
    # Someone else, a minute later, with the owner's address and their own WhatsApp number.
    sign_up(name="Orang Lain", whatsapp="0899-1111-2222", stage="planning", due_date="")
    assert post(owners_link, {}).status_code == 200
    signup = SignUp.objects.get()
    assert (signup.name, signup.whatsapp, signup.stage) == (
        "Sari Lestari",
        "+6281234567890",
        "pregnant",
    )


@pytest.mark.django_db
def test_a_stranger_cannot_ride_on_a_confirmed_readers_new_link_either(
    post, sign_up, smtp_server, fake_guidebook, oxytocin, monkeypatch
):
    sign_up()
    post(confirm_link(smtp_server.wait_for(1)[0]), {})
    later = timezone.now() + timedelta(seconds=SIGNUP_RESEND_PAUSE + 1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    sign_up(name="Sari Lestari", stage="planning", due_date="")  # the owner changes stage
    changed_link = confirm_link(smtp_server.wait_for(2)[1])
    sign_up(name="Orang Lain", whatsapp="0899-1111-2222")  # a stranger, within the pause
    assert post(changed_link, {}).status_code == 200
    signup = SignUp.objects.get()
    assert (signup.name, signup.whatsapp, signup.stage) == (
        "Sari Lestari",
        "+6281234567890",
        "planning",
    )


# --- Issue 15, item 8: the task queue holds ids, never what was typed or a working link ----


@pytest.fixture
def database_tasks(settings):
    """Email tasks wait in the database, as with ASIH_TASKS=database, until `run_tasks()`."""
    settings.ASIH_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run_tasks():
        from django_tasks_db.models import DBTaskResult

        for row in DBTaskResult.objects.ready():
            row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])

    return run_tasks


def queue_text() -> str:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.values_list("args_kwargs", "return_value", "traceback")
    return json.dumps(list(rows))


@pytest.mark.django_db
def test_the_task_queue_holds_no_address_nothing_typed_and_no_working_link(
    post,
    sign_up,
    smtp_server,
    database_tasks,
    fake_guidebook,
    oxytocin,
    django_capture_on_commit_callbacks,
):
    sign_up()
    queued = queue_text()
    assert queued != "[]"  # the email is queued …
    for private in ("sari", "lestari", "812", "3456", "7890"):
        assert private not in queued.lower()  # … with no address, name or number
    assert smtp_server.messages == []  # nothing sent before the worker runs
    database_tasks()
    link = confirm_link(smtp_server.wait_for(1)[0])
    assert link.split("/")[-2] not in queue_text()  # the link was made by the task
    with django_capture_on_commit_callbacks(execute=True):
        assert post(link, {}).status_code == 200
    database_tasks()
    download = smtp_server.wait_for(2)[1]
    assert "/complete-guide/download/" in smtp_server.text_of(download)
    assert "/complete-guide/download/" not in queue_text()
    assert "sari" not in queue_text().lower()


# --- Issue 15, item 17: the unsubscribe link does not carry the address --------------------


def _readable_payload(token: str) -> str:
    """What anyone can read from a signed token without the key (Django signs, not encrypts)."""
    import zlib

    from django.core import signing

    payload = token.split(":")[0]
    compressed = payload.startswith(".")
    data = signing.b64_decode(payload.lstrip(".").encode())
    return (zlib.decompress(data) if compressed else data).decode(errors="replace")


@pytest.mark.django_db
def test_the_unsubscribe_link_names_no_address_and_still_unsubscribes(
    client, post, sign_up, smtp_server
):
    sign_up()
    mail = smtp_server.wait_for(1)[0]
    link = mail["List-Unsubscribe"].strip().strip("<>").removeprefix("http://testserver")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert "sari" not in _readable_payload(token).lower()
    assert "sari" not in token.lower()
    response = client.post(
        link, {"List-Unsubscribe": "One-Click"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 200
    assert SignUp.objects.get().unsubscribed_at is not None


@pytest.mark.django_db
def test_an_unsubscribe_link_from_an_older_email_still_works(client):
    from django.core import signing

    from asih.leads.services import _LEGACY_UNSUBSCRIBE_SALT

    SignUp.objects.create(
        email="lama@example.com", name="Lama", stage="planning", consent_text="…",
        consented_at=timezone.now(), confirmed_at=timezone.now(),
    )  # fmt: skip
    token = signing.dumps("lama@example.com", salt=_LEGACY_UNSUBSCRIBE_SALT, compress=True)
    assert (
        client.post(f"/id/berhenti/{token}/", HTTP_SEC_FETCH_SITE="cross-site").status_code == 200
    )
    assert SignUp.objects.get().unsubscribed_at is not None
