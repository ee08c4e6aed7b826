"""Whole-page cache for anonymous GETs, answered in front of Django (see wsgi.py)."""
