"""The hands-free guided session: a guide's steps one at a time, and the browser-kept history.

Both pages are the same bytes for every visitor: everything personal (check-ins, the list of
sessions) is written and read by the page's script in localStorage and never reaches the server.
"""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from asih.core.models import ClinicSettings

# The localStorage key the session page writes and "My sessions" reads; a new shape of record
# gets a new version rather than a migration in the browser.
SESSION_STORAGE_KEY = "asih.sessions.v1"

# Where the session's switches (read aloud, sound, move on by itself) are remembered; like
# the sessions themselves, only in this browser.
PREFERENCES_STORAGE_KEY = "asih.session.prefs.v1"

# Callouts whose points the reader checks before the first step ("does any of these apply?").
SAFETY_CALLOUT_KINDS = ("when_not_to", "caution")
# Callouts shown again when the reader stops a running session to ask for help.
HELP_CALLOUT_KINDS = ("caution",)

# The guide the help panel links for danger signs, by the content loader's key (its
# translation key, so each language finds its own copy): guided sessions are for the days
# after birth, so the warning signs for mother and newborn.
DANGER_SIGNS_GUIDE_KEY = "guide:tanda-bahaya-setelah-melahirkan"

# Bitmap illustrations are served as one rendition wide enough for a phone or tablet stage.
STEP_IMAGE_RENDITION = "width-800|format-webp"


def step_image_data(image) -> dict | None:
    """The URL and size of a step illustration: SVGs as they are, others as a WebP rendition."""
    if image is None:
        return None
    if image.is_svg():
        return {"url": image.file.url, "width": image.width, "height": image.height}
    rendition = image.get_rendition(STEP_IMAGE_RENDITION)
    return {"url": rendition.url, "width": rendition.width, "height": rendition.height}


def session_safety_checks(page) -> list[dict]:
    """The guide's "when not to" and caution points, grouped as the editor wrote them."""
    return [
        {
            "heading": callout["heading"],
            "intro": callout["intro"],
            "items": list(callout["items"]),
        }
        for callout in page.callouts(*SAFETY_CALLOUT_KINDS)
    ]


def session_help_cautions(page) -> list[dict]:
    """The points that say when to stop, shown again when the reader asks for help."""
    return [
        {"heading": callout["heading"], "items": list(callout["items"])}
        for callout in page.callouts(*HELP_CALLOUT_KINDS)
    ]


def danger_signs_guide(page):
    """The danger-signs guide in the page's language, if it is live and public."""
    return page.guide_by_key(DANGER_SIGNS_GUIDE_KEY)


def default_checkin() -> list[dict]:
    return [{"answer": "relaxed", "question": _("How relaxed do you feel now?")}]


def session_texts(page) -> dict:
    """The session's words for this guide (the steps block's own texts), or plain defaults.

    The defaults fit any guide with steps: no massage-only wording and no milk question.
    """
    technique = page.technique() or {}
    texts = technique.get("session") or {}
    checkin = [
        {"answer": question["answer"], "question": question["question"]}
        for question in texts.get("checkin") or []
        if question.get("question")
    ]
    return {
        "invitation": texts.get("invitation")
        or _("One step at a time in large type, with a timer that moves on by itself."),
        "preparation": texts.get("preparation")
        or _(
            "Get everything ready, then press Start. Each step moves on by itself when its "
            "time is up."
        ),
        "checkin": checkin or default_checkin(),
    }


def session_consult(page, clinic: ClinicSettings) -> dict:
    """The call to consult: the guide's own consult block if it has one, and the clinic's number."""
    block = page.first_block("consult")
    message = _('Hello, I have read the guide "%(title)s" and I would like to ask a question.') % {
        "title": page.title
    }
    return {
        "heading": block["heading"] if block else _("Would you like some help?"),
        "text": block["text"]
        if block
        else _("A midwife or lactation counsellor at the clinic can help you."),
        "button": block["button"] if block else _("Ask on WhatsApp"),
        "message": message,
        "whatsapp_url": clinic.whatsapp_url,
        "whatsapp_number": clinic.whatsapp_number,
        "whatsapp_display": clinic.whatsapp_display,
    }


