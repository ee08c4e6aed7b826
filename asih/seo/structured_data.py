"""schema.org JSON-LD for public pages, built from the same page data the templates render.

Pure functions: they read a page, its request and the clinic settings and return plain dicts;
they write nothing. Every URL in them is absolute and comes from the Wagtail Site's root URL,
never from the request's Host header, so the bytes are the same for every visitor.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from urllib.parse import urljoin

from django.utils import timezone
from wagtail.models import Page, Site

from asih.core.public_address import public_origin
from asih.core.templatetags.asih_tags import iso_duration
from asih.guides.models import GuidePage, HomePage, StageIndexPage

SCHEMA_CONTEXT = "https://schema.org"
# schema.org DayOfWeek names; index 0 is Monday, as in ClinicSettings.opening_hours.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The same rendition the article's responsive image already asks for, so nothing new is made.
RASTER_IMAGE_SPEC = "width-1200|format-webp"
# json_script's escaping: no "</script>" or "<!--" can end the data block early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# -- small helpers ---------------------------------------------------------------------
def root_url_for(page: Page, request=None) -> str | None:
    """The page's site root URL (scheme://host[:port]) or None when the page is not routable."""
    parts = page.get_url_parts(request=request)
    if not parts or parts[1] is None:
        return None
    return public_origin()


def absolute_url(root_url: str, url: str) -> str:
    """A site-relative URL made absolute; an absolute URL (a CDN's, say) is kept as it is."""
    return urljoin(root_url + "/", url)


def image_url(image, root_url: str) -> str | None:
    if image is None:
        return None
    if image.is_svg():
        return absolute_url(root_url, image.file.url)
    return absolute_url(root_url, image.get_rendition(RASTER_IMAGE_SPEC).url)


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def iso_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


def reference(node: dict | None) -> dict | None:
    return {"@id": node["@id"]} if node else None


def _drop_empty(node: dict) -> dict:
    """Leave out properties with no value rather than publishing nulls."""
    return {key: value for key, value in node.items() if value not in (None, "", [])}


def to_script_json(data: dict) -> str:
    """Compact JSON that is safe inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(JSON_SCRIPT_ESCAPES)


# -- the clinic --------------------------------------------------------------------------
def clinic_id(root_url: str) -> str:
    # One identifier for the clinic in every language, so both sites describe one organisation.
    return root_url + "/#clinic"


def opening_hours_specification(clinic) -> list[dict]:
    rows = []
    for block in getattr(clinic, "opening_hours", None) or []:
        value = block.value
        first, last = int(value["first_day"]), int(value["last_day"])
        rows.append(
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": list(WEEKDAY_NAMES[first : last + 1]),
                "opens": value["opens"].strftime("%H:%M"),
                "closes": value["closes"].strftime("%H:%M"),
            }
        )
    return rows


def clinic_node(clinic, *, root_url: str, home_url: str | None = None) -> dict | None:
    """The clinic as a MedicalClinic, from the site settings; None until it has a name."""
    if clinic is None or not clinic.name:
        return None
    address = None
    if clinic.address.strip():
        lines = [line.strip(" ,") for line in clinic.address.splitlines() if line.strip(" ,")]
        address = {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(lines),
            "addressCountry": "ID",
        }
    return _drop_empty(
        {
            "@type": "MedicalClinic",
            "@id": clinic_id(root_url),
            "name": clinic.name,
            "url": home_url or root_url + "/",
            "logo": image_url(clinic.logo, root_url),
            "address": address,
            # WhatsApp is the clinic's contact number; E.164 form for machines.
            "telephone": f"+{clinic.whatsapp_number}" if clinic.whatsapp_number else None,
            "openingHoursSpecification": opening_hours_specification(clinic),
        }
    )


# -- page nodes --------------------------------------------------------------------------
def breadcrumb_list(page: Page, *, trail: list[Page], request=None) -> dict | None:
    """home → stage → page; trail is the ancestors from this language's home down."""
    items = [*trail, page]
    if len(items) < 2:
        return None  # a home page has no trail worth describing
    url = page.get_full_url(request)
    return {
        "@type": "BreadcrumbList",
        "@id": url + "#breadcrumb",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.title,
                "item": crumb.get_full_url(request),
            }
            for position, crumb in enumerate(items, start=1)
        ],
    }


def person_node(person) -> dict | None:
    if person is None:
        return None
    return _drop_empty({"@type": "Person", "name": person.name, "jobTitle": person.role})


def reviewer_node(clinician) -> dict:
    return _drop_empty(
        {
            "@type": "Person",
            "name": clinician.name,
            "honorificSuffix": clinician.credentials,
            "jobTitle": clinician.role,
        }
    )


