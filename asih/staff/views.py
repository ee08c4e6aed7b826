"""The signed-in staff member's public profile: the name and role readers see on answers and,
for clinicians, the credentials a reviewed guide shows."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from asih.core.models import Clinician, Person

from . import roles

PROFILE_SAVED = _("Your public profile is saved.")


class ClinicianProfileForm(forms.ModelForm):
    class Meta:
        model = Clinician
        fields = ["name", "credentials", "role"]


class PersonProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "role"]


def is_clinician(user) -> bool:
    return user.groups.filter(name=roles.CLINICIANS).exists()


def profile_for(user):
    """The user's own profile to edit: their Clinician (clinicians) or Person snippet."""
    model = Clinician if is_clinician(user) else Person
    mine = model.objects.filter(user=user).select_related("locale")
    default = mine.filter(locale=Locale.get_default()).first()
    return model, default or mine.first()


@login_required
@require_http_methods(["GET", "POST"])
def public_profile(request):
    model, profile = profile_for(request.user)
    form_class = ClinicianProfileForm if model is Clinician else PersonProfileForm
    if profile is None:
        profile = model(user=request.user, locale=Locale.get_default())
        profile.name = request.user.get_full_name()
    form = form_class(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, PROFILE_SAVED)
        target = request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return redirect(target)
        return redirect("asih_public_profile")
    return TemplateResponse(
        request,
        "staff/admin/public_profile.html",
        {"form": form, "is_clinician": model is Clinician},
    )
