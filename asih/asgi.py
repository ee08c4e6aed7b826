"""ASGI entry point for `make run`: the WSGI application behind a body-buffering front.

granian serves it with `--interface asgi`; see asih/core/buffered.py for why (slow uploads
must not hold the app's threads). Threads per process: ASIH_APP_THREADS (as granian's
--blocking-threads for WSGI); the time a body may take to arrive: ASIH_BODY_TIMEOUT seconds.
"""

import os

from django.conf import settings  # noqa: E402  (after Django is set up)

from asih.core.buffered import BufferedWSGI  # noqa: E402
from asih.wsgi import application as wsgi_application  # sets up Django (production settings)

application = BufferedWSGI(
    wsgi_application,
    threads=int(os.environ.get("ASIH_APP_THREADS", "4")),
    body_timeout=float(os.environ.get("ASIH_BODY_TIMEOUT", "60")),
    max_body=settings.ASIH_MAX_ADMIN_BODY,
)
