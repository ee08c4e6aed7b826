"""Durations for machines: ISO-8601 (PT1M15S) for <time datetime> and schema.org."""


def iso_duration(seconds):
    """Seconds as an ISO-8601 duration (PT1M15S), for <time datetime>."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    minutes, rest = divmod(max(seconds, 0), 60)
    return "PT" + (f"{minutes}M" if minutes else "") + (f"{rest}S" if rest or not minutes else "")
