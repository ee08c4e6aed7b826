"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asih.settings.production")
application = get_wsgi_application()

from asih.core.charset import readable_charset  # noqa: E402
from asih.pagecache.wsgi import wrap  # noqa: E402  (needs Django set up)

# Django decodes the query and body with the Content-Type's charset while it builds the request,
# before any middleware: an unusable one is dropped first (see asih/core/charset.py).
application = readable_charset(application)

# Cache hits are answered here, before Django (see asih/pagecache/wsgi.py).
application = wrap(application)
