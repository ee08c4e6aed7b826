"""Test settings: the database comes from DATABASE_URL (SQLite by default), fast hashing."""

import os
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate limits count in the cache (emptied before every test); the database store that the
# embedded mode uses is tested on its own (tests/core/test_protection.py, tests/security/).
ASIH_RATE_LIMIT_STORE = "cache"
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="asih-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None  # static files come from the finders (WHITENOISE_USE_FINDERS)
# The page cache is tested on its own (tests/pagecache); elsewhere every request renders.
ASIH_PAGE_CACHE = os.environ.get("ASIH_PAGE_CACHE", "off").lower() == "on"
ASIH_PAGE_CACHE_DIR = os.environ.get("ASIH_PAGE_CACHE_DIR") or tempfile.mkdtemp(
    prefix="asih-test-pagecache-"
)
# Most tests sign staff in with force_login and no authenticator: the rule that superusers and
# accounts with readers' data must set up two-step verification is tested on its own
# (tests/core/test_staff_auth.py turns it back on). A device, once there, is always asked for.
ASIH_TWO_STEP_REQUIRED = False
# Wagtail's first Site is localhost:80: tests keep that address unless they override it. The
# browser tests' served site is reached on a port of its own and says so here (a make-exported
# ASIH_PUBLIC_URL never leaks into the tests).
ASIH_PUBLIC_URL = os.environ.get("ASIH_TEST_PUBLIC_URL", "http://localhost").rstrip("/")
WAGTAILADMIN_BASE_URL = ASIH_PUBLIC_URL
