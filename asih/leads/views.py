"""Public pages: sign-up, consultation request, privacy page and requests, one-time links."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from asih.core.protection import (
    LINK_ACTION_LIMIT,
    RATE_LIMIT_MESSAGE,
    RateLimit,
    limit_posts,
    same_origin_post,
)
from asih.core.public_address import public_origin

from . import selectors, services
from .forms import ConsultationForm, PrivacyRequestForm, SignUpForm, model_errors_to_form
from .models import PrivacyKind, Stage

SIGNUP_LIMIT = RateLimit("leads-signup", limit=5, window=3600)
CONSULTATION_LIMIT = RateLimit("leads-consultation", limit=5, window=3600)
PRIVACY_LIMIT = RateLimit("leads-privacy", limit=5, window=3600)


# The forms and link pages answer GET/HEAD (show) and POST (act); anything else is a 405.
_PAGE_METHODS = require_http_methods(["GET", "HEAD", "POST"])


def _language() -> str:
    return translation.get_language() or "id"


def _site_url(request) -> str:
    # The configured public address, never the Host header a request happened to carry.
    return public_origin()


def _reverse(name: str, **kwargs) -> str:
    return reverse(f"leads:{name}", kwargs=kwargs or None)


def _private(response):
    """Per-visitor answers (POST results, one-time links) are never cached anywhere."""
    add_never_cache_headers(response)
    return response


def _form_response(request, template, form, context=None, *, status=200, limited=False):
    context = {**(context or {}), "form": form, "rate_limited": limited}
    if limited:
        context["rate_limit_message"] = RATE_LIMIT_MESSAGE
    response = render(request, template, context, status=status)
    return _private(response) if request.method == "POST" else response


# --- Sign-up -------------------------------------------------------------------------------


@same_origin_post
@_PAGE_METHODS
def signup(request):
    context = {"privacy_url": _reverse("privacy"), "document_title": _("Get the complete guide")}
    if request.method != "POST":
        stage = request.GET.get("tahap", "")
        initial = {"stage": stage} if stage in Stage.values else {}
        return _form_response(request, "leads/signup.html", SignUpForm(initial=initial), context)
    form = SignUpForm(request.POST)
    if SIGNUP_LIMIT.hit(request):
        return _form_response(request, "leads/signup.html", form, context, status=429, limited=True)
    if not form.is_valid():
        return _form_response(request, "leads/signup.html", form, context, status=400)
    if form.bot_verdict() != "spam":
        data = form.cleaned_data
        try:
            services.signup_request(
                name=data["name"],
                email=data["email"],
                whatsapp=data["whatsapp"],
                stage=data["stage"],
                due_date=data.get("due_date"),
                birth_date=data.get("birth_date"),
                language=_language(),
                site_url=_site_url(request),
            )
        except ValidationError as error:
            model_errors_to_form(form, error)
            return _form_response(request, "leads/signup.html", form, context, status=400)
    # A bot is answered like a person, so it learns nothing about the trap.
    return HttpResponseRedirect(_reverse("signup_thanks"), status=303)


def _message(request, title, *paragraphs):
    """A short page with a title and a few paragraphs (thank-you and "check your inbox")."""
    return render(request, "leads/message.html", {"title": title, "paragraphs": list(paragraphs)})


def signup_thanks(request):
    return _message(
        request,
        _("Check your inbox"),
        _(
            "We have sent you an email with a link. Open it to confirm your address: "
            "only then do we send the guide."
        ),
        _(
            "The link works for 48 hours. Nothing there? Look in the spam or promotions "
            "folder, or sign up again."
        ),
    )


@same_origin_post
@limit_posts(LINK_ACTION_LIMIT)
@_PAGE_METHODS
def signup_confirm(request, token: str):
    try:
        services.signup_check(token=token)
    except services.LinkError as error:
        return _signup_link_error(request, error, token)
    if request.method != "POST":
        # Following the link only shows a button: mail scanners that open links confirm nothing.
        return _private(
            render(
                request,
                "leads/confirm_action.html",
                {
                    "title": _("Confirm your email address"),
                    "text": _("Press the button to confirm that you asked for the complete guide."),
                    "action": _("Confirm and get the guide"),
                },
            )
        )
    try:
        _signup, downloads = services.signup_confirm(token=token, site_url=_site_url(request))
    except services.LinkError as error:
        return _signup_link_error(request, error, token)
    return _private(
        render(
            request,
            "leads/message.html",
            {
                "title": _("Thank you, your address is confirmed"),
                "paragraphs": [
                    _("Here is your guide. We have also emailed you the same link.")
                    if downloads
                    else _("Your guide is being prepared; we will email you the link."),
                ],
                "downloads": downloads,
            },
        )
    )


def _signup_link_error(request, error: services.LinkError, token: str):
    """A confirmation link that no longer works still leads to what the reader came for.

    Used: the address is confirmed, so the guide is offered again (the same download the
    confirmation gave). Expired: a sign-up for the same stage, one tap away.
    """
    signup = selectors.signup_of_link(token)
    retry_url = _reverse("signup")
    if signup is not None and signup.stage in Stage.values:
        retry_url += "?" + urlencode({"tahap": signup.stage})
    downloads = []
    extra = []
    if error.state == "used" and signup is not None and signup.is_confirmed:
        downloads = services.guidebook_links(signup, site_url=_site_url(request))
    if downloads:
        extra.append(_("Your address is confirmed. Here is the guide again:"))
    elif error.state == "used":
        extra.append(
            _("Each link works once. To get the guide, sign up again with the same address.")
        )
    return _link_error(
        request,
        error,
        retry_url=retry_url,
        retry_label=_("Sign up again"),
        extra=extra,
        downloads=downloads,
    )


def _link_error(
    request,
    error: services.LinkError,
    *,
    retry_url: str,
    retry_label: str = "",
    extra=(),
    downloads=(),
):
    titles = {
        "invalid": _("This link does not work"),
        "expired": _("This link has expired"),
        "used": _("This link has already been used"),
    }
    return _private(
        render(
            request,
            "leads/message.html",
            {
                "title": titles[error.state],
                # A used link: the title says it, the paragraphs say what to do now.
                "paragraphs": list(extra)
                if error.state == "used" and extra
                else [error.message, *extra],
                "downloads": list(downloads),
                "link_state": error.state,
                "retry_url": retry_url,
                "retry_label": retry_label or _("Start again"),
            },
            status=410 if error.state in ("expired", "used") else 404,
        )
    )


# --- Consultation --------------------------------------------------------------------------


def _consultation_context(guide, step):
    return {
        "guide": guide,
        "step": step,
        "privacy_url": _reverse("privacy"),
        "document_title": _("Ask the clinic"),
    }


@same_origin_post
@_PAGE_METHODS
def consultation(request):
    if request.method != "POST":
        guide = selectors.guide_by_id(request.GET.get("panduan"))
        step = _step(request.GET.get("langkah"))
        form = ConsultationForm(initial={"panduan": guide.pk if guide else None, "langkah": step})
        return _form_response(
            request, "leads/consultation.html", form, _consultation_context(guide, step)
        )
    form = ConsultationForm(request.POST)
    guide = selectors.guide_by_id(request.POST.get("panduan"))
    step = _step(request.POST.get("langkah"))
    context = _consultation_context(guide, step)
    template = "leads/consultation.html"
    if CONSULTATION_LIMIT.hit(request):
        return _form_response(request, template, form, context, status=429, limited=True)
    if not form.is_valid():
        return _form_response(request, template, form, context, status=400)
    if form.bot_verdict() != "spam":
        data = form.cleaned_data
        try:
            services.consultation_submit(
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                preferred_time=data["preferred_time"],
                question=data["question"],
                guide=guide,
                step=step,
                language=_language(),
                site_url=_site_url(request),
            )
        except ValidationError as error:
            model_errors_to_form(form, error)
            return _form_response(request, template, form, context, status=400)
    return HttpResponseRedirect(_reverse("consultation_thanks"), status=303)


def _step(value) -> int | None:
    try:
        step = int(value)
    except (TypeError, ValueError):
        return None
    return step if 1 <= step <= 99 else None


def consultation_thanks(request):
    return _message(
        request,
        _("Your question has reached the clinic"),
        _(
            "A midwife or lactation counsellor will contact you at the time you chose, "
            "usually within one working day."
        ),
        _(
            "If you or your baby need help urgently, do not wait: go to the nearest "
            "health facility."
        ),
    )


# --- Privacy -------------------------------------------------------------------------------


@same_origin_post
@_PAGE_METHODS
def privacy(request):
    from .services import PURGE_UNCONFIRMED_DAYS

    context = {
        "purge_days": PURGE_UNCONFIRMED_DAYS,
        "limited": False,
        "document_title": _("Privacy and your data"),
    }
    if request.method != "POST":
        return _form_response(request, "leads/privacy.html", PrivacyRequestForm(), context)
    form = PrivacyRequestForm(request.POST)
    if PRIVACY_LIMIT.hit(request):
        return _form_response(
            request, "leads/privacy.html", form, context, status=429, limited=True
        )
    if not form.is_valid():
        return _form_response(request, "leads/privacy.html", form, context, status=400)
    if form.bot_verdict() != "spam":
        services.privacy_request_submit(
            email=form.cleaned_data["email"],
            kind=form.cleaned_data["kind"],
            language=_language(),
            site_url=_site_url(request),
        )
    return HttpResponseRedirect(_reverse("privacy_sent"), status=303)


def privacy_sent(request):
    return _message(
        request,
        _("Check your inbox"),
        _(
            "We have sent a link to the address you gave. Your request is carried out "
            "only after you follow it, within 24 hours."
        ),
    )


@same_origin_post
@limit_posts(LINK_ACTION_LIMIT)
@_PAGE_METHODS
def privacy_confirm(request, token: str):
    try:
        privacy_request = services.privacy_request_check(token=token)
    except services.LinkError as error:
        return _link_error(
            request,
            error,
            retry_url=_reverse("privacy") + "#request",
            retry_label=_("Ask for a new link"),
            extra=[
                _("Each link works once. To download or erase your data again, ask for a new link.")
            ],
        )
    erase = privacy_request.kind == PrivacyKind.ERASE
    if request.method != "POST":
        return _private(
            render(
                request,
                "leads/confirm_action.html",
                {
                    "title": _("Erase your data") if erase else _("Download your data"),
                    "text": _(
                        "Everything we hold about this address will be erased: sign-ups, "
                        "consultation requests and comments. This cannot be undone."
                    )
                    if erase
                    else _(
                        "You will get a file (JSON) with everything we hold about this address."
                    ),
                    "action": _("Erase everything") if erase else _("Download my data"),
                    "danger": erase,
                },
            )
        )
    try:
        privacy_request, result = services.privacy_request_confirm(token=token)
    except services.LinkError as error:
        return _link_error(
            request,
            error,
            retry_url=_reverse("privacy") + "#request",
            retry_label=_("Ask for a new link"),
            extra=[
                _("Each link works once. To download or erase your data again, ask for a new link.")
            ],
        )
    if not erase:
        body = json.dumps(
            {
                "email": privacy_request.email,
                "exported_at": timezone.now().isoformat(),
                "data": result,
            },
            ensure_ascii=False,
            indent=2,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="asih-data.json"'
        return _private(response)
    return _private(
        render(
            request,
            "leads/message.html",
            {
                "title": _("Your data has been erased"),
                "paragraphs": [
                    _(
                        "We no longer hold any sign-up, consultation request or comment for "
                        "this address."
                    )
                ],
            },
        )
    )


# The token in the link is the authority (no login, no ambient session), and mail clients send
# RFC 8058 one-click unsubscribes as a POST from outside the site: no origin check here.
@csrf_exempt
@limit_posts(LINK_ACTION_LIMIT)
@_PAGE_METHODS
def unsubscribe(request, token: str):
    email = services.unsubscribe_email_of(token)
    if email is None:
        return _link_error(request, services.LinkError("invalid"), retry_url=_reverse("privacy"))
    if request.method != "POST":
        return _private(
            render(
                request,
                "leads/confirm_action.html",
                {
                    "title": _("Unsubscribe"),
                    "text": _(
                        "Press the button and we will send no more guidance emails to this address."
                    ),
                    "action": _("Unsubscribe"),
                },
            )
        )
    services.signup_unsubscribe(email=email)
    return _private(
        render(
            request,
            "leads/message.html",
            {
                "title": _("You are unsubscribed"),
                "paragraphs": [
                    _(
                        "We will send no more emails to this address. To have your data erased "
                        "as well, use the form on the privacy page."
                    ),
                ],
                "privacy_url": _reverse("privacy"),
            },
        )
    )