def session_strings() -> dict:
    """Interface text the script composes at run time ({n}-style placeholders it fills in)."""
    placeholders = {"n": "{n}", "total": "{total}", "title": "{title}"}
    return {
        "stepOf": _("Step %(n)s of %(total)s") % placeholders,
        "announceStep": _("Step %(n)s of %(total)s: %(title)s") % placeholders,
        "pause": _("Pause"),
        "resume": _("Resume"),
        "goOn": _("Go on"),
        "announcePaused": _("Paused"),
        "announceHelp": _("Session paused. Help is below."),
        "announceTimeUp": _("Time is up. Press Next when you are ready."),
        "announceResumed": _("Resumed"),
        "announceExtended": _("One more minute added"),
        "announceAftercare": _("All steps done. Afterwards:"),
        "saved": _("Saved on this device only. It is never sent anywhere."),
        "notSaved": _("This browser could not save the session (storage is off or full)."),
    }


def my_sessions_strings() -> dict:
    return {
        "relaxed": _("How relaxed"),
        "relaxedValue": _("%(n)s of 5") % {"n": "{n}"},
        "milkFlow": _("Milk flowed"),
        "milk": {"yes": _("Yes"), "no": _("No"), "not_sure": _("Not sure")},
        "noAnswer": _("No answer"),
        "duration": _("Duration"),
        "steps": _("Steps done"),
        "stepsValue": _("%(done)s of %(total)s") % {"done": "{done}", "total": "{total}"},
        "unfinished": _("Stopped before the end"),
        "deleted": _("All sessions were deleted from this browser."),
        "confirmDelete": _(
            "Delete all %(count)s sessions from this browser? This cannot be undone."
        )
        % {"count": "{count}"},
        "unavailable": _("This browser does not allow the page to keep data (storage is off)."),
    }


def session_data(page, request, home=None) -> dict:
    """Everything the session needs, from the guide's own blocks (one source, many views).

    The page renders its no-JavaScript list, checklist and consult box from this, and the
    player reads it back from the page (json_script).
    """
    technique = page.technique()
    steps = page.steps()
    total_time = page.total_time()
    if home is None:
        home = page.home()
    return {
        "language": page.locale.language_code,
        "storageKey": SESSION_STORAGE_KEY,
        "guide": {"title": page.title, "url": page.get_url(request)},
        "sessionUrl": page.subpage_url("session", request),
        "mySessionsUrl": home.subpage_url("my_sessions", request) if home else "",
        "steps": [
            {
                "number": step["number"],
                "title": step["title"],
                "instruction": step["instruction"],
                "duration": step["duration"],
                "image": step_image_data(step["image"]),
                "imageAlt": step["image_alt"],
            }
            for step in steps
        ],
        "totalSeconds": sum(step["duration"] or 0 for step in steps),
        "totalTime": {
            "minMinutes": total_time["min_minutes"],
            "maxMinutes": total_time["max_minutes"],
            "note": total_time["note"],
        }
        if total_time
        else None,
        "aftercare": (technique or {}).get("aftercare") or "",
        "texts": session_texts(page),
        "safety": session_safety_checks(page),
        "helpCautions": session_help_cautions(page),
        "preferencesKey": PREFERENCES_STORAGE_KEY,
        "consult": session_consult(page, ClinicSettings.for_request(request)),
        "strings": session_strings(),
    }


def session_view(request, page):
    ancestors = list(page.get_ancestors().filter(depth__gt=1).specific())
    home = page.home(ancestors)
    data = session_data(page, request, home=home)
    danger_guide = danger_signs_guide(page)
    return TemplateResponse(
        request,
        "guides/session.html",
        {
            "page": page,
            "self": page,
            "session": data,
            "steps": data["steps"],
            "total_time": data["totalTime"],
            "safety_checks": data["safety"],
            "consult": data["consult"],
            "texts": data["texts"],
            "help_cautions": data["helpCautions"],
            "danger_guide": danger_guide,
            "ancestors": ancestors,
            "subpage": "session",
        },
    )


def my_sessions_view(request, home):
    return TemplateResponse(
        request,
        "guides/my_sessions.html",
        {
            "page": home,
            "self": home,
            "subpage": "my_sessions",
            "my_sessions": {
                "language": home.locale.language_code,
                "storageKey": SESSION_STORAGE_KEY,
                "strings": my_sessions_strings(),
            },
        },
    )
