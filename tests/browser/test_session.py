"""The hands-free guided session in Chromium, with Playwright's clock standing in for time.

Each test installs the fake clock before the page loads, then pauses it, so every second the
session counts is one the test moved on by itself.
"""

import csv
import io
import json
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

SESSION = {
    "id": "/id/setelah-melahirkan/pijat-oksitosin/sesi/",
    "en": "/en/after-birth/oxytocin-massage/session/",
}
GUIDE = {"id": "/id/setelah-melahirkan/pijat-oksitosin/", "en": "/en/after-birth/oxytocin-massage/"}
MY_SESSIONS = {"id": "/id/sesi-saya/", "en": "/en/my-sessions/"}
STORAGE_KEY = "asih.sessions.v1"
PHONE = {"width": 360, "height": 800}
START = datetime(2026, 5, 10, 8, 0, tzinfo=UTC)
PAUSED_AT = START + timedelta(minutes=1)

PREFERENCES_KEY = "asih.session.prefs.v1"
AUTO_ON = f"localStorage.setItem('{PREFERENCES_KEY}', JSON.stringify({{auto: true}}));"

# Counts the tones: every chime is made of OscillatorNodes, no audio file.
COUNT_TONES = """
window.__tones = 0;
const createOscillator = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () {
  window.__tones += 1;
  return createOscillator.call(this);
};
"""

# A speech engine with the given voices that records what it is asked to say.
FAKE_SPEECH = """
(voices) => {
  window.__spoken = [];
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.lang = ""; this.voice = null; }
  };
  const engine = {
    getVoices: () => voices,
    speak: (u) =>
      window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name }),
    cancel: () => {},
    addEventListener: () => {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: engine, configurable: true });
}
"""

FAKE_WAKE_LOCK = """
window.__wake = { requests: 0, releases: 0, sentinels: [] };
const wakeLock = {
  request: async (type) => {
    const sentinel = {
      type,
      released: false,
      async release() {
        if (!this.released) { this.released = true; window.__wake.releases += 1; }
      },
      addEventListener() {},
    };
    window.__wake.requests += 1;
    window.__wake.sentinels.push(sentinel);
    return sentinel;
  },
};
Object.defineProperty(Navigator.prototype, "wakeLock", { get: () => wakeLock, configurable: true });
"""

# WCAG contrast of each element's text against the first opaque background behind it.
CONTRAST = """
(selector) => {
  const parse = (value) => {
    const parts = value.match(/[\\d.]+/g).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour.a > 0.5) return colour;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  return [...document.querySelectorAll(selector)]
    .filter((e) => e.offsetParent !== null && e.textContent.trim())
    .map((e) => {
      const style = getComputedStyle(e);
      const [a, b] = [luminance(parse(style.color)), luminance(background(e))];
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      return {
        text: e.textContent.trim().slice(0, 30),
        ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
        needed: large ? 3 : 4.5,
      };
    });
}
"""

# Every visible thing a finger can press, with its size.
TARGETS = """
(selector) => [...document.querySelectorAll(selector)]
  .filter((e) => e.offsetParent !== null)
  .map((e) => {
    const r = e.getBoundingClientRect();
    return { text: e.textContent.trim().slice(0, 30), width: r.width, height: r.height };
  })
"""


@pytest.fixture
def phone(browser):
    """A 360×800 phone with no service worker (the offline tests cover it) and no cookies."""
    contexts = []

    def open_context(**options):
        options = {"viewport": PHONE, "service_workers": "block", **options}
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        assert context.cookies() == []
        context.close()


def open_session(context, site_url, code="en", scripts=()):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    for script in scripts:
        page.add_init_script(script)
    page.clock.install(time=START)
    page.goto(site_url + SESSION[code])
    expect(page.locator("[data-module='asih-session'][data-session-ready]")).to_have_count(1)
    page.clock.pause_at(PAUSED_AT)
    return page


def session_steps(page):
    return page.evaluate(
        "JSON.parse(document.getElementById('asih-session-data').textContent).steps"
    )


def answer_none_applies(page):
    """The safety question: none of the guide's points applies today."""
    if page.locator("[data-ref='gate-none']").count():
        page.locator("[data-ref='gate-none']").check()


def start(page):
    answer_none_applies(page)
    page.locator("[data-action='start']").click()
    expect(page.locator("[data-panel='steps']")).to_be_visible()


def session_text(page, name):
    return page.evaluate(
        f"JSON.parse(document.getElementById('asih-session-data').textContent).strings.{name}"
    )


def expect_step(page, number, clock=None):
    steps = session_steps(page)
    step_of = session_text(page, "stepOf").format(n=number, total=len(steps))
    expect(page.locator("[data-ref='count']")).to_have_text(step_of)
    expect(page.locator("[data-ref='title']")).to_have_text(steps[number - 1]["title"])
    if clock is not None:
        expect(page.locator("[data-ref='clock']")).to_have_text(clock)


