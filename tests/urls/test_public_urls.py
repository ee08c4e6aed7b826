"""Every public URL that worked before the per-language URL scheme still answers.

Each address answers as it did (the same status), either directly or through one permanent
redirect to its address in the same language; the redirects that already existed (a slug of
the other language) still lead to the same place.
"""

import pytest

# (address, status of the page it leads to). GUIDE_ID/GUIDE_EN: the oxytocin guide; PAGE: its id.
ANSWERS = [
    ("/id/", 200),
    ("/en/", 200),
    ("/id/sesi-saya/", 200),
    ("/en/my-sessions/", 200),
    ("GUIDE_ID", 200),
    ("GUIDE_EN", 200),
    ("GUIDE_IDsesi/", 200),
    ("GUIDE_IDrencana/", 200),
    ("GUIDE_IDrencana/kalender/", 200),
    ("GUIDE_ENsession/", 200),
    ("GUIDE_ENplan/", 200),
    ("GUIDE_ENplan/calendar/", 200),
    ("/id/daftar/", 200),
    ("/id/daftar/terima-kasih/", 200),
    ("/id/daftar/konfirmasi/x/", 404),
    ("/id/konsultasi/", 200),
    ("/id/konsultasi/terima-kasih/", 200),
    ("/id/privasi/", 200),
    ("/id/privasi/terkirim/", 200),
    ("/id/privasi/konfirmasi/x/", 404),
    ("/id/berhenti/x/", 404),
    ("/en/sign-up/", 200),
    ("/en/sign-up/thank-you/", 200),
    ("/en/sign-up/confirm/x/", 404),
    ("/en/consultation/", 200),
    ("/en/consultation/thank-you/", 200),
    ("/en/privacy/", 200),
    ("/en/privacy/sent/", 200),
    ("/en/privacy/confirm/x/", 404),
    ("/en/unsubscribe/x/", 404),
    ("/id/panduan-lengkap/unduh/x/", 400),
    ("/en/complete-guide/download/x/", 400),
    ("/en/panduan-lengkap/unduh/x/", 400),
    ("/id/complete-guide/download/x/", 400),
    ("/id/komentar/kirim/PAGE/", 405),
    ("/en/komentar/kirim/PAGE/", 405),
    ("/id/komentar/terkirim/x/", 404),
    ("/en/komentar/terkirim/x/", 404),
    ("/id/komentar/berhenti-langganan/x/", 400),
    ("/en/komentar/berhenti-langganan/x/", 400),
    ("/id/komentar/ikuti/x/", 400),
    ("/en/komentar/ikuti/x/", 400),
    ("/id/cari/", 200),
    ("/en/search/", 200),
    ("/id/plan/PAGE/", 302),
    ("/en/plan/PAGE/", 302),
    ("/sitemap.xml", 200),
    ("/robots.txt", 200),
    ("/feeds/id.xml", 200),
    ("/feeds/en.xml", 200),
]

# Another language's slug that already led (301) to this language's address.
REDIRECTS = [
    ("/id/my-sessions/", "/id/sesi-saya/"),
    ("/en/sesi-saya/", "/en/my-sessions/"),
    ("GUIDE_IDsession/", "GUIDE_IDsesi/"),
    ("GUIDE_IDplan/", "GUIDE_IDrencana/"),
    ("GUIDE_IDplan/calendar/", "GUIDE_IDrencana/kalender/"),
    ("GUIDE_ENsesi/", "GUIDE_ENsession/"),
    ("GUIDE_ENrencana/", "GUIDE_ENplan/"),
    ("GUIDE_ENrencana/kalender/", "GUIDE_ENplan/calendar/"),
    ("/en/daftar/", "/en/sign-up/"),
    ("/id/sign-up/", "/id/daftar/"),
    ("/en/daftar/terima-kasih/", "/en/sign-up/thank-you/"),
    ("/en/konsultasi/", "/en/consultation/"),
    ("/id/consultation/", "/id/konsultasi/"),
    ("/id/privacy/sent/", "/id/privasi/terkirim/"),
    ("/en/berhenti/x/", "/en/unsubscribe/x/"),
    ("/id/unsubscribe/x/", "/id/berhenti/x/"),
    ("/id/search/?q=pijat", "/id/cari/?q=pijat"),
    ("/en/cari/?q=massage", "/en/search/?q=massage"),
]


