"""Production: refuses to start without a SECRET_KEY; everything else from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

DEBUG = False
# ASIH_HTTPS=false only for `make run` on http://127.0.0.1 (the same settings, without the
# HTTPS-only cookies and redirects that a plain-http localhost cannot satisfy).
_HTTPS = os.environ.get("ASIH_HTTPS", "true").lower() == "true"
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
# Only a signal that the site may be listed; submitting to the preload list is a separate step.
SECURE_HSTS_PRELOAD = _HTTPS and os.environ.get("SECURE_HSTS_PRELOAD", "true").lower() == "true"
# X-Forwarded-Proto says "this came over HTTPS" only when a proxy that sets it is configured
# (nginx: ASIH_TRUSTED_PROXY_COUNT=1, the app listening on loopback only). Without one, any
# client could send the header and pass as a secure request.
if ASIH_TRUSTED_PROXY_COUNT > 0:  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "asih.core.storage.HashedModuleStaticFilesStorage"},
}
