"""Staff sign-in: optional two-step verification (TOTP, django-otp) and its set-up page.

Failed sign-ins are limited by django-axes (settings). A staff member who turned two-step
verification on must give the current code from their authenticator app with the password;
everyone else signs in with the password alone.
"""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin import messages
from wagtail.admin.forms.auth import LoginForm

OTP_REQUIRED = _("Enter the 6-digit code from your authenticator app.")
OTP_WRONG = _("That code is not right or has expired. Enter the current code from the app.")


def _clean_code(value: str) -> str:
    return "".join((value or "").split())


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
    """Turn two-step verification on (scan, confirm a code) or off (confirm a code)."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    form = ConfirmCodeForm(request.POST or None)
    if confirmed:
        if request.method == "POST" and form.is_valid():
            if confirmed.verify_token(_clean_code(form.cleaned_data["code"])):
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, _("Two-step verification is off."))
                return redirect("asih_two_step")
            form.add_error("code", OTP_WRONG)
        return TemplateResponse(
            request, "core/admin/two_step.html", {"enabled": True, "form": form}
        )

    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(_clean_code(form.cleaned_data["code"])):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            messages.success(request, _("Two-step verification is on."))
            return redirect("asih_two_step")
        form.add_error("code", OTP_WRONG)
    return TemplateResponse(
        request,
        "core/admin/two_step.html",
        {
            "enabled": False,
            "form": form,
            "qr_code": _qr_data_uri(pending.config_url),
            "secret": _secret_for_people(pending),
        },
    )
