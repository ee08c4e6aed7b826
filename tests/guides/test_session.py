"""The guided session's pages on the server: same bytes for everyone, readable without
JavaScript, and built from the guide's own blocks (steps, cautions, aftercare, consult)."""

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from django.utils import translation
from django.utils.translation import gettext

from asih.core.models import ClinicSettings
from asih.guides.loader import translation_key
from asih.guides.models import GuidePage
from asih.guides.session import (
    SESSION_STORAGE_KEY,
    danger_signs_guide,
    session_consult,
    session_data,
    session_safety_checks,
    session_texts,
)
from tests.guides.timed_steps import set_steps_timed

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
GUIDE = {"id": "/id/setelah-melahirkan/pijat-oksitosin/", "en": "/en/after-birth/oxytocin-massage/"}
SESSION = {"id": GUIDE["id"] + "sesi/", "en": GUIDE["en"] + "session/"}
MY_SESSIONS = {"id": "/id/sesi-saya/", "en": "/en/my-sessions/"}
SCRIPTS = [ROOT / "asih/static/asih/js/session.js", ROOT / "asih/static/asih/js/my-sessions.js"]


def json_data(html: str, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no #{element_id} data block"
    return json.loads(match.group(1))


@pytest.fixture
def guide_without_steps(db):
    page = GuidePage.objects.get(
        translation_key=translation_key("guide:inisiasi-menyusu-dini"), locale__language_code="en"
    )
    assert page.steps() == []
    return page


# -- the start on the guide page ------------------------------------------------------------


@pytest.mark.parametrize("code", ["id", "en"])
def test_guide_with_steps_offers_the_session_and_the_partner_link(client, oxytocin, code):
    page = oxytocin[code]
    html = client.get(GUIDE[code]).content.decode()
    with translation.override(code):
        start_label = gettext("Start guided session")
        share_label = gettext("Send to my partner")
    start = re.search(r'<a class="button session-start__button" href="([^"]+)">([^<]+)</a>', html)
    assert start and start.group(1) == page.subpage_url("session")
    assert start.group(2) == start_label
    share = re.search(r'href="https://wa\.me/\?text=([^"]+)"[^>]*>([^<]+)</a>', html)
    assert share and share.group(2) == share_label
    message = unquote(unescape(share.group(1)))
    # The partner gets the absolute session URL (from the site's root URL) and the guide title.
    assert message.endswith(page.full_url + SESSION[code].rsplit("/", 2)[-2] + "/")
    assert page.title in message
    assert quote(page.full_url, safe="") in unescape(share.group(1))


def test_guide_page_stays_the_same_bytes_whoever_asks(client):
    first = client.get(GUIDE["id"], HTTP_ACCEPT_LANGUAGE="en", HTTP_USER_AGENT="Phone A")
    second = client.get(GUIDE["id"], HTTP_ACCEPT_LANGUAGE="id", HTTP_USER_AGENT="Laptop B")
    assert first.content == second.content
    assert "session-start" in first.content.decode()
    assert first.cookies == {} and second.cookies == {}


@pytest.mark.parametrize("code", ["id", "en"])
def test_guide_without_steps_has_no_session(client, guide_without_steps, code):
    page = GuidePage.objects.get(
        translation_key=guide_without_steps.translation_key, locale__language_code=code
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "session-start" not in html
    assert page.subpage_url("session") not in html
    # No "send the session to my partner" link; the share bar's WhatsApp link shares the guide.
    assert html.count("wa.me/?text=") == html.count('data-network="whatsapp"') == 1
    # Its session URL leads back to the guide rather than to an empty player.
    response = client.get(page.subpage_url("session"))
    assert response.status_code == 302 and response["Location"] == page.url


# -- the session page -----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["id", "en"])
def test_session_answers_in_each_language(client, oxytocin, code):
    response = client.get(SESSION[code])
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    assert 'data-module="asih-session"' in html
    data = json_data(html, "asih-session-data")
    assert data["language"] == code
    assert data["guide"] == {"title": oxytocin[code].title, "url": GUIDE[code]}
    assert data["sessionUrl"] == SESSION[code]
    assert data["mySessionsUrl"] == MY_SESSIONS[code]
    assert data["storageKey"] == SESSION_STORAGE_KEY
    assert [step["title"] for step in data["steps"]] == [
        step["title"] for step in oxytocin[code].steps()
    ]


@pytest.mark.parametrize(
    "asked, expected",
    [
        (GUIDE["id"] + "session/", SESSION["id"]),
        (GUIDE["en"] + "sesi/", SESSION["en"]),
        ("/id/my-sessions/", MY_SESSIONS["id"]),
        ("/en/sesi-saya/", MY_SESSIONS["en"]),
    ],
)
def test_the_other_languages_slug_redirects(client, asked, expected):
    response = client.get(asked)
    assert response.status_code == 301
    assert response["Location"] == expected


def test_without_javascript_every_step_is_listed_with_its_duration(client, oxytocin):
    page = oxytocin["en"]
    html = client.get(SESSION["en"]).content.decode()
    listing = re.search(r'<ol class="session__steps">(.*?)</ol>', html, re.S).group(1)
    items = re.findall(r'<li class="session__step">(.*?)</li>', listing, re.S)
    steps = page.steps()
    assert len(items) == len(steps) == 8
    for item, step in zip(items, steps, strict=True):
        assert f">{step['title']}</h3>" in item
        minutes, seconds = divmod(step["duration"], 60)
        iso = "PT" + (f"{minutes}M" if minutes else "") + (f"{seconds}S" if seconds else "")
        assert f'<time datetime="{iso}">' in item
        assert unescape(step["instruction"]) in unescape(item)
    assert "20 seconds" in listing and "1 minute" in listing
    assert page.technique()["aftercare"] in unescape(html)
    # The player is in the page too, but hidden until the script starts it.
    assert re.search(r'<div class="session__player" data-ref="player" hidden>', html)


def test_the_offline_cache_is_told_about_the_illustrations_the_player_shows_later(client):
    html = client.get(SESSION["id"]).content.decode()
    urls = re.search(r'data-module="asih-session"[^>]*data-offline-urls="([^"]*)"', html)
    assert urls, "no data-offline-urls on the session"
    listed = urls.group(1).split()
    images = [step["image"]["url"] for step in json_data(html, "asih-session-data")["steps"]]
    assert len(images) == 8 and all(url in listed for url in images)
    assert GUIDE["id"] in listed and MY_SESSIONS["id"] in listed


def test_the_consult_call_to_action_is_on_the_session_page(client, oxytocin):
    html = client.get(SESSION["en"]).content.decode()
    clinic = ClinicSettings.objects.get()
    consult = next(b.value for b in oxytocin["en"].body if b.block_type == "consult")
    assert 'id="consult"' in html
    assert f">{consult['heading']}</h2>" in html
    assert f'href="https://wa.me/{clinic.whatsapp_number}?text=' in html
    # "Something does not fit" leads there, with and without JavaScript.
    assert html.count('href="#consult"') == 2


def test_safety_questions_come_from_the_guides_cautions(client, oxytocin):
    page = oxytocin["en"]
    checks = session_safety_checks(page)
    expected = [item for c in page.callouts("when_not_to", "caution") for item in c["items"]]
    assert [item for group in checks for item in group["items"]] == expected
    assert len(expected) == 10
    html = unescape(client.get(SESSION["en"]).content.decode())
    player = html[html.index('data-ref="player"') : html.index('data-panel="steps"')]
    # Each point is there to read, not to tick: one question is answered for all of them.
    points = re.findall(r"<li>([^<]+)</li>", player)
    assert points == expected
    assert 'type="checkbox"' not in player.split("switches")[0]
    answers = re.findall(r'<input type="radio" name="gate" value="([a-z]+)"', player)
    assert answers == ["none", "applies"]
    assert "Does any of these points apply to Ibu today?" in player
    assert 'data-action="start" disabled' in html


@pytest.mark.parametrize("code", ["id", "en"])
def test_a_yes_explains_what_to_do_instead(client, oxytocin, code):
    html = unescape(client.get(SESSION[code]).content.decode())
    with translation.override(code):
        stop = gettext("Then please do not start today")
        rule = gettext(
            "If any of these applies to Ibu today, do not start: do what the point says, "
            "and ask the clinic first."
        )
    stop_block = re.search(
        r'<div class="gate__stop" data-ref="gate-stop" hidden[^>]*>(.*?)</div>', html, re.S
    )
    assert stop_block and stop in stop_block.group(1) and 'href="#consult"' in stop_block.group(1)
    # Without JavaScript the list says the same rule.
    assert rule in html


def test_an_editors_change_to_a_caution_reaches_the_session(client, oxytocin):
    page = oxytocin["en"]
    raw = page.body.get_prep_value()
    callout = next(b for b in raw if b["type"] == "callout" and b["value"]["kind"] == "caution")
    old_item = callout["value"]["items"][0]["value"]
    callout["value"]["items"][0]["value"] = "Check the room is warm enough before you begin."
    page.body = raw
    page.save_revision().publish()

    raw_html = client.get(SESSION["en"]).content.decode()
    data = json_data(raw_html, "asih-session-data")
    assert data["safety"][1]["items"][0] == "Check the room is warm enough before you begin."
    markup = unescape(raw_html[: raw_html.index('<script id="asih-session-data"')])
    assert old_item not in unescape(raw_html)
    # In the plain list (no JavaScript), the gate (with it) and the help panel.
    assert markup.count("<li>Check the room is warm enough before you begin.</li>") == 3


def test_a_guide_with_steps_but_no_cautions_starts_straight_away(client, oxytocin):
    page = oxytocin["en"]
    page.body = [b for b in page.body.get_prep_value() if b["type"] != "callout"]
    page.save_revision().publish()
    html = client.get(SESSION["en"]).content.decode()
    assert 'name="gate"' not in html
    assert re.search(r'data-action="start">', html), (
        "start is enabled when there is nothing to answer"
    )


def test_session_sets_no_cookie_and_has_no_inline_code(client):
    for url in (SESSION["id"], SESSION["en"], MY_SESSIONS["id"], MY_SESSIONS["en"]):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cookies == {} and "Set-Cookie" not in response
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert not re.search(r"\sstyle=", html) and "<style" not in html
        assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_session_is_the_same_bytes_for_every_visitor(client):
    first = client.get(SESSION["en"], HTTP_ACCEPT_LANGUAGE="id", HTTP_USER_AGENT="A")
    second = client.get(SESSION["en"], HTTP_ACCEPT_LANGUAGE="en-GB", HTTP_USER_AGENT="B")
    assert first.content == second.content


def test_session_stylesheet_only_where_it_is_used(client):
    link = '<link rel="stylesheet" href="/static/asih/css/session.css">'
    assert link in client.get(SESSION["id"]).content.decode()
    assert link in client.get(MY_SESSIONS["en"]).content.decode()
    assert link not in client.get(GUIDE["id"]).content.decode()
    assert link not in client.get("/id/").content.decode()


# -- the data the player reads --------------------------------------------------------------


def test_session_data_is_built_from_the_guides_blocks(rf, oxytocin):
    page = oxytocin["id"]
    with translation.override("id"):
        data = session_data(page, rf.get(SESSION["id"]))
        step_of = gettext("Step %(n)s of %(total)s") % {"n": "{n}", "total": "{total}"}
    assert data["language"] == "id"
    assert data["totalSeconds"] == page.technique().total_seconds == 255
    assert data["aftercare"] == page.technique()["aftercare"]
    for step, source in zip(data["steps"], page.steps(), strict=True):
        assert step["duration"] == source["duration"]
        assert step["image"]["url"] == source["image"].file.url
        assert step["image"]["url"].endswith(".svg")
        assert step["image"]["width"] > 0 and step["image"]["height"] > 0
    assert data["strings"]["stepOf"] == step_of
    assert data["totalTime"] == {
        "minMinutes": 3,
        "maxMinutes": 5,
        "note": page.total_time()["note"],
    }
    assert data["safety"] == session_safety_checks(page)
    clinic = ClinicSettings.objects.get()
    assert data["consult"]["whatsapp_url"] == clinic.whatsapp_url == "https://wa.me/6281200000000"
    assert data["consult"]["whatsapp_display"] == clinic.whatsapp_display
    assert "{n}" in step_of and "{total}" in step_of


def test_consult_falls_back_when_the_guide_has_none_and_the_clinic_has_no_number(rf, oxytocin):
    page = oxytocin["en"]
    page.body = [b for b in page.body.get_prep_value() if b["type"] != "consult"]
    clinic = ClinicSettings(name="Test clinic", whatsapp_number="")
    with translation.override("en"):
        consult = session_consult(page, clinic)
    assert consult["heading"] == "Would you like some help?"
    assert consult["whatsapp_url"] == ""
    assert page.title in consult["message"]


def test_session_scripts_never_send_anything(oxytocin):
    """Check-ins stay in the browser: the scripts have no way to reach the network at all."""
    for script in SCRIPTS:
        source = script.read_text()
        for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource"):
            assert call not in source, f"{script.name} uses {call}"
        assert "localStorage" in source or "saveSession" in source
        # Only relative imports of the site's own modules.
        assert re.findall(r'from\s+"([^"]+)"', source) in ([], ["./my-sessions.js"])


# -- My sessions ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["id", "en"])
def test_my_sessions_explains_itself_without_javascript(client, code):
    response = client.get(MY_SESSIONS[code])
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(code):
        needs_js = gettext(
            "This list lives in your browser and needs JavaScript. Turn JavaScript on to see, "
            "save a copy of or delete your sessions."
        )
        title = gettext("My sessions")
    assert needs_js in unescape(html)
    assert f"<h1>{title}</h1>" in html
    assert '<meta name="robots" content="noindex">' in html
    data = json_data(html, "asih-my-sessions-data")
    assert data["storageKey"] == SESSION_STORAGE_KEY and data["language"] == code
    assert set(data["strings"]["milk"]) == {"yes", "no", "not_sure"}


def test_indonesian_interface_uses_the_clinics_words(client):
    """Needs the session's Indonesian catalogue entries (/tmp/po-session.po) merged into locale/."""
    guide = client.get(GUIDE["id"]).content.decode()
    assert ">Mulai panduan</a>" in guide and ">Kirim ke pasangan</a>" in guide
    html = client.get(SESSION["id"]).content.decode()
    buttons = {
        action: re.sub(r"<[^>]+>|[‹›]", "", label).strip()
        for action, label in re.findall(
            r'<button[^>]*data-action="([a-z]+)"[^>]*>(.*?)</button>', html
        )
    }
    assert buttons == {
        "start": "Mulai",
        "back": "Kembali",
        "next": "Berikutnya",
        "toggle": "Jeda",
        "extend": "Tambah 1 menit",
        "finish": "Selesai",
        "help": "Berhenti / Butuh bantuan?",
    }
    assert ">Sisa waktu</span>" in html
    strings = json_data(html, "asih-session-data")["strings"]
    assert strings["stepOf"] == "Langkah {n} dari {total}"
    assert strings["resume"] == "Lanjut"
    my_sessions = client.get(MY_SESSIONS["id"]).content.decode()
    for words in ("Sesi saya", "Hapus semua", "Simpan salinan (berkas JSON)", "berkas CSV"):
        assert words in my_sessions, words


# -- session text is the guide's data -------------------------------------------------------

LATCH = {
    "id": "/id/setelah-melahirkan/pelekatan-menyusui/",
    "en": "/en/after-birth/signs-of-a-good-latch/",
}


def latch_page(code):
    """A guide that is not a massage, given timed steps (the demo content times only the
    oxytocin massage; latching is untimed there): what an editor may publish tomorrow."""
    page = GuidePage.objects.get(
        translation_key=translation_key("guide:pelekatan-menyusui"), locale__language_code=code
    )
    set_steps_timed(page, 60)
    page.refresh_from_db()
    return page


@pytest.mark.parametrize("code", ["id", "en"])
def test_the_oxytocin_guide_keeps_its_massage_words(client, oxytocin, code):
    with translation.override(code):
        oily = gettext(
            "One step at a time in large type, with a timer that moves on by itself: no "
            "scrolling with oily hands."
        )
        relaxed = gettext("How relaxed do you feel now?")
        milk = gettext("Did your milk flow?")
    guide = unescape(client.get(GUIDE[code]).content.decode())
    assert f'<p class="session-start__text">{oily}</p>' in guide
    html = unescape(client.get(SESSION[code]).content.decode())
    legends = re.findall(
        r'<fieldset class="checkin__question" data-answer="([a-z_]+)">\s*<legend>([^<]+)</legend>',
        html,
    )
    assert legends == [("relaxed", relaxed), ("milk_flow", milk)]
    data = json_data(html, "asih-session-data")
    assert [q["answer"] for q in data["texts"]["checkin"]] == ["relaxed", "milk_flow"]


@pytest.mark.parametrize("code", ["id", "en"])
def test_a_guide_that_is_not_a_massage_gets_no_massage_words(client, code):
    page = latch_page(code)
    assert page.steps()
    with translation.override(code):
        general = gettext("One step at a time in large type, with a timer that moves on by itself.")
        oily = gettext(
            "One step at a time in large type, with a timer that moves on by itself: no "
            "scrolling with oily hands."
        )
        milk = gettext("Did your milk flow?")
        relaxed = gettext("How relaxed do you feel now?")
    guide = unescape(client.get(page.url).content.decode())
    assert f'<p class="session-start__text">{general}</p>' in guide and oily not in guide
    html = unescape(client.get(page.url + SESSION[code].rsplit("/", 2)[-2] + "/").content.decode())
    assert milk not in html and 'name="milk_flow"' not in html
    assert f"<legend>{relaxed}</legend>" in html


def test_an_editor_sets_the_session_texts_in_the_steps_block(client):
    page = latch_page("en")
    raw = page.body.get_prep_value()
    steps = next(b for b in raw if b["type"] == "steps")
    steps["value"]["session"] = {
        "invitation": "Keep the phone by the bed and follow along.",
        "preparation": "Sit comfortably with the baby close.",
        "checkin": [
            {
                "type": "item",
                "id": "3f1c8f0e-1111-4d5e-9c1a-000000000001",
                "value": {"answer": "relaxed", "question": "How calm is the feed now?"},
            }
        ],
    }
    page.body = raw
    page.save_revision().publish()
    assert "Keep the phone by the bed and follow along." in client.get(page.url).content.decode()
    html = client.get(page.url + "session/").content.decode()
    assert '<p class="session__preparation">Sit comfortably with the baby close.</p>' in html
    assert "<legend>How calm is the feed now?</legend>" in html


def test_session_texts_fall_back_to_plain_defaults(oxytocin):
    page = latch_page("en")
    with translation.override("en"):
        texts = session_texts(page)
    assert texts["checkin"] == [{"answer": "relaxed", "question": "How relaxed do you feel now?"}]
    assert "oily" not in texts["invitation"] and "oily" not in texts["preparation"]


# -- stop and help ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["id", "en"])
def test_the_running_session_has_stop_and_help(client, oxytocin, code):
    page = oxytocin[code]
    html = unescape(client.get(SESSION[code]).content.decode())
    with translation.override(code):
        label = gettext("Stop / Need help?")
        danger = gettext("Danger signs: get help now")
    stage = html[html.index('data-panel="steps"') : html.index('data-panel="help"')]
    assert f'data-action="help" aria-controls="session-help">{label}</button>' in stage
    panel = html[html.index('data-panel="help"') : html.index('data-panel="aftercare"')]
    assert danger in panel and "119" in panel
    cautions = [i for c in page.callouts("caution") for i in c["items"]]
    assert cautions and all(f"<li>{item}</li>" in panel for item in cautions)
    clinic = ClinicSettings.objects.get()
    assert f'href="https://wa.me/{clinic.whatsapp_number}?text=' in panel
    assert f'href="{page.url}"' in panel and 'data-action="help-close"' in panel
    # The danger-signs guide is found by its translation key, in the page's own language.
    danger_guide = danger_signs_guide(page)
    assert danger_guide is not None and danger_guide.locale_id == page.locale_id
    assert f'href="{danger_guide.url}"' in panel
    # Sessions are for the days after birth: the warning signs for mother and newborn.
    assert danger_guide.translation_key == translation_key("guide:tanda-bahaya-setelah-melahirkan")


@pytest.mark.parametrize("code", ["id", "en"])
def test_the_plan_links_the_warning_signs_after_birth(client, oxytocin, code):
    page = oxytocin[code]
    html = client.get(page.url + ("rencana/" if code == "id" else "plan/")).content.decode()
    danger_guide = danger_signs_guide(page)
    assert danger_guide.translation_key == translation_key("guide:tanda-bahaya-setelah-melahirkan")
    assert f'href="{danger_guide.url}"' in html


def test_the_danger_link_leaves_out_a_guide_that_is_not_public(client, oxytocin):
    guide = danger_signs_guide(oxytocin["en"])
    guide.unpublish()
    html = client.get(SESSION["en"]).content.decode()
    assert (
        guide.url_path.split("/")[-2]
        not in html.split('data-panel="help"')[1].split("</section>")[0]
    )
    assert danger_signs_guide(oxytocin["en"]) is None


# -- accessible names -----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["id", "en"])
def test_session_has_a_heading_and_named_progress(client, oxytocin, code):
    html = client.get(SESSION[code]).content.decode()
    with translation.override(code):
        progress = gettext("Progress through the session")
        paused = gettext("Paused. Press Resume when you are ready.")
    assert html.count("<h1") == 1
    progress_tag = re.search(r'<progress class="session__progress"[^>]*>', html).group(0)
    assert f'aria-label="{progress}"' in progress_tag
    assert "aria-pressed" not in html
    assert 'role="timer"' in html
    assert unescape(paused) in unescape(html) and "Tap to resume" not in html
    # The switches are named and said to exist before the start.
    for pref in ("speech", "sound", "auto"):
        assert html.count(f'role="switch" class="switch__input" data-pref="{pref}"') == 2
