"""Entry points and defences: the guide's calls to action, cacheable pages, bots, rate limits."""

import time
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.utils import timezone

from asih.core.protection import CROSS_SITE_MESSAGE, RATE_LIMIT_MESSAGE, make_started_token
from asih.leads.models import ConsultationRequest, PrivacyRequest, SignUp
from asih.leads.views import SIGNUP_LIMIT


def signup_data(**overrides):
    return {
        "name": "Sari",
        "email": "sari@example.com",
        "stage": "born",
        "birth_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "consent": "on",
        **overrides,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_guide_offers_the_pdf_the_consultation_and_whatsapp(client, oxytocin, language):
    guide = oxytocin[language]
    response = client.get(guide.url)
    html = response.content.decode()
    signup = {"id": "/id/daftar/?tahap=born", "en": "/en/sign-up/?tahap=born"}[language]
    consult = {"id": "/id/konsultasi/", "en": "/en/consultation/"}[language]
    assert f'href="{signup}"' in html  # the oxytocin guide is under "after birth"
    assert f'href="{consult}?panduan={guide.pk}"' in html
    whatsapp = html.split('class="button button--whatsapp" href="')[-1].split('"')[0]
    assert whatsapp.startswith("https://wa.me/6281200000000?text=")
    assert guide.title in unquote(whatsapp)
    # The CTA sits after the guide's body, inside the article.
    assert html.index("guide__body") < html.index("guide-cta") < html.index("</article>")
    # Still the same bytes for every visitor: no cookie, no CSRF token.
    assert response.cookies == {} and "csrfmiddlewaretoken" not in html
    assert client.get(guide.url).content == response.content


@pytest.mark.django_db
def test_without_a_clinic_number_the_whatsapp_button_is_hidden(client, oxytocin):
    from asih.core.models import ClinicSettings

    ClinicSettings.objects.update(whatsapp_number="")
    html = client.get(oxytocin["id"].url).content.decode()
    assert "guide-cta" in html and "wa.me" not in html.split("guide-cta")[1].split("</aside>")[0]


@pytest.mark.django_db
def test_the_sign_up_form_preselects_the_stage_from_the_link(client):
    html = client.get("/id/daftar/?tahap=pregnant").content.decode()
    assert "checked" in html.split('value="pregnant"')[1].split(">")[0]
    other = client.get("/id/daftar/?tahap=<script>").content.decode()
    assert "<script>" not in other.split("<main")[1] and "checked" not in other.split("<main")[1]


@pytest.mark.django_db
def test_the_home_banner_links_to_the_sign_up(client):
    assert 'href="/en/sign-up/"' in client.get("/en/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/id/daftar/", "/en/consultation/", "/id/privasi/", "/en/sign-up/thank-you/"]
)
def test_form_pages_are_the_same_for_everyone(client, url):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and response.cookies == {}
    assert "csrfmiddlewaretoken" not in html and 'style="' not in html
    assert "<script>" not in html  # only the module script tag with a src
    assert 'data-module="asih-form-guard"' in html or "thank-you" in url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/en/daftar/", "/en/sign-up/"),
        ("/id/sign-up/", "/id/daftar/"),
        ("/id/privacy/", "/id/privasi/"),
        ("/en/konsultasi/", "/en/consultation/"),
    ],
)
def test_the_other_language_slug_redirects(client, url, target):
    response = client.get(url)
    assert response.status_code == 301 and response["Location"] == target


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/id/daftar/", "/id/konsultasi/", "/id/privasi/"])
def test_a_cross_site_post_is_refused(client, url):
    response = client.post(url, signup_data(), HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert str(CROSS_SITE_MESSAGE) in response.content.decode()
    assert SignUp.objects.count() == ConsultationRequest.objects.count() == 0


@pytest.mark.django_db
def test_a_bot_that_fills_the_honeypot_is_thanked_but_nothing_is_kept(
    post, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post("/id/daftar/", signup_data(website="http://spam.example"))
        post("/id/daftar/", signup_data(email="person@example.com"))
    assert response.status_code == 303
    assert list(SignUp.objects.values_list("email", flat=True)) == ["person@example.com"]
    assert len(callbacks) == 1  # the person's email only
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["person@example.com"]


@pytest.mark.django_db
def test_a_form_sent_faster_than_a_person_types_is_dropped(post):
    post(
        "/id/privasi/",
        {"email": "a@example.com", "kind": "export", "started": make_started_token()},
    )
    assert PrivacyRequest.objects.count() == 0


@pytest.mark.django_db
def test_a_person_with_javascript_off_or_a_timed_form_gets_through(post):
    post("/id/daftar/", signup_data())  # no timing token: JavaScript off
    post(
        "/id/daftar/",
        signup_data(email="b@example.com", started=make_started_token(time.time() - 60)),
    )
    assert SignUp.objects.count() == 2


@pytest.mark.django_db
def test_too_many_posts_from_one_address_are_refused_with_the_form_kept(post):
    for index in range(SIGNUP_LIMIT.limit):
        assert post("/id/daftar/", signup_data(email=f"s{index}@example.com")).status_code == 303
    response = post("/id/daftar/", signup_data(email="last@example.com"))
    assert response.status_code == 429
    html = response.content.decode()
    assert str(RATE_LIMIT_MESSAGE) in html and 'value="last@example.com"' in html
    assert SignUp.objects.count() == SIGNUP_LIMIT.limit


# --- The error pattern (issue 19, item 3) and emergency first (issue 14, item 5) -------------


def _summary(html):
    import re

    return re.search(r'<div class="form-errors"[^>]*>.*?</div>', html, re.S).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data", "prefix"),
    [
        ("/id/daftar/", {"name": ""}, "Galat: "),
        ("/en/sign-up/", {"name": ""}, "Error: "),
        ("/id/konsultasi/", {"name": ""}, "Galat: "),
        ("/en/consultation/", {"name": ""}, "Error: "),
        ("/id/privasi/", {"email": "x"}, "Galat: "),
        ("/en/privacy/", {"email": "x"}, "Error: "),
    ],
)
def test_an_error_summary_takes_the_focus_and_the_title_says_error(post, url, data, prefix):
    import re

    html = post(url, data).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith(prefix)
    summary = _summary(html)
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    # Every link reaches an element that exists on the page.
    targets = re.findall(r'href="#([^"]*)"', summary)
    assert targets and all(targets)
    for target in targets:
        assert f'id="{target}"' in html, target


@pytest.mark.django_db
def test_the_form_pages_without_errors_have_no_prefix_and_no_summary(client):
    for url in ("/id/daftar/", "/en/consultation/"):
        html = client.get(url).content.decode()
        assert "<title>Galat" not in html and "<title>Error" not in html
        assert 'class="form-errors"' not in html


@pytest.mark.django_db
def test_the_stage_error_links_to_the_first_radio_and_the_fieldset_points_at_it(post):
    html = post("/id/daftar/", signup_data(stage="")).content.decode()
    assert '<a href="#id_stage_0">Pilih tahap Anda saat ini.</a>' in _summary(html)
    assert 'href="#"' not in html
    assert 'id="id_stage_0"' in html
    fieldset = html.split('class="field leads-form__stage')[1].split(">")[0]
    assert 'aria-describedby="id_stage_error"' in fieldset
    assert 'id="id_stage_error"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_consultation_form_says_it_is_not_for_emergencies_first(client, language):
    import re

    url = {"id": "/id/konsultasi/", "en": "/en/consultation/"}[language]
    html = client.get(url).content.decode()
    line = html.split('<p class="not-emergency">')[1].split("</p>")[0]
    assert html.index('class="not-emergency"') < html.index('<form class="leads-form"')
    words = {"id": "Bukan untuk keadaan darurat", "en": "Not for emergencies"}[language]
    assert words in line
    danger = {"id": "/tanda-bahaya-kehamilan/", "en": "/danger-signs-in-pregnancy/"}[language]
    assert re.search(rf'href="/{language}/[^"]*{danger}"', line)
    assert 'href="tel:+6281200000000"' in line and 'href="https://wa.me/6281200000000"' in line


@pytest.mark.django_db
def test_the_question_counts_a_line_break_as_one_character(post):
    from asih.core.protection import make_started_token

    typed = "\n".join(["a" * 24] * 60)  # 1,499 characters as typed, 1,558 as sent
    assert len(typed) == 1499
    response = post(
        "/id/konsultasi/",
        {
            "name": "Sari",
            "phone": "0812 3456 7890",
            "preferred_time": "any",
            "question": typed.replace("\n", "\r\n"),
            "consent": "on",
            "started": make_started_token(now=0),
        },
    )
    assert response.status_code == 303, response.content.decode()[:3000]
    assert ConsultationRequest.objects.get().question == typed
