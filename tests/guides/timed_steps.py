"""Give a guide timed steps, as an editor could: the demo content times only the oxytocin
massage (latching is untimed, issue 18), and some tests need a timed guide that is not a massage.

Used in-process by the guide tests and, through `manage.py shell`, on the browser tests' site.
"""

LATCH_SLUGS = ("tanda-pelekatan-yang-baik", "signs-of-a-good-latch")


def set_steps_timed(page, seconds: int | None) -> None:
    """Publish `page` with its steps timed at `seconds` each (a session), or untimed (None)."""
    raw = page.body.get_prep_value()
    for block in raw:
        if block["type"] in ("steps", "untimed_steps"):
            block["type"] = "untimed_steps" if seconds is None else "steps"
            for item in block["value"]["steps"]:
                item["value"].pop("duration", None)
                if seconds is not None:
                    item["value"]["duration"] = seconds
    page.body = raw
    page.save_revision().publish()
