"""Wagtail frontend-cache backend for the nginx recipe: a purge is a refetch.

Stock nginx cannot delete a cached entry, and it never stores the answer to a PURGE request.
So instead of PURGE this backend sends a GET with `X-Asih-Refresh: 1`; nginx (deploy/nginx/),
for that header from a local address only, skips its stored copy, asks the app, and stores the
fresh answer under the same key. The app has already retired its own copy, so the answer is new.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

logger = logging.getLogger(__name__)

REFRESH_HEADER = "X-Asih-Refresh"


class NginxRefreshBackend(BaseBackend):
    def __init__(self, params):
        super().__init__(params)
        location = urlsplit(params.pop("LOCATION"))
        self.scheme, self.netloc = location.scheme, location.netloc
        self.timeout = params.pop("TIMEOUT", 10)

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        target = urlunsplit([self.scheme, self.netloc, parts.path, parts.query, ""])
        request = Request(
            target,
            headers={
                "Host": host,
                REFRESH_HEADER: "1",
                # What browsers send: nginx stores one copy per URL, asked of the app as gzip.
                "Accept-Encoding": "gzip",
                "User-Agent": "Asih-frontend-cache",
            },
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured)
                response.read()
        except HTTPError as error:
            if error.code != 404:  # another language's variant of the URL may not exist
                logger.error("Could not refresh %s in nginx: HTTP %s", url, error.code)
        except URLError as error:
            logger.error("Could not refresh %s in nginx: %s", url, error.reason)
