"""Public URLs of sign-up, consultation and privacy, one slug per language."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import translation

from . import views

app_name = "leads"

ROUTES = {
    "signup": ({"id": "daftar/", "en": "sign-up/"}, views.signup),
    "signup_thanks": (
        {"id": "daftar/terima-kasih/", "en": "sign-up/thank-you/"},
        views.signup_thanks,
    ),
    "signup_confirm": (
        {"id": "daftar/konfirmasi/<str:token>/", "en": "sign-up/confirm/<str:token>/"},
        views.signup_confirm,
    ),
    "consultation": ({"id": "konsultasi/", "en": "consultation/"}, views.consultation),
    "consultation_thanks": (
        {"id": "konsultasi/terima-kasih/", "en": "consultation/thank-you/"},
        views.consultation_thanks,
    ),
    "privacy": ({"id": "privasi/", "en": "privacy/"}, views.privacy),
    "privacy_sent": ({"id": "privasi/terkirim/", "en": "privacy/sent/"}, views.privacy_sent),
    "privacy_confirm": (
        {"id": "privasi/konfirmasi/<str:token>/", "en": "privacy/confirm/<str:token>/"},
        views.privacy_confirm,
    ),
    "unsubscribe": (
        {"id": "berhenti/<str:token>/", "en": "unsubscribe/<str:token>/"},
        views.unsubscribe,
    ),
}


def leads_reverse(name: str, language: str, **kwargs) -> str:
    """The path of a route in a language: /id/daftar/, /en/sign-up/ …"""
    language = language if language in ROUTES[name][0] else "id"
    with translation.override(language):
        return reverse(f"leads:{name}_{language}", kwargs=kwargs or None)


def _in_language(name: str, language: str, view):
    """Serve `view` under this language's slug; the other language's slug redirects to its own."""

    def wrapped(request, *args, **kwargs):
        current = translation.get_language()
        if current != language and current in ROUTES[name][0]:
            return redirect(leads_reverse(name, current, **kwargs), permanent=True)
        return view(request, *args, **kwargs)

    # Keep the view's attributes (csrf_exempt from same_origin_post) on the wrapper.
    wrapped.__dict__.update(view.__dict__)
    wrapped.__name__ = view.__name__
    return wrapped


urlpatterns = [
    path(route, _in_language(name, language, view), name=f"{name}_{language}")
    for name, (routes, view) in ROUTES.items()
    for language, route in routes.items()
]
