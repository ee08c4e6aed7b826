"""Staff sign-in: two-step verification (TOTP, django-otp), held on every admin request.

Failed sign-ins are limited by django-axes (settings). A staff member with two-step
verification on gives the current code from their authenticator app with the password. The
admin's own form is not the only way to sign in (Wagtail's public sign-in page for private
pages takes the password alone), so `AdminTwoStepMiddleware` checks every admin request: a
session that was not verified with a code is asked for one before any admin page opens.
Accounts that can read readers' personal details (sign-ups, consultation requests, privacy
requests, comments with their emails) and superusers must use two-step verification: without
a device they are sent to the set-up page on their first admin request.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from io import BytesIO

import qrcode
import qrcode.image.svg
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin import messages
from wagtail.admin.forms.auth import LoginForm

from asih.core.protection import RateLimit, too_many_posts

logger = logging.getLogger(__name__)

OTP_REQUIRED = _("Enter the 6-digit code from your authenticator app.")
OTP_WRONG = _("That code is not right or has expired. Enter the current code from the app.")


TWO_STEP_REQUIRED = _(
    "Your account can see readers' personal details, so two-step verification is required. "
    "Set it up to continue."
)

# Every model in these apps holds what readers typed about themselves (names, phones, emails,
# questions): any permission on them makes two-step verification required. Keyed on
# permissions, not on group names, so a new or renamed group is covered by what it may do.
READER_DATA_APPS = ("leads", "comments")


def _clean_code(value: str) -> str:
    return "".join((value or "").split())


def two_step_required(user) -> bool:
    """Whether this account must use two-step verification (superusers and readers' data)."""
    if not getattr(settings, "ASIH_TWO_STEP_REQUIRED", True):
        return False
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(perm.split(".", 1)[0] in READER_DATA_APPS for perm in user.get_all_permissions())


def verified_device(request: HttpRequest) -> Device | None:
    """The confirmed device of this user that verified this session, if any.

    django-otp records the device in the session when a sign-in gave a right code
    (`django_otp.login`); the same binding checks as its OTPMiddleware, read only when needed.
    """
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return None
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != request.user.pk or not device.confirmed:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        return None
    return device


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class AdminTwoStepMiddleware:
    """Hold the second step on every admin request, whatever page the session signed in on.

    After AuthenticationMiddleware. Outside the admin nothing changes (a signed-in staff member
    may still read private pages with the password alone: they hold guide text, not readers'
    details).
    """

    # Pages an unverified session may open: signing in and out, the code page, and what it
    # loads (icons, translations for scripts); the set-up page only while there is no device.
    OPEN_URL_NAMES = (
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
        "asih_two_step_verify",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._hold(request)
        return response if response is not None else self.get_response(request)

    def _hold(self, request):
        admin_root = reverse("wagtailadmin_home")
        if not request.path_info.startswith(admin_root):
            return None
        user = request.user
        if not user.is_authenticated:
            return None  # Wagtail sends the visitor to its sign-in form
        device = verified_device(request)
        # The same attributes django-otp's middleware gives, for code that asks.
        user.otp_device = device
        user.is_verified = lambda: device is not None
        if device is not None:
            return None
        if request.path_info.startswith(f"{admin_root}password_reset/"):
            return None
        if request.path_info in {reverse(name) for name in self.OPEN_URL_NAMES}:
            return None
        if any(devices_for_user(user, confirmed=True)):
            target = reverse("asih_two_step_verify")
        elif not two_step_required(user) or request.path_info == reverse("asih_two_step"):
            return None
        else:
            target = reverse("asih_two_step")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class StaffLoginForm(LoginForm):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Only if you have turned on two-step verification."),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()  # checks the password (and django-axes' lockout)
        user = self.get_user()
        if user is not None and list(devices_for_user(user, confirmed=True)):
            token = _clean_code(cleaned.get("otp_token", ""))
            if not token:
                raise forms.ValidationError(OTP_REQUIRED, code="otp_required")
            device = match_token(user, token)
            if device is None:
                raise forms.ValidationError(OTP_WRONG, code="otp_wrong")
            # django-otp marks the session as verified when the login completes.
            user.otp_device = device
        return cleaned


class ConfirmCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _secret_for_people(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def two_step_settings(request):
    """Turn two-step verification on (scan, confirm a code) or off (confirm a code).

    Accounts that must use it (`two_step_required`) can turn it on but not off.
    """
    user = request.user
    required = two_step_required(user)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    form = ConfirmCodeForm(request.POST or None)
    if confirmed:
        if request.method == "POST" and not required and form.is_valid():
            if confirmed.verify_token(_clean_code(form.cleaned_data["code"])):
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, _("Two-step verification is off."))
                return redirect("asih_two_step")
            form.add_error("code", OTP_WRONG)
        return TemplateResponse(
            request,
            "core/admin/two_step.html",
            {"enabled": True, "required": required, "form": form},
        )

    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(_clean_code(form.cleaned_data["code"])):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            # The code just given verifies this session too: no second code to continue.
            otp_login(request, pending)
            messages.success(request, _("Two-step verification is on."))
            return redirect(_safe_next(request, reverse("asih_two_step")))
        form.add_error("code", OTP_WRONG)
    return TemplateResponse(
        request,
        "core/admin/two_step.html",
        {
            "enabled": False,
            "required": required,
            "required_message": TWO_STEP_REQUIRED,
            "form": form,
            "qr_code": _qr_data_uri(pending.config_url),
            "secret": _secret_for_people(pending),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_step_verify(request):
    """Ask a signed-in session for its code before the admin opens (see the middleware)."""
    user = request.user
    target = _safe_next(request, reverse("wagtailadmin_home"))
    if not any(devices_for_user(user, confirmed=True)):
        return redirect("asih_two_step")
    if verified_device(request) is not None:
        return redirect(target)
    form = ConfirmCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # match_token goes through each device's verify_token: django-otp's throttling applies.
        device = match_token(user, _clean_code(form.cleaned_data["code"]))
        if device is not None:
            otp_login(request, device)
            return redirect(target)
        form.add_error("code", OTP_WRONG)
    return TemplateResponse(request, "core/admin/two_step_verify.html", {"form": form})


# --- Lockout: per account and address, per account, per address --------------------------


class StaffSignInHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit for each of AXES_LOCKOUT_PARAMETERS.

    django-axes compares every parameter group with one AXES_FAILURE_LIMIT. One account at one
    address stops after 5 failures; an account tried from many addresses, or many accounts
    tried from one address (a clinic's staff may share one), get higher limits
    (ASIH_SIGNIN_FAILURE_LIMITS, one per group). Each group's count is scaled onto the
    AXES_FAILURE_LIMIT axes compares with: count × base // limit reaches base exactly when
    count reaches limit.
    """

    def get_failures(self, request, credentials=None) -> int:
        base = get_failure_limit(request, credentials)
        limits = settings.ASIH_SIGNIN_FAILURE_LIMITS
        worst = 0
        attempts_list = self.get_user_attempts(request, credentials)
        for attempts, limit in zip(attempts_list, limits, strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, count * base // limit)
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A right password clears that account's failures at that address only: signing in
        # to one's own account must not wipe the per-address count of guesses at others.
        attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = attempts.delete()
        return count


# One notice per account and lockout period: failures during a lockout signal again.
LOCK_NOTICE = RateLimit("signin-lock-notice", limit=1, window=15 * 60)


@receiver(user_locked_out)
def tell_the_owner_of_a_locked_account(sender, request, username, ip_address, **kwargs):
    """Email the account's owner that sign-in to it was paused (if the account exists)."""
    if not username:
        return
    user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
    if user is None or not user.email:
        return
    if LOCK_NOTICE.hit_for(f"user-{user.pk}"):
        return
    language = getattr(getattr(user, "wagtail_userprofile", None), "preferred_language", "")
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = gettext("Sign-in to your Asih account was paused")
        body = gettext(
            "Someone entered a wrong password for your account %(username)s several times, "
            "so signing in is paused for a while (%(time)s).\n\n"
            "If this was you, wait 15 minutes and try again. If it was not you, your password "
            "has held, but change it in the admin (Account) once you can sign in, and tell the "
            "site's administrator."
        ) % {
            "username": username,
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z"),
        }
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:
        logger.exception("Could not send the sign-in lockout notice")


# --- Password reset: a bound on the emails one address (or one mailbox) can cause ---------

PASSWORD_RESET_PER_ADDRESS = RateLimit("password-reset-address", limit=5, window=3600)
PASSWORD_RESET_PER_EMAIL = RateLimit("password-reset-email", limit=3, window=3600)


class PasswordResetLimitMiddleware:
    """Answer 429 once an address, or a mailbox, asked for too many admin password resets.

    Both are counted whether the email belongs to an account or not (the answer must not tell).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info == reverse("wagtailadmin_password_reset"):
            email = (request.POST.get("email") or "").strip().lower()
            over_address = PASSWORD_RESET_PER_ADDRESS.hit(request)
            over_email = bool(email) and PASSWORD_RESET_PER_EMAIL.hit_for(
                visitor_key_for_text(email)
            )
            if over_address or over_email:
                return too_many_posts(request)
        return self.get_response(request)


def visitor_key_for_text(text: str) -> str:
    """A keyed hash of an email address for a counter key (no address is stored)."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|mail|{text}".encode()).hexdigest()[:32]
