"""The site's one public address (ASIH_PUBLIC_URL): every absolute URL the site makes starts here.

Wagtail builds page URLs from its Site record (hostname and port), so that record is kept in
step with the setting: after every `migrate` (deploy), by the content loader (seeding) and by
`manage.py sync_public_address`. A system check warns when the two differ. Everything that is
not a page URL (emails, feeds, robots, the PDF, the admin's links) reads the setting directly.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

DEFAULT_PORTS = {"http": 80, "https": 443}


def public_origin() -> str:
    """scheme://host[:port] of the public site, without a trailing slash."""
    return settings.ASIH_PUBLIC_URL.rstrip("/")


def public_url(path: str = "/") -> str:
    """An absolute URL on the public site for a site-relative path (or an already absolute URL)."""
    if path.startswith(("http://", "https://")):
        return path
    return public_origin() + "/" + path.lstrip("/")


def address_problem(origin: str) -> str | None:
    """Why `origin` cannot be the public address, or None when it can."""
    parts = urlsplit(origin)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return "ASIH_PUBLIC_URL must look like https://klinik.example.id (scheme and host)."
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "ASIH_PUBLIC_URL is an origin only: no path, query or fragment."
    if parts.scheme == "https" and parts.port not in (None, 443):
        # Wagtail's Site can say https only on port 443 (any other port reads as http).
        return "An https ASIH_PUBLIC_URL must use the standard port 443."
    if parts.scheme == "http" and parts.port == 443:
        return "Port 443 is for https: write https://… in ASIH_PUBLIC_URL."
    return None


def site_address(origin: str | None = None) -> tuple[str, int]:
    """The (hostname, port) a Wagtail Site needs so that its root_url is `origin`."""
    parts = urlsplit(origin or public_origin())
    return parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme]


def site_sync() -> bool:
    """Point the default Wagtail Site at ASIH_PUBLIC_URL; True when the record changed."""
    from wagtail.models import Site

    if address_problem(public_origin()):
        return False
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return False
    hostname, port = site_address()
    if (site.hostname, site.port) == (hostname, port):
        return False
    # Another Site may already hold that address (an old record): ours takes it over.
    Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).delete()
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return True


def sync_after_migrate(sender, **kwargs) -> None:
    """post_migrate: a deploy (which always migrates) leaves the Site at the configured address."""
    if kwargs.get("using", "default") != "default":
        return
    try:
        site_sync()
    except DatabaseError:
        return


@checks.register(checks.Tags.compatibility)
def check_public_address(app_configs=None, **kwargs):
    problem = address_problem(public_origin())
    if problem:
        return [checks.Error(problem, id="asih.E010")]
    from wagtail.models import Site

    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:
        return []  # no database yet (first migrate): nothing to compare
    if site is not None and site.root_url.rstrip("/") != public_origin():
        return [
            checks.Warning(
                f"The Wagtail Site says {site.root_url} but ASIH_PUBLIC_URL is {public_origin()}.",
                hint="Run `manage.py migrate` or `manage.py sync_public_address`.",
                id="asih.W010",
            )
        ]
    return []