@pytest.fixture
def address(oxytocin):
    def fill(template: str) -> str:
        return (
            template.replace("GUIDE_ID", oxytocin["id"].url)
            .replace("GUIDE_EN", oxytocin["en"].url)
            .replace("PAGE", str(oxytocin["id"].pk))
        )

    return fill


@pytest.mark.django_db
def test_every_public_address_still_answers(client, address):
    wrong = []
    for template, status in ANSWERS:
        url = address(template)
        response = client.get(url)
        if response.status_code == 301:
            target = response["Location"]
            if target[:4] != url[:4] and url.startswith(("/id/", "/en/")):
                wrong.append(f"{url} → {target}: another language")
            response = client.get(target)
        if response.status_code != status:
            wrong.append(f"{url}: {response.status_code}, expected {status}")
        elif status == 404 and response.resolver_match.url_name == "wagtail_serve":
            # A 404 from the page tree means the address itself is gone, not its token.
            wrong.append(f"{url}: no longer an address of its own")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_other_language_slugs_still_redirect(client, address):
    wrong = []
    for source, target in REDIRECTS:
        response = client.get(address(source))
        if response.status_code != 301 or response["Location"] != address(target):
            wrong.append(f"{source}: {response.status_code} {response.get('Location')}")
    assert not wrong, "\n".join(wrong)


# Slugs that changed with the one URL scheme: the comment links under /en/ had Indonesian
# slugs, and the download answered both languages' slugs in either language.
MOVED = [
    ("/en/komentar/kirim/PAGE/", "/en/comment/send/PAGE/"),
    ("/en/komentar/terkirim/x/", "/en/comment/sent/x/"),
    ("/en/komentar/berhenti-langganan/x/", "/en/comment/unsubscribe/x/"),
    ("/en/komentar/ikuti/x/", "/en/comment/follow/x/"),
    ("/en/panduan-lengkap/unduh/x/", "/en/complete-guide/download/x/"),
    ("/id/complete-guide/download/x/", "/id/panduan-lengkap/unduh/x/"),
]


@pytest.mark.django_db
def test_changed_slugs_redirect_permanently_to_the_language_s_own(client, address):
    wrong = []
    for source, target in MOVED:
        response = client.get(address(source))
        if response.status_code != 301 or response["Location"] != address(target):
            wrong.append(f"{source}: {response.status_code} {response.get('Location')}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_a_post_to_an_old_address_is_answered_there(client):
    # A mail provider's one-click unsubscribe (RFC 8058) from an email sent before the move:
    # redirecting it would turn the POST into a GET, so the view answers it where it lands.
    old = client.post("/en/komentar/berhenti-langganan/x/", {"List-Unsubscribe": "One-Click"})
    new = client.post("/en/comment/unsubscribe/x/", {"List-Unsubscribe": "One-Click"})
    assert old.status_code == new.status_code == 400


@pytest.mark.django_db
def test_a_sub_page_links_to_its_counterpart_in_the_other_language(client, address):
    response = client.get(address("GUIDE_ENsession/"))
    assert f'href="{address("GUIDE_IDsesi/")}"' in response.content.decode()
    response = client.get(address("/id/sesi-saya/"))
    assert 'href="/en/my-sessions/"' in response.content.decode()


def test_an_address_in_a_language_the_site_lacks_is_the_default_language_s():
    from asih.core.localized_urls import reverse_in

    assert reverse_in("en", "leads:signup") == "/en/sign-up/"
    assert reverse_in("id", "leads:signup") == "/id/daftar/"
    assert reverse_in("fr", "leads:signup") == "/id/daftar/"


@pytest.mark.django_db
def test_an_old_address_too_long_to_redirect_gets_the_view_s_own_message(client):
    token = "a" * 17000  # longer than any redirect Django lets through
    response = client.get(f"/en/komentar/berhenti-langganan/{token}/")
    assert response.status_code == 400
    assert 'lang="en"' in response.content.decode()
