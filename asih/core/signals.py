"""Signals other apps send when what a public page shows has changed without a page publish.

Comments approved, share counts refreshed, related guides recomputed: each sends
`public_content_changed` with the pages concerned, and the page cache (and anything else that
keeps rendered pages) listens to it. Publishing itself is covered by Wagtail's own signals.
"""

from django.dispatch import Signal

# Sent with `pages`: an iterable of wagtail Page instances whose public rendering changed.
public_content_changed = Signal()
