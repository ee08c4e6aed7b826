"""Local development: debug on, a fixed throwaway key, SQLite under var/ unless DATABASE_URL."""

from .base import *  # noqa: F403
from .base import SECRET_KEY as _SECRET_KEY

DEBUG = True
SECRET_KEY = _SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
ASIH_PAGE_CACHE = False  # autoreload and debug want every request rendered afresh
