"""Guide pages render in both languages, honestly, with no per-visitor bytes."""

import re
from datetime import date

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from asih.core.models import Clinician
from asih.guides.models import GuidePage, HomePage, StageIndexPage

pytestmark = pytest.mark.django_db

OXYTOCIN = {
    "id": "/id/setelah-melahirkan/pijat-oksitosin/",
    "en": "/en/after-birth/oxytocin-massage/",
}


def test_bare_domain_opens_indonesian_whatever_the_browser_prefers(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/id/"


@pytest.mark.parametrize("code", ["id", "en"])
def test_guide_renders_in_each_language(client, code):
    response = client.get(OXYTOCIN[code])
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    assert html.count('class="step"') == 8
    assert "3–5" in html


def test_language_switch_links_each_page_to_its_translation(client):
    html = client.get(OXYTOCIN["id"]).content.decode()
    assert f'href="{OXYTOCIN["en"]}" hreflang="en"' in html
    html = client.get(OXYTOCIN["en"]).content.decode()
    assert f'href="{OXYTOCIN["id"]}" hreflang="id"' in html


def test_interface_strings_are_translated(client):
    indonesian = client.get(OXYTOCIN["id"]).content.decode()
    english = client.get(OXYTOCIN["en"]).content.decode()
    assert "Belum ditinjau secara medis" in indonesian
    assert "Not yet medically reviewed" in english
    assert "Sekilas" in indonesian and "At a glance" in english


def test_every_page_of_the_tree_renders_in_both_languages(client):
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert pages.count() >= 2 * (1 + 3 + 6)
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url


@pytest.mark.parametrize("url", ["/id/", "/en/", "/id/saat-hamil/", OXYTOCIN["id"], OXYTOCIN["en"]])
def test_public_pages_set_no_cookie_and_have_no_inline_script_or_style(client, url):
    response = client.get(url)
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    # Scripts are files; only inert JSON data blocks may sit in the page.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or re.search(r'type="application/(?:ld\+)?json"', tag), tag
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert "<style" not in html


@pytest.mark.parametrize("url", ["/id/", OXYTOCIN["id"], OXYTOCIN["en"]])
def test_nothing_is_loaded_from_another_host(client, url):
    html = client.get(url).content.decode()
    # canonical/hreflang/feed links name this site's own absolute addresses; nothing is fetched.
    site_links = re.findall(r'<link rel="(?:canonical|alternate)"[^>]*>', html)
    assert site_links and all('href="http://localhost/' in tag for tag in site_links)
    html = re.sub(r'<link rel="(?:canonical|alternate)"[^>]*>', "", html)
    for tag in re.findall(r"<(?:img|script|link|iframe|source)\b[^>]*>", html):
        for address in re.findall(r'(?:src|href|srcset)="([^"]*)"', tag):
            assert not re.match(r"(https?:)?//", address), tag
    # The only links that leave the site are ones the reader taps on purpose (WhatsApp, and
    # the share bar's Facebook, X and Telegram links).
    hosts = set(re.findall(r'href="(?:https?:)?//([^/"?]+)', html))
    assert hosts <= {"wa.me", "www.facebook.com", "x.com", "t.me"}, hosts


def test_unreviewed_guide_says_so_and_claims_no_reviewer(client):
    html = client.get(OXYTOCIN["en"]).content.decode()
    assert "Not yet medically reviewed." in html
    assert "Reviewed by" not in html


def test_reviewed_guide_names_the_clinician_and_dates(client, oxytocin):
    page = oxytocin["en"]
    reviewer = Clinician.objects.create(
        name="Test Reviewer", credentials="IBCLC", locale=page.locale
    )
    page.reviewer = reviewer
    page.last_reviewed = date(2026, 6, 1)
    page.next_review_due = date(2027, 6, 1)
    page.save_revision().publish()
    html = client.get(OXYTOCIN["en"]).content.decode()
    assert "Reviewed by Test Reviewer, IBCLC" in html
    assert "1 June 2026" in html and "1 June 2027" in html
    assert "Not yet medically reviewed" not in html


def test_review_dates_without_a_reviewer_are_refused(oxytocin):
    from django.core.exceptions import ValidationError

    page = oxytocin["id"]
    page.last_reviewed = date(2026, 6, 1)
    page.next_review_due = date(2027, 6, 1)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "reviewer" in error.value.message_dict


def test_machine_readable_steps_total_time_and_schedule(oxytocin):
    page = oxytocin["id"]
    steps = page.steps()
    assert len(steps) == 8
    assert all(step["duration"] > 0 for step in steps)
    assert sum(step["duration"] for step in steps) == page.technique().total_seconds
    total = page.total_time()
    assert (total["min_minutes"], total["max_minutes"]) == (3, 5)
    schedule = page.schedule()
    assert schedule["times_per_day"] == 1 and schedule["every_n_days"] == 1
    assert (schedule["focus_start_day"], schedule["focus_end_day"]) == (1, 3)
    assert {c["kind"] for c in page.callouts("when_not_to", "caution")} == {
        "when_not_to",
        "caution",
    }


def test_guide_page_query_count_is_bounded(client, django_assert_max_num_queries):
    client.get(OXYTOCIN["id"])  # warm per-process caches (content types, site root paths)
    # 19 for the guide + its share count + the related-guides list + 2 for its comments.
    with django_assert_max_num_queries(23):
        client.get(OXYTOCIN["id"])


def test_unknown_page_is_a_friendly_404_in_the_right_language(client):
    response = client.get("/en/no-such-guide/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    response = client.get("/id/tidak-ada/")
    assert "Halaman tidak ditemukan" in response.content.decode()


class TestPageRules(WagtailPageTestCase):
    def test_where_pages_may_be_created(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanCreateAt(HomePage, StageIndexPage)
        self.assertCanCreateAt(StageIndexPage, GuidePage)
        self.assertCanNotCreateAt(HomePage, GuidePage)
        self.assertCanNotCreateAt(GuidePage, GuidePage)
        self.assertCanNotCreateAt(Page, GuidePage)
        self.assertAllowedSubpageTypes(GuidePage, set())

    def test_guide_pages_render_and_preview(self):
        for page in GuidePage.objects.all():
            self.assertPageIsRenderable(page)
            # What an editor sees in the preview panel, drafts included.
            response = page.make_preview_request()
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, page.title)


# -- home: the flagship one tap away, "ask the midwife" (issue 14, item 6) ------------------
DANGER_SIGNS = {
    "id": "/id/saat-hamil/tanda-bahaya-kehamilan/",
    "en": "/en/pregnancy/danger-signs-in-pregnancy/",
}
WARNING_SIGNS_AFTER_BIRTH = {
    "id": "/id/setelah-melahirkan/tanda-bahaya-setelah-melahirkan/",
    "en": "/en/after-birth/warning-signs-after-birth/",
}


def _home(code):
    return HomePage.objects.get(locale__language_code=code)


def _card_links(html, css_class):
    section = html.split(f'class="{css_class}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="card__title"><a href="([^"]+)"', section)


@pytest.mark.parametrize("code", ["id", "en"])
def test_home_features_the_oxytocin_and_danger_signs_guides_first(client, code):
    html = client.get(f"/{code}/").content.decode()
    assert _card_links(html, "container featured") == [
        OXYTOCIN[code],
        WARNING_SIGNS_AFTER_BIRTH[code],
        DANGER_SIGNS[code],
    ]
    # Before the banner and the stage cards: one tap from the home page, near the top.
    assert html.index('class="container featured"') < html.index('class="banner"')


@pytest.mark.parametrize("code", ["id", "en"])
def test_home_shows_ask_the_midwife_with_whatsapp_and_the_consultation_form(client, code):
    from asih.core.localized_urls import reverse_in
    from asih.core.models import ClinicSettings

    html = client.get(f"/{code}/").content.decode()
    box = html.split('aria-labelledby="ask-title"', 1)[1].split("</section>", 1)[0]
    assert ("Tanya bidan" if code == "id" else "Ask the midwife") in box
    clinic = ClinicSettings.objects.get()
    assert clinic.whatsapp_number
    assert f'href="https://wa.me/{clinic.whatsapp_number}"' in box
    assert f'href="{reverse_in(code, "leads:consultation")}"' in box


def test_editors_choose_and_order_the_featured_guides(client):
    from asih.guides.models import HomeFeaturedGuide

    home = _home("en")
    latch = GuidePage.objects.get(url_path__endswith="/signs-of-a-good-latch/")
    danger = GuidePage.objects.get(url_path__endswith="/danger-signs-in-pregnancy/")
    home.featured_guides = [HomeFeaturedGuide(guide=danger), HomeFeaturedGuide(guide=latch)]
    home.save_revision().publish()
    html = client.get("/en/").content.decode()
    assert _card_links(html, "container featured") == [DANGER_SIGNS["en"], latch.url]
    # A guide taken offline drops out instead of leaving a broken card.
    latch.unpublish()
    html = client.get("/en/").content.decode()
    assert _card_links(html, "container featured") == [DANGER_SIGNS["en"]]


def test_loading_the_content_again_keeps_the_editors_featured_choice(client):
    from asih.guides.loader import ContentLoader
    from asih.guides.models import HomeFeaturedGuide

    home = _home("id")
    danger = GuidePage.objects.get(url_path__endswith="/tanda-bahaya-kehamilan/")
    home.featured_guides = [HomeFeaturedGuide(guide=danger)]
    home.save_revision().publish()
    ContentLoader().load()
    assert [item.guide_id for item in _home("id").featured_guides.all()] == [danger.pk]


@pytest.mark.parametrize("code", ["id", "en"])
def test_oxytocin_guide_comes_first_on_its_stage(client, code):
    slug = "/after-birth/" if code == "en" else "/setelah-melahirkan/"
    stage = StageIndexPage.objects.get(locale__language_code=code, url_path__endswith=slug)
    html = client.get(stage.url).content.decode()
    links = re.findall(r'class="card__title"><a href="([^"]+)"', html)
    assert links[:2] == [OXYTOCIN[code], WARNING_SIGNS_AFTER_BIRTH[code]]
    assert len(links) == 5  # the warning signs after birth joined the four


def test_editors_order_guides_on_a_stage(client):
    stage = StageIndexPage.objects.get(url_path__endswith="/setelah-melahirkan/")
    latch = GuidePage.objects.get(url_path__endswith="/tanda-pelekatan-yang-baik/")
    # What the admin's "sort child pages" does: move the page among its siblings.
    latch.move(stage, pos="first-child")
    html = client.get(stage.url).content.decode()
    links = re.findall(r'class="card__title"><a href="([^"]+)"', html)
    assert links[:2] == [latch.url, OXYTOCIN["id"]]


# -- accessible names (issue 19, items 7, 9, 10, 11, 12) -------------------------------------
def test_language_switch_names_the_languages_in_their_own_words(client):
    html = client.get(OXYTOCIN["id"]).content.decode()
    switch = html.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{OXYTOCIN["en"]}" hreflang="en" lang="en">English</a>' in switch
    assert '<span aria-current="true" lang="id">Bahasa Indonesia</span>' in switch
    html = client.get(OXYTOCIN["en"]).content.decode()
    switch = html.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    assert 'hreflang="id" lang="id">Bahasa Indonesia</a>' in switch
    assert ">EN<" not in switch and ">ID<" not in switch


def test_the_two_search_forms_of_the_results_page_have_different_names(client):
    html = client.get("/en/search/?q=massage").content.decode()
    forms = re.findall(r'<form[^>]*role="search"[^>]*>', html)
    assert len(forms) == 2
    assert 'aria-label="Site search"' in forms[0]
    assert 'aria-labelledby="search-title"' in forms[1]
    assert '<h1 id="search-title">Search the guides</h1>' in html


@pytest.mark.parametrize("code", ["id", "en"])
def test_each_step_question_link_names_its_step(client, code):
    html = client.get(OXYTOCIN[code]).content.decode()
    links = re.findall(r'<p class="step__ask"><a [^>]*>(.*?)</a>', html)
    assert len(links) == 8
    assert len(set(links)) == 8
    word = "langkah" if code == "id" else "step"
    assert f'<span class="visually-hidden"> ({word} 1: ' in links[0]


def test_a_step_illustration_gets_its_text_as_alt(client, oxytocin):
    page = oxytocin["en"]
    data = [dict(block) for block in page.body.raw_data]  # plain data, as a form would send
    for block in data:
        if block["type"] == "steps":
            step = block["value"]["steps"][1]
            step = step.get("value", step)  # list items are stored as {type, value, id}
            step["image_alt"] = "Two thumbs either side of the spine"
    page.body = data
    page.save_revision().publish()
    page = GuidePage.objects.get(pk=page.pk)
    assert page.steps()[1]["image_alt"] == "Two thumbs either side of the spine"
    html = client.get(page.url).content.decode()
    figure = html.split('id="step-2"', 1)[1].split("</li>", 1)[0]
    assert 'alt="Two thumbs either side of the spine"' in figure, figure


@pytest.mark.parametrize("code", ["id", "en"])
def test_share_links_that_open_a_new_window_say_so(client, code):
    html = client.get(OXYTOCIN[code]).content.decode()
    share = html.split('class="share"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a [^>]*target="_blank"[^>]*>.*?</a>', share)
    assert len(links) == 4
    said = "(membuka jendela baru)" if code == "id" else "(opens in a new window)"
    assert all(f'<span class="visually-hidden"> {said}</span>' in link for link in links)
