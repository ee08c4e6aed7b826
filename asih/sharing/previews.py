"""Open Graph and Twitter-card tags for a page, and the view that serves its preview card."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from asih.core.models import ClinicSettings
from asih.core.public_address import public_origin

from .cards import HEIGHT, WIDTH, CardContent, card_file, fingerprint

# Open Graph wants language_TERRITORY.
OG_LOCALES = {"id": "id_ID", "en": "en_US"}


def _description(page) -> str:
    for field in ("search_description", "summary", "intro"):
        value = " ".join((getattr(page, field, "") or "").split())
        if value:
            return value
    return ""


def _clinic_for(page) -> ClinicSettings | None:
    site = page.get_site()
    return ClinicSettings.for_site(site) if site else None


def card_content(page, clinic: ClinicSettings | None) -> CardContent:
    """What the page's card shows: its hero (or stage picture), else the clinic's logo."""
    clinic_name = (clinic.name if clinic else "") or settings.WAGTAIL_SITE_NAME
    picture = getattr(page, "hero_image", None) or getattr(page, "image", None)
    is_logo = picture is None
    if is_logo and clinic is not None:
        picture = clinic.logo
    return CardContent(
        title=page.seo_title or page.title,
        description=_description(page),
        clinic=clinic_name,
        picture=picture,
        picture_is_logo=is_logo,
    )


def card_url(page, clinic: ClinicSettings | None, root_url: str) -> str:
    print_ = fingerprint(card_content(page, clinic))
    return root_url + reverse("link_preview_card", kwargs={"page_id": page.pk, "print_": print_})


def link_preview(
    *, page, canonical: str, clinic: ClinicSettings | None, site: Site, languages: list[str]
) -> dict:
    """The values of the og:/twitter: tags of a page (`languages`: its live translations)."""
    page = page.specific
    content = card_content(page, clinic)
    return _preview_values(
        title=content.title,
        description=content.description,
        kind="article" if hasattr(page, "hero_image") else "website",
        url=canonical,
        card_page=page,
        card=content,
        clinic=clinic,
        language=page.locale.language_code,
        languages=languages,
    )


def app_page_preview(
    *, title: str, canonical: str, clinic: ClinicSettings | None, language: str, languages: list
) -> dict | None:
    """og:/twitter: values for a page a Django view answers (a form, privacy, search): its own
    title, with the card of this language's home page as its picture."""
    # This language's home: a page at the top of the tree (depth 2, right under Wagtail's root).
    home = Page.objects.live().public().filter(depth=2, locale__language_code=language).first()
    if home is None:
        return None
    home = home.specific
    return _preview_values(
        title=title,
        description=home.search_description or "",
        kind="website",
        url=canonical,
        card_page=home,
        card=card_content(home, clinic),
        clinic=clinic,
        language=language,
        languages=languages,
    )


def _preview_values(
    *, title, description, kind, url, card_page, card, clinic, language, languages
) -> dict:
    return {
        "title": title,
        "description": description,
        "url": url,
        "type": kind,
        "site_name": card.clinic,
        "locale": OG_LOCALES.get(language, language),
        "locale_alternates": [OG_LOCALES.get(code, code) for code in languages if code != language],
        "image": card_url(card_page, clinic, public_origin()),
        "image_width": WIDTH,
        "image_height": HEIGHT,
        "image_alt": f"{card.title} — {card.clinic}",
    }


@require_safe
def preview_card(request, page_id: int, print_: str):
    """A published page's card; an outdated fingerprint redirects to the current one."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404
    page = page.specific
    content = card_content(page, _clinic_for(page))
    current = fingerprint(content)
    if print_ != current:
        return redirect("link_preview_card", page_id=page.pk, print_=current)
    response = FileResponse(card_file(page.pk, content).open("rb"), content_type="image/png")
    # The URL changes whenever the card does, so browsers and link previewers may keep it.
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response
