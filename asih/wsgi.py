"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asih.settings.production")
application = get_wsgi_application()

from asih.pagecache.wsgi import wrap  # noqa: E402  (needs Django set up)

# Cache hits are answered here, before Django (see asih/pagecache/wsgi.py).
application = wrap(application)