def stored(page):
    return json.loads(page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") or "[]")


def wait_until(page, expression, timeout=5):
    """Poll from the test side: the page's own timers are fake and paused."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.05)


# -- safety check -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["id", "en"])
def test_the_safety_question_decides_whether_to_start(phone, site_url, screenshot_dir, code):
    page = open_session(phone(reduced_motion="reduce"), site_url, code)
    assert page.errors == []
    # With JavaScript the plain list gives way to one question about all the points.
    expect(page.locator("[data-ref='static']")).to_be_hidden()
    safety = session_data(page)["safety"]
    points = page.locator("[data-panel='safety'] .safety__items li")
    expect(points).to_have_count(sum(len(group["items"]) for group in safety))
    assert (
        page.locator("[data-panel='safety'] input[type='checkbox']:not([role='switch'])").count()
        == 0
    )
    start_button = page.locator("[data-action='start']")
    expect(start_button).to_be_disabled()
    expect(page.locator("[data-ref='start-hint']")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"session-safety-{code}-360.png"), full_page=True)

    # "Yes, one applies": no Start, and what to do instead, with the way to ask the clinic.
    page.locator("[data-ref='gate-applies']").check()
    stop = page.locator("[data-ref='gate-stop']")
    expect(stop).to_be_visible()
    expect(stop).to_be_focused()
    expect(start_button).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / f"session-safety-yes-{code}-360.png"))
    stop.locator("a[href='#consult']").click()
    expect(page.locator("#consult")).to_be_in_viewport()
    expect(page.locator("#consult a[href^='https://wa.me/']")).to_be_visible()
    expect(page.locator("[data-panel='steps']")).to_be_hidden()

    # "None applies": Start is there and starts.
    page.locator("[data-ref='gate-none']").check()
    expect(stop).to_be_hidden()
    expect(start_button).to_be_enabled()
    start_button.click()
    expect_step(page, 1, "0:20")


def session_data(page):
    return page.evaluate("JSON.parse(document.getElementById('asih-session-data').textContent)")


# -- the timer --------------------------------------------------------------------------------


def test_step_one_moves_to_step_two_after_its_duration_with_a_tone(phone, site_url):
    page = open_session(phone(), site_url, scripts=[COUNT_TONES])
    start(page)
    first, second = session_steps(page)[:2]
    expect_step(page, 1, "0:20")
    expect(page.locator(".session__image")).to_have_attribute("src", first["image"]["url"])
    page.clock.run_for(first["duration"] * 1000 - 1000)
    expect_step(page, 1, "0:01")
    assert page.evaluate("window.__tones") == 0
    page.clock.run_for(1500)
    expect_step(page, 2)
    expect(page.locator("[data-ref='instruction']")).to_have_text(second["instruction"])
    expect(page.locator(".session__image")).to_have_attribute("src", second["image"]["url"])
    assert page.evaluate("window.__tones") > 0
    # The change is announced politely to screen readers.
    page.clock.run_for(100)
    live = page.locator("[aria-live='polite']")
    # The live region says what to do, not only the step's name.
    expect(live).to_have_text(f"Step 2 of 8: {second['title']}. {second['instruction']}")
    assert page.errors == []


def test_time_comes_from_the_clock_so_a_throttled_tab_catches_up(phone, site_url):
    page = open_session(phone(), site_url)
    start(page)
    # A background tab whose timers were held back fires once after 50 s: 20 + 15 s are over,
    # so step 3 (60 s) is on with 45 s left, exactly as if every tick had run.
    page.clock.fast_forward(50_000)
    expect_step(page, 3, "0:45")
    total = sum(step["duration"] for step in session_steps(page))
    left = total - 50
    expect(page.locator("[data-ref='left']")).to_have_text(f"{left // 60}:{left % 60:02d}")


def test_pause_stops_the_countdown_and_resume_continues(phone, site_url):
    page = open_session(phone(), site_url)
    start(page)
    page.clock.run_for(5000)
    expect_step(page, 1, "0:15")
    # Tap anywhere on the stage.
    page.locator("[data-ref='instruction']").click()
    expect(page.locator("[data-ref='paused']")).to_be_visible()
    toggle = page.locator("[data-action='toggle']")
    expect(toggle).to_have_text("Resume")
    # Its label says what it does; no aria-pressed on top ("Resume, pressed" would mislead).
    assert toggle.get_attribute("aria-pressed") is None
    page.clock.run_for(120_000)
    expect_step(page, 1, "0:15")
    page.locator(".session__image").click()
    expect(page.locator("[data-ref='paused']")).to_be_hidden()
    expect(toggle).to_have_text("Pause")
    page.clock.run_for(14_000)
    expect_step(page, 1, "0:01")
    page.clock.run_for(1500)
    expect_step(page, 2)
    # The Pause button does the same as a tap.
    toggle.click()
    remaining = page.locator("[data-ref='clock']").inner_text()
    page.clock.run_for(30_000)
    expect(page.locator("[data-ref='clock']")).to_have_text(remaining)
    toggle.click()
    page.clock.run_for(2000)
    expect(page.locator("[data-ref='clock']")).not_to_have_text(remaining)


def test_back_next_and_one_more_minute(phone, site_url):
    page = open_session(phone(), site_url)
    start(page)
    total = sum(step["duration"] for step in session_steps(page))
    page.locator("[data-action='next']").click()
    expect_step(page, 2, "0:15")
    page.locator("[data-action='next']").click()
    expect_step(page, 3, "1:00")
    page.locator("[data-action='back']").click()
    expect_step(page, 2, "0:15")
    page.locator("[data-action='back']").click()
    expect_step(page, 1, "0:20")
    left = page.locator("[data-ref='left']")
    expect(left).to_have_text(f"{total // 60}:{total % 60:02d}")

    page.locator("[data-action='extend']").click()
    expect_step(page, 1, "1:20")
    longer = total + 60
    expect(left).to_have_text(f"{longer // 60}:{longer % 60:02d}")
    page.clock.run_for(21_000)
    expect_step(page, 1, "0:59")
    page.clock.run_for(60_000)
    expect_step(page, 2)


def test_keyboard_space_and_arrows(phone, site_url):
    page = open_session(phone(), site_url)
    start(page)
    page.keyboard.press("Space")
    expect(page.locator("[data-ref='paused']")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.locator("[data-ref='paused']")).to_be_hidden()
    page.keyboard.press("ArrowRight")
    expect_step(page, 2)
    page.keyboard.press("ArrowRight")
    expect_step(page, 3)
    page.keyboard.press("ArrowLeft")
    expect_step(page, 2)

    # Every control is reachable with Tab and shows where the focus is.
    reached = []
    for _ in range(5):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                """() => {
                const e = document.activeElement, s = getComputedStyle(e);
                return [e.dataset.action, s.outlineStyle, parseFloat(s.outlineWidth)];
            }"""
            )
        )
    # "Stop / Need help?" comes first, before the controls.
    assert [action for action, _, _ in reached] == ["help", "back", "next", "toggle", "extend"]
    assert all(style != "none" and width >= 2 for _, style, width in reached)
    # On a focused button, Space presses that button (here: one more minute).
    page.keyboard.press("Space")
    expect_step(page, 2, "1:15")


def test_the_script_refuses_to_start_twice(phone, site_url):
    page = open_session(phone(), site_url)
    again = page.evaluate(
        """async () => {
            const module = await import('/static/asih/js/session.js');
            return module.init(document.querySelector('[data-module="asih-session"]'));
        }"""
    )
    assert again is None
    start(page)
    page.locator("[data-action='next']").click()
    expect_step(page, 2)  # one handler, one step


# -- sound, voice, screen ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, voices, expected_lang",
    [
        ("id", [{"lang": "en-US", "name": "English", "localService": True}], None),
        (
            "id",
            [{"lang": "en-US", "name": "English"}, {"lang": "id-ID", "name": "Indonesia"}],
            "id-ID",
        ),
        ("id", [{"lang": "in_ID", "name": "Indonesia (old code)"}], "in_ID"),
        ("en", [{"lang": "id-ID", "name": "Indonesia"}], None),
        ("en", [{"lang": "en-GB", "name": "British"}], "en-GB"),
    ],
)
def test_instructions_are_spoken_only_with_a_voice_for_the_page_language(
    phone, site_url, code, voices, expected_lang
):
    fake = f"({FAKE_SPEECH})({json.dumps(voices)});"
    page = open_session(phone(), site_url, code, scripts=[fake])
    start(page)
    page.clock.run_for(25_000)
    expect_step(page, 2)
    spoken = page.evaluate("window.__spoken")
    if expected_lang is None:
        assert spoken == []  # silent rather than Indonesian read with an English voice
    else:
        steps = session_steps(page)
        assert [item["lang"] for item in spoken] == [expected_lang, expected_lang]
        assert spoken[0]["text"] == f"{steps[0]['title']}. {steps[0]['instruction']}"
        assert spoken[1]["text"].startswith(steps[1]["title"])


def test_headless_chromium_has_no_voice_and_the_session_still_runs(phone, site_url):
    page = open_session(phone(), site_url, "id")
    assert page.evaluate("speechSynthesis.getVoices().length") == 0
    start(page)
    page.clock.run_for(40_000)
    expect_step(page, 3)
    assert page.errors == []


def test_screen_stays_on_and_the_lock_is_taken_again_when_visible(phone, site_url):
    page = open_session(phone(), site_url, scripts=[FAKE_WAKE_LOCK])
    assert page.evaluate("window.__wake.requests") == 0
    start(page)
    wait_until(page, "window.__wake.requests === 1")
    # The browser drops the lock while the page is hidden; back in view, it is asked for again.
    page.evaluate(
        """() => {
            window.__wake.sentinels.at(-1).released = true;
            Object.defineProperty(
                document, 'visibilityState', { value: 'visible', configurable: true }
            );
            document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    wait_until(page, "window.__wake.requests === 2")
    page.clock.run_for(300_000)
    expect(page.locator("[data-panel='aftercare']")).to_be_visible()
    assert page.evaluate("window.__wake.releases") == 0  # still working with the towel
    page.locator("[data-action='finish']").click()
    wait_until(page, "window.__wake.releases === 1")


@pytest.mark.parametrize("motion, animated", [("reduce", False), ("no-preference", True)])
def test_reduced_motion_turns_off_the_ring_animation(phone, site_url, motion, animated):
    page = open_session(phone(reduced_motion=motion), site_url)
    start(page)
    duration = page.locator(".ring__progress").evaluate(
        "e => getComputedStyle(e).transitionDuration"
    )
    assert (duration not in ("0s", "0s, 0s")) is animated


# -- the whole session, kept private ----------------------------------------------------------


def test_whole_session_reaches_the_check_in_kept_only_in_this_browser(browser, site_url):
    # The service worker is allowed here: nothing it does may carry the check-in either.
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")
    # Less motion asked for: steps wait for Next unless the switch says otherwise.
    context.add_init_script(
        "localStorage.setItem('asih.session.prefs.v1', JSON.stringify({auto: true}))"
    )
    requests = []
    context.on(
        "request",
        lambda request: requests.append((request.method, request.url, request.post_data or "")),
    )
    sockets = []
    page = open_session(context, site_url, "en")
    page.on("websocket", lambda socket: sockets.append(socket.url))
    steps = session_steps(page)
    total = sum(step["duration"] for step in steps)
    start(page)
    page.clock.run_for(total * 1000 + 500)

    aftercare = page.locator("[data-panel='aftercare']")
    expect(aftercare).to_be_visible()
    expect(aftercare).to_contain_text("warm towel")
    # The session is already kept, before any check-in.
    record = stored(page)[0]
    assert record["stepsCompleted"] == 8 and record["finished"] is True
    assert record["relaxed"] is None and record["milkFlow"] is None

    page.locator("[data-action='finish']").click()
    checkin = page.locator("[data-panel='checkin']")
    expect(checkin).to_be_visible()
    expect(page.locator("#consult")).to_be_visible()
    page.locator(".checkin__option", has_text="4").click()
    page.locator(".checkin__option", has_text="Not sure").click()
    page.locator(".checkin__save").click()
    expect(page.locator("[data-ref='status']")).to_have_text(
        "Saved on this device only. It is never sent anywhere."
    )
    expect(page.locator("[data-ref='checkin']")).to_be_hidden()

    sessions = stored(page)
    assert len(sessions) == 1
    record = sessions[0]
    assert record["relaxed"] == 4 and record["milkFlow"] == "not_sure"
    assert record["guide"] == page.evaluate(
        "JSON.parse(document.getElementById('asih-session-data').textContent).guide.title"
    )
    assert record["url"] == site_url + GUIDE["en"]
    assert record["startedAt"] == "2026-05-10T08:01:00.000Z"
    assert record["durationSeconds"] == total
    assert record["stepsCompleted"] == record["stepsTotal"] == 8

    page.get_by_role("link", name="My sessions").click()
    page.wait_for_url("**" + MY_SESSIONS["en"])
    item = page.locator(".record")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("4 of 5")
    expect(item).to_contain_text("Not sure")
    expect(item).to_contain_text("8 of 8")

    assert sockets == []
    assert [r for r in requests if r[0] != "GET"] == []
    for method, url, body in requests:
        for secret in (STORAGE_KEY, "not_sure", "milkFlow", "relaxed", "durationSeconds"):
            assert secret not in url and secret not in body, (method, url)
    assert context.cookies() == []
    context.close()


def test_a_guide_whose_steps_are_not_timed_has_no_session(phone, site_url):
    """Latching steps wait for the baby's wide gape, not a clock: no countdown, no session."""
    page = phone().new_page()
    page.goto(site_url + "/en/after-birth/signs-of-a-good-latch/session/")
    assert page.url.endswith("/en/after-birth/signs-of-a-good-latch/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("a[href$='/session/']")).to_have_count(0)
    expect(page.locator("[data-module='asih-session']")).to_have_count(0)


def test_leaving_mid_session_keeps_what_was_done(phone, site_url):
    page = open_session(phone(), site_url, "en")
    start(page)
    page.clock.run_for(40_000)  # steps 1 and 2 (20 + 15 s) are done, step 3 is on
    expect_step(page, 3)
    page.goto(site_url + MY_SESSIONS["en"])
    (record,) = stored(page)
    assert record["stepsCompleted"] == 2 and record["finished"] is False
    assert record["durationSeconds"] == 40
    expect(page.locator(".record")).to_contain_text("Stopped before the end")
    expect(page.locator(".record")).to_contain_text("No answer")


def test_my_sessions_lists_exports_and_deletes(phone, site_url):
    sessions = [
        {
            "id": "a",
            "guide": 'Massage, "gentle" version',
            "url": site_url + GUIDE["en"],
            "language": "en",
            "startedAt": "2026-05-09T07:00:00.000Z",
            "finishedAt": "2026-05-09T07:05:00.000Z",
            "durationSeconds": 300,
            "stepsCompleted": 5,
            "stepsTotal": 8,
            "finished": False,
            "relaxed": 2,
            "milkFlow": "no",
        },
        {
            "id": "b",
            "guide": '=HYPERLINK("x")',
            "url": site_url + GUIDE["id"],
            "language": "id",
            "startedAt": "2026-05-10T08:00:00.000Z",
            "finishedAt": "2026-05-10T08:04:15.000Z",
            "durationSeconds": 255,
            "stepsCompleted": 8,
            "stepsTotal": 8,
            "finished": True,
            "relaxed": 5,
            "milkFlow": "yes",
        },
    ]
    context = phone(accept_downloads=True)
    page = context.new_page()
    page.goto(site_url + MY_SESSIONS["en"])
    page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', {json.dumps(json.dumps(sessions))})")
    page.reload()
    records = page.locator(".record")
    expect(records).to_have_count(2)
    expect(page.locator(".my-sessions__nojs")).to_be_hidden()
    # Newest first, with duration, steps and answers.
    expect(records.nth(0)).to_contain_text("5 of 5")
    expect(records.nth(0)).to_contain_text("Yes")
    expect(records.nth(0)).to_contain_text("4 minutes")
    expect(records.nth(1)).to_contain_text("Stopped before the end")
    expect(records.nth(1)).to_contain_text("2 of 5")

    with page.expect_download() as download_info:
        page.locator("[data-action='export-json']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    exported = json.loads(download.path().read_text())
    assert exported["format"] == STORAGE_KEY
    assert sorted(exported["sessions"], key=lambda s: s["id"]) == sessions

    with page.expect_download() as download_info:
        page.locator("[data-action='export-csv']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2
    by_id = {row["started_at"]: row for row in rows}
    older = by_id["2026-05-09T07:00:00.000Z"]
    assert older["guide"] == 'Massage, "gentle" version'  # commas and quotes survive
    assert older["relaxed"] == "2" and older["milk_flow"] == "no"
    assert older["duration_seconds"] == "300" and older["finished"] == "false"
    # A title that looks like a formula stays text in a spreadsheet.
    assert by_id["2026-05-10T08:00:00.000Z"]["guide"] == '\'=HYPERLINK("x")'

    # Delete all asks first; Cancel keeps everything.
    page.locator("[data-action='delete']").click()
    confirm = page.locator("[data-ref='confirm']")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("Delete all 2 sessions")
    page.locator("[data-action='cancel-delete']").click()
    expect(confirm).to_be_hidden()
    expect(records).to_have_count(2)
    assert len(stored(page)) == 2

    page.locator("[data-action='delete']").click()
    page.locator("[data-action='confirm-delete']").click()
    expect(records).to_have_count(0)
    expect(page.locator("[data-ref='empty']")).to_be_visible()
    expect(page.locator("[data-ref='status']")).to_have_text(
        "All sessions were deleted from this browser."
    )
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
    page.reload()
    expect(page.locator("[data-ref='empty']")).to_be_visible()
    expect(page.locator("[data-action='export-json']")).to_be_hidden()


# -- without JavaScript -----------------------------------------------------------------------


def test_without_javascript_the_session_is_a_list_and_my_sessions_explains(
    phone, site_url, screenshot_dir
):
    context = phone(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + SESSION["id"])
    steps = page.locator("ol.session__steps > li")
    expect(steps).to_have_count(8)
    for index in range(8):
        expect(steps.nth(index).locator("time")).to_have_attribute("datetime", re.compile(r"^PT\d"))
    # Without JavaScript the safety question is a plain list of every caution point the guide
    # carries (the same points the script reads from the page's data).
    data = json.loads(page.locator("#asih-session-data").text_content())
    points = [item for group in data["safety"] for item in group["items"]]
    assert len(points) >= 9  # the oxytocin guide's when-not-to and caution points
    expect(page.locator(".session__safety-list li")).to_have_text(points)
    expect(page.locator("[data-ref='player']")).to_be_hidden()
    expect(page.locator(".aftercare")).to_be_visible()
    expect(page.locator("#consult")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "session-nojs-id-phone.png"), full_page=True)

    page.goto(site_url + MY_SESSIONS["en"])
    expect(page.locator(".my-sessions__nojs")).to_be_visible()
    expect(page.locator(".my-sessions__nojs")).to_contain_text("needs JavaScript")
    expect(page.locator("[data-ref='app']")).to_be_hidden()


# -- looks, reach and readability on a phone --------------------------------------------------


@pytest.mark.parametrize("code", ["id", "en"])
def test_phone_screens_are_readable_and_easy_to_press(phone, site_url, screenshot_dir, code):
    page = open_session(phone(reduced_motion="reduce"), site_url, code, scripts=[AUTO_ON])
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    checks = page.evaluate(CONTRAST, "[data-panel='safety'] :is(h2, p, legend, span, button)")
    assert checks and [c for c in checks if c["ratio"] < c["needed"]] == []
    start(page)
    page.clock.run_for(36_000)  # the longest instruction: step 3
    expect_step(page, 3)
    page.screenshot(path=str(screenshot_dir / f"session-step-{code}-phone.png"))
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    # Step, countdown and every control fit on a 360×800 screen without scrolling.
    for selector in ("[data-ref='count']", "[data-ref='instruction']", "[data-action='extend']"):
        expect(page.locator(selector)).to_be_in_viewport(ratio=1)
    stage = "[data-panel='steps'] :is(p, h2, span, button)"
    checks = page.evaluate(CONTRAST, stage)
    assert len(checks) > 8 and [c for c in checks if c["ratio"] < c["needed"]] == []
    targets = page.evaluate(TARGETS, "[data-panel='steps'] button")
    assert len(targets) == 5  # Stop / Need help?, Back, Next, Pause, One more minute
    assert [t for t in targets if t["width"] < 44 or t["height"] < 44] == []

    page.keyboard.press("Space")
    checks = page.evaluate(CONTRAST, "[data-ref='paused'], [data-ref='toggle']")
    assert len(checks) == 2 and [c for c in checks if c["ratio"] < c["needed"]] == []

    page.locator("[data-action='next']").click()
    for _ in range(5):
        page.locator("[data-action='next']").click()
    expect(page.locator("[data-panel='aftercare']")).to_be_visible()
    page.locator("[data-action='finish']").click()
    page.locator(".checkin__option").nth(2).click()
    page.screenshot(path=str(screenshot_dir / f"session-checkin-{code}-phone.png"), full_page=True)
    targets = page.evaluate(TARGETS, "[data-panel='checkin'] :is(.checkin__option, button)")
    assert len(targets) == 9
    assert [t for t in targets if t["width"] < 44 or t["height"] < 44] == []
    checks = page.evaluate(CONTRAST, "[data-panel='checkin'] :is(legend, p, span, button)")
    assert [c for c in checks if c["ratio"] < c["needed"]] == []


def test_start_link_on_the_guide_opens_the_session(phone, site_url):
    page = phone().new_page()
    page.goto(site_url + GUIDE["en"])
    share = page.locator(".session-start__share")
    assert share.get_attribute("href").startswith("https://wa.me/?text=")
    page.locator(".session-start__button").click()
    page.wait_for_url("**" + SESSION["en"])
    expect(page.locator("[data-panel='safety']")).to_be_visible()


# -- stop and help, switches, reduced motion, accessible names ---------------------------------

HELP_LABEL = {"id": "Berhenti / Butuh bantuan?", "en": "Stop / Need help?"}


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("code", ["id", "en"])
def test_stop_and_help_pauses_and_shows_what_to_do(phone, site_url, screenshot_dir, code, width):
    page = open_session(phone(viewport={"width": width, "height": 800}), site_url, code)
    start(page)
    page.clock.run_for(5000)
    expect_step(page, 1, "0:15")
    help_button = page.locator("[data-action='help']")
    expect(help_button).to_have_text(HELP_LABEL[code])
    expect(help_button).to_be_in_viewport(ratio=1)
    page.screenshot(path=str(screenshot_dir / f"session-step-{code}-{width}.png"))
    help_button.click()
    panel = page.locator("[data-panel='help']")
    expect(panel).to_be_visible()
    expect(panel.locator("h2")).to_be_focused()
    expect(page.locator("[data-panel='steps']")).to_be_hidden()
    # The guide's cautions, the danger-sign advice with its guide, the clinic's WhatsApp.
    data = session_data(page)
    for group in data["helpCautions"]:
        for item in group["items"]:
            expect(panel.get_by_text(item, exact=True)).to_be_visible()
    expect(panel.locator(".help__danger")).to_contain_text("119")
    danger_link = panel.locator(".help__danger a")
    expect(danger_link).to_have_attribute("href", re.compile(rf"^/{code}/"))
    expect(panel.locator("a[href^='https://wa.me/']")).to_be_visible()
    expect(panel.locator(f"a[href='{GUIDE[code]}']")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    page.screenshot(path=str(screenshot_dir / f"session-help-{code}-{width}.png"), full_page=True)
    # The timer stood still while help was open.
    page.clock.run_for(60_000)
    panel.locator("[data-action='help-close']").click()
    expect_step(page, 1, "0:15")
    expect(page.locator("[data-ref='paused']")).to_be_visible()
    expect(page.locator("[data-action='toggle']")).to_be_focused()
    page.locator("[data-action='toggle']").click()
    page.clock.run_for(2000)
    expect_step(page, 1, "0:13")
    # The way back to the guide keeps what was done.
    help_button.click()
    panel.locator(f"a[href='{GUIDE[code]}']").click()
    page.wait_for_url("**" + GUIDE[code])
    assert stored(page)[0]["finished"] is False
    assert page.errors == []


@pytest.mark.parametrize("code", ["id", "en"])
def test_read_aloud_and_sound_switches_are_remembered(phone, site_url, code):
    voices = [{"lang": "id-ID", "name": "Indonesia"}, {"lang": "en-US", "name": "English"}]
    fake = f"({FAKE_SPEECH})({json.dumps(voices)});"
    context = phone()
    page = open_session(context, site_url, code, scripts=[fake, COUNT_TONES])
    # The start panel says the switches exist, and they start on.
    switches = page.locator("[data-panel='safety'] [role='switch']")
    expect(switches).to_have_count(3)
    speech = page.locator("[data-panel='safety'] [data-pref='speech']")
    sound = page.locator("[data-panel='safety'] [data-pref='sound']")
    expect(speech).to_be_checked()
    expect(sound).to_be_checked()
    expect(page.locator("[data-panel='safety'] [data-ref='no-voice']")).to_be_hidden()
    speech.uncheck()
    sound.uncheck()
    start(page)
    page.clock.run_for(25_000)
    expect_step(page, 2)
    assert page.evaluate("window.__spoken") == []
    assert page.evaluate("window.__tones") == 0
    # The same switches on the stage, folded away, show the same state.
    page.locator(".switches-box__summary").click()
    stage_speech = page.locator("[data-panel='steps'] [data-pref='speech']")
    expect(stage_speech).not_to_be_checked()
    expect_step(page, 2)  # opening the switches did not pause or skip
    stage_speech.check()
    page.locator("[data-action='next']").click()
    expect_step(page, 3)
    assert len(page.evaluate("window.__spoken")) == 1
    # Remembered in this browser for the next session.
    stored_preferences = json.loads(page.evaluate(f"localStorage.getItem('{PREFERENCES_KEY}')"))
    assert stored_preferences == {"speech": True, "sound": False, "auto": True}
    page.reload()
    expect(page.locator("[data-session-ready]")).to_have_count(1)
    expect(page.locator("[data-panel='safety'] [data-pref='sound']")).not_to_be_checked()
    expect(page.locator("[data-panel='safety'] [data-pref='speech']")).to_be_checked()


@pytest.mark.parametrize("code", ["id", "en"])
def test_without_a_voice_the_session_says_it_is_silent(phone, site_url, code):
    """Headless Chromium has speechSynthesis and no voices: the silent path."""
    page = open_session(phone(), site_url, code)
    assert page.evaluate("speechSynthesis.getVoices().length") == 0
    note = page.locator("[data-panel='safety'] [data-ref='no-voice']")
    expect(note).to_be_visible()
    page.locator("[data-panel='safety'] [data-pref='speech']").uncheck()
    expect(note).to_be_hidden()


@pytest.mark.parametrize("code", ["id", "en"])
def test_with_less_motion_each_step_waits_for_next(phone, site_url, screenshot_dir, code):
    page = open_session(phone(reduced_motion="reduce"), site_url, code)
    expect(page.locator("[data-panel='safety'] [data-pref='auto']")).not_to_be_checked()
    start(page)
    page.clock.run_for(60_000)  # far past step 1's 20 seconds
    expect_step(page, 1, "0:00")
    waiting = page.locator("[data-ref='waiting']")
    expect(waiting).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"session-waiting-{code}-360.png"))
    page.locator("[data-action='next']").click()
    expect_step(page, 2, "0:15")
    expect(waiting).to_be_hidden()
    # The switch brings auto-advance back at once.
    page.clock.run_for(20_000)
    expect_step(page, 2, "0:00")
    page.locator(".switches-box__summary").click()
    page.locator("[data-panel='steps'] [data-pref='auto']").check()
    expect_step(page, 3)


@pytest.mark.parametrize("code", ["id", "en"])
def test_running_session_has_a_heading_and_named_progress(phone, site_url, code):
    page = open_session(phone(), site_url, code)
    start(page)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    assert page.title  # the page keeps its title
    expect(page.get_by_role("progressbar")).to_have_accessible_name(
        "Kemajuan sesi" if code == "id" else "Progress through the session"
    )
    expect(page.get_by_role("timer")).to_have_count(1)
    page.clock.run_for(255_000)
    expect(page.locator("[data-panel='aftercare']")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


# The latch guide is given timed steps for this test (tests/guides/timed_steps.py), as an
# editor could, and set back afterwards.
TIME_THE_LATCH_STEPS = """
from asih.guides.models import GuidePage
from tests.guides.timed_steps import LATCH_SLUGS, set_steps_timed
for page in GuidePage.objects.filter(slug__in=LATCH_SLUGS):
    set_steps_timed(page, {seconds})
"""


@pytest.mark.parametrize(
    ("code", "path"),
    [
        ("en", "/en/after-birth/signs-of-a-good-latch/session/"),
        ("id", "/id/setelah-melahirkan/tanda-pelekatan-yang-baik/sesi/"),
    ],
)
def test_a_guide_that_is_not_a_massage_asks_no_milk_question(
    phone, site_url, site_manage, screenshot_dir, code, path
):
    site_manage("shell", "--no-imports", "-c", TIME_THE_LATCH_STEPS.format(seconds=30))
    try:
        check_the_latch_session_asks_no_milk_question(phone, site_url, screenshot_dir, code, path)
    finally:
        untimed = TIME_THE_LATCH_STEPS.format(seconds=None)
        site_manage("shell", "--no-imports", "-c", untimed)


def check_the_latch_session_asks_no_milk_question(phone, site_url, screenshot_dir, code, path):
    page = phone().new_page()
    page.clock.install(time=START)
    page.goto(site_url + path)
    expect(page.locator("[data-session-ready]")).to_have_count(1)
    page.clock.pause_at(PAUSED_AT)
    page.locator("[data-action='start']").click()
    steps = session_steps(page)
    for _ in steps:
        page.locator("[data-action='next']").click()
    page.locator("[data-action='finish']").click()
    checkin = page.locator("[data-panel='checkin']")
    expect(checkin.locator("fieldset")).to_have_count(1)
    assert checkin.locator("input[name='milk_flow']").count() == 0
    page.screenshot(
        path=str(screenshot_dir / f"session-checkin-latch-{code}-360.png"), full_page=True
    )
    checkin.locator(".checkin__option").nth(3).click()
    checkin.locator("button[type='submit']").click()
    (record,) = stored(page)
    assert record["asked"] == ["relaxed"] and record["relaxed"] == 4
    page.goto(site_url + MY_SESSIONS[code])
    facts = page.locator(".record__facts dt")
    expect(facts).to_have_count(3)  # duration, steps, how relaxed: no milk row


@pytest.mark.parametrize("width", [320, 360, 1366])
@pytest.mark.parametrize("code", ["id", "en"])
def test_every_state_of_the_session_passes_axe(phone, site_url, code, width):
    """Issue 19: axe-core finds no WCAG A/AA violation in the safety check, a running step,
    the help panel, the "yes, a point applies" answer and the afterwards screen."""
    from tests.browser.axe import assert_no_axe_violations

    page = open_session(phone(viewport={"width": width, "height": 800}), site_url, code)
    assert_no_axe_violations(page, label=f"session safety check {code} {width}")
    page.locator("[data-ref='gate-applies']").check()
    expect(page.locator("[data-ref='gate-stop']")).to_be_visible()
    assert_no_axe_violations(page, label=f"session 'a point applies' {code} {width}")
    start(page)
    page.clock.run_for(5000)
    assert_no_axe_violations(page, label=f"session running {code} {width}")
    page.locator("[data-action='help']").click()
    expect(page.locator("[data-panel='help']")).to_be_visible()
    assert_no_axe_violations(page, label=f"session help panel {code} {width}")
    page.locator("[data-panel='help'] [data-action='help-close']").click()
    page.locator("[data-action='toggle']").click()  # resume
    page.clock.run_for(sum(step["duration"] for step in session_steps(page)) * 1000 + 1000)
    expect(page.locator("[data-panel='aftercare']")).to_be_visible()
    assert_no_axe_violations(page, label=f"session afterwards {code} {width}")
