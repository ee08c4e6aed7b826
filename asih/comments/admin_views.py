"""Admin views of the moderation queue: listing with filters, row and bulk actions, answer, erase.

Plain Django views inside Wagtail's admin furniture; every action is a POST with Django's CSRF
token (the admin is never cached) and runs through `moderation`, which calls the services.
"""

from __future__ import annotations

import functools

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from asih.core.bidi import isolate
from asih.core.textbox import TextBoxField
from asih.guides.models import GuidePage

from . import moderation
from .models import BODY_MAX, BODY_MIN, Comment

PER_PAGE = 30

NO_SELECTION_MESSAGE = _("Tick at least one comment, then choose what to do with them.")
UNKNOWN_ACTION_MESSAGE = _("Choose an action: approve, reject or mark as spam.")
ANSWER_REQUIRED_MESSAGE = _("Write the clinic's answer before sending it.")
NOTHING_TO_ERASE_MESSAGE = _("This comment has no email address, so there is nothing to erase.")


def moderators_only(view):
    """A real 403 page for admin users without the permission.

    Wagtail turns PermissionDenied into a redirect to the dashboard; a moderation URL opened by
    someone who may not moderate should say so where they are, with the right status.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not moderation.can_moderate(request.user):
            return TemplateResponse(request, "comments/admin/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _back(request, fallback: str | None = None) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback or reverse("comments_admin:queue")


class QueueFilterForm(forms.Form):
    STATUS_CHOICES = [
        (moderation.WAITING, _("Waiting (pending and suspected spam)")),
        *Comment.Status.choices,
        (moderation.ALL, _("All")),
    ]

    q = forms.CharField(label=_("Search name or text"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    guide = forms.ModelChoiceField(
        label=_("Guide"),
        queryset=GuidePage.objects.none(),
        required=False,
        empty_label=_("All guides"),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("All languages")), *settings.LANGUAGES],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guides = GuidePage.objects.select_related("locale").order_by("locale_id", "title")
        field = self.fields["guide"]
        field.queryset = guides
        field.label_from_instance = lambda page: f"{page.title} ({page.locale.language_code})"


@moderators_only
@require_http_methods(["GET", "HEAD"])
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = {"status": moderation.WAITING}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "status": data["status"] or moderation.WAITING,
            "guide": data["guide"],
            "language": data["language"],
            "query": data["q"],
        }
    comments = moderation.moderation_queue(**filters)
    page_obj = Paginator(comments, PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "comments/admin/queue.html",
        {
            "form": form,
            "page_obj": page_obj,
            "comments": page_obj.object_list,
            "status": filters["status"],
            "actions": moderation.ACTIONS.values(),
            "waiting_count": moderation.waiting_count(),
            "current_url": request.get_full_path(),
            "querystring": _querystring_without_page(request),
            "can_answer": request.user.has_perm("comments.answer_comment"),
        },
    )


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("p", None)
    return params.urlencode()


@moderators_only
@require_POST
def moderate(request, pk: int, action: str):
    if action not in moderation.ACTIONS:
        messages.error(request, UNKNOWN_ACTION_MESSAGE)
        return redirect(_back(request))
    comment = get_object_or_404(Comment, pk=pk)
    moderation.comment_moderate(comment=comment, action=action, user=request.user)
    chosen = moderation.ACTIONS[action]
    messages.success(request, f"{chosen.done_message}: {isolate(comment.name)}")
    return redirect(_back(request))


@moderators_only
@require_POST
def bulk(request):
    action = request.POST.get("action", "")
    if action not in moderation.ACTIONS:
        messages.error(request, UNKNOWN_ACTION_MESSAGE)
        return redirect(_back(request))
    ids = [value for value in request.POST.getlist("ids") if value.isdigit()]
    comments = list(Comment.objects.filter(pk__in=ids))
    if not comments:
        messages.error(request, NO_SELECTION_MESSAGE)
        return redirect(_back(request))
    for comment in comments:
        moderation.comment_moderate(comment=comment, action=action, user=request.user)
    chosen = moderation.ACTIONS[action]
    count = len(comments)
    messages.success(
        request,
        ngettext("%(action)s: %(count)d comment", "%(action)s: %(count)d comments", count)
        % {"action": chosen.done_message, "count": count},
    )
    return redirect(_back(request))


class AnswerForm(forms.Form):
    body = TextBoxField(
        label=_("The clinic's answer"),
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        rows=8,
        error_messages={"required": ANSWER_REQUIRED_MESSAGE},
    )


def answerers_only(view):
    """Answering as the clinic is a clinician's duty (comments.answer_comment), not every
    moderator's: the same real 403 page for the others."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("comments.answer_comment"):
            return TemplateResponse(request, "comments/admin/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@moderators_only
@answerers_only
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, pk: int):
    parent = get_object_or_404(Comment.objects.select_related("page"), pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.comment_answer(
                parent=parent, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("body", message)
        else:
            messages.success(request, _("Your answer is published under the comment."))
            return redirect(_back(request))
    from asih.core.models import Clinician, Person

    has_profile = any(m.objects.filter(user=request.user).exists() for m in (Clinician, Person))
    return TemplateResponse(
        request,
        "comments/admin/answer.html",
        {
            "comment": parent,
            "form": form,
            "next": _back(request),
            # No public profile yet: the page asks for one (the answer would be signed with
            # the account's full name or "Clinic team").
            "profile_url": None
            if has_profile
            else reverse("asih_public_profile") + "?next=" + request.get_full_path(),
        },
    )


@moderators_only
@require_http_methods(["GET", "HEAD", "POST"])
def erase(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("page"), pk=pk)
    if not comment.email:
        messages.error(request, NOTHING_TO_ERASE_MESSAGE)
        return redirect(_back(request))
    if request.method == "POST":
        erased = moderation.comment_erase_person(comment=comment, user=request.user)
        messages.success(
            request,
            ngettext(
                "Erased: %(count)d comment and its email address.",
                "Erased: %(count)d comments and their email address.",
                erased,
            )
            % {"count": erased},
        )
        return redirect(reverse("comments_admin:queue"))
    same_person = Comment.objects.filter(email=comment.email).count()
    return TemplateResponse(
        request,
        "comments/admin/erase.html",
        {"comment": comment, "count": same_person, "next": _back(request)},
    )