def medical_web_page(
    page, *, request=None, clinic: dict | None = None, breadcrumb: dict | None = None
) -> dict:
    """A guide as a MedicalWebPage; reviewer and review date only after a real review."""
    url = page.get_full_url(request)
    root_url = root_url_for(page, request)
    node = {
        "@type": "MedicalWebPage",
        "@id": url + "#webpage",
        "url": url,
        "name": page.title,
        "description": page.summary or page.search_description,
        "inLanguage": page.locale.language_code,
        "image": image_url(page.hero_image, root_url),
        "datePublished": iso_date(page.published_date),
        "dateModified": iso_datetime(page.last_published_at or page.latest_revision_created_at),
        "author": person_node(page.author),
        "publisher": reference(clinic),
        "breadcrumb": reference(breadcrumb),
    }
    if page.is_medically_reviewed:
        node["lastReviewed"] = iso_date(page.last_reviewed)
        node["reviewedBy"] = reviewer_node(page.reviewer)
    return _drop_empty(node)


def how_to(page, *, request=None, webpage: dict | None = None) -> dict | None:
    """The guide's steps as a HowTo; each step links to its <li id="step-N"> in the article."""
    steps = page.steps()
    if not steps:
        return None
    url = page.get_full_url(request)
    root_url = root_url_for(page, request)
    step_seconds = sum(step["duration"] or 0 for step in steps)
    total = page.total_time()
    # The editor's total (with time to settle in) wins; else the steps added up.
    total_seconds = total["max_minutes"] * 60 if total else step_seconds
    technique = page.technique()
    return _drop_empty(
        {
            "@type": "HowTo",
            "@id": url + "#howto",
            "name": page.title,
            "description": technique.get("intro") or page.summary,
            "inLanguage": page.locale.language_code,
            "image": image_url(page.hero_image, root_url),
            "totalTime": iso_duration(total_seconds) if total_seconds else None,
            "performTime": iso_duration(step_seconds) if step_seconds else None,
            "mainEntityOfPage": reference(webpage),
            "step": [
                _drop_empty(
                    {
                        "@type": "HowToStep",
                        "position": step["number"],
                        "name": step["title"],
                        "text": step["instruction"],
                        "url": f"{url}#step-{step['number']}",
                        "timeRequired": iso_duration(step["duration"])
                        if step["duration"]
                        else None,
                        "image": image_url(step["image"], root_url),
                    }
                )
                for step in steps
            ],
        }
    )


def web_page(
    page, *, request=None, clinic: dict | None = None, breadcrumb: dict | None = None, kind=None
) -> dict:
    url = page.get_full_url(request)
    return _drop_empty(
        {
            "@type": kind or "WebPage",
            "@id": url + "#webpage",
            "url": url,
            "name": page.title,
            "description": page.search_description or getattr(page, "intro", ""),
            "inLanguage": page.locale.language_code,
            "dateModified": iso_datetime(page.last_published_at),
            "publisher": reference(clinic),
            "breadcrumb": reference(breadcrumb),
        }
    )


def web_site(home, *, request=None, clinic: dict | None = None) -> dict:
    url = home.get_full_url(request)
    return _drop_empty(
        {
            "@type": "WebSite",
            "@id": url + "#website",
            "url": url,
            "name": home.title,
            "description": home.search_description,
            "inLanguage": home.locale.language_code,
            "publisher": reference(clinic),
        }
    )


# -- the whole graph for one page ------------------------------------------------------------
def localized_home(page: Page, ancestors: list[Page], request=None) -> Page | None:
    """This language's home: the page or ancestor that translates the Site's root page."""
    site = (Site.find_for_request(request) if request is not None else None) or page.get_site()
    if site is None:
        return None
    root_key = site.root_page.translation_key
    return next((p for p in (page, *ancestors) if p.translation_key == root_key), None)


def page_graph(page, *, request=None, clinic=None, ancestors=None) -> dict | None:
    """Every node for this page in one @graph, or None when the page has no public URL.

    ancestors are the page's ancestors, root first (looked up when not given).
    """
    root_url = root_url_for(page, request)
    if root_url is None:
        return None
    if ancestors is None:
        ancestors = list(page.get_ancestors())
    home = localized_home(page, ancestors, request)
    trail = [a for a in ancestors if home is not None and a.depth >= home.depth]
    home_url = home.get_full_url(request) if home is not None else None

    clinic_data = clinic_node(clinic, root_url=root_url, home_url=home_url)
    breadcrumb = breadcrumb_list(page, trail=trail, request=request)
    if isinstance(page, GuidePage):
        webpage = medical_web_page(page, request=request, clinic=clinic_data, breadcrumb=breadcrumb)
        nodes = [webpage, how_to(page, request=request, webpage=webpage), breadcrumb]
    elif isinstance(page, HomePage):
        nodes = [web_site(page, request=request, clinic=clinic_data)]
    else:
        kind = "CollectionPage" if isinstance(page, StageIndexPage) else "WebPage"
        webpage = web_page(
            page, request=request, clinic=clinic_data, breadcrumb=breadcrumb, kind=kind
        )
        nodes = [webpage, breadcrumb]
    nodes.append(clinic_data)
    return {"@context": SCHEMA_CONTEXT, "@graph": [node for node in nodes if node]}
