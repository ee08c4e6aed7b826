"""Public URLs of sign-up, consultation and privacy, one slug per language (in i18n_patterns)."""

from asih.core.localized_urls import localized_path

from . import views

app_name = "leads"

urlpatterns = [
    *localized_path("sign-up/", views.signup, name="signup", namespace=app_name),
    *localized_path(
        "sign-up/thank-you/", views.signup_thanks, name="signup_thanks", namespace=app_name
    ),
    *localized_path(
        "sign-up/confirm/<str:token>/",
        views.signup_confirm,
        name="signup_confirm",
        namespace=app_name,
    ),
    *localized_path("consultation/", views.consultation, name="consultation", namespace=app_name),
    *localized_path(
        "consultation/thank-you/",
        views.consultation_thanks,
        name="consultation_thanks",
        namespace=app_name,
    ),
    *localized_path("privacy/", views.privacy, name="privacy", namespace=app_name),
    *localized_path("privacy/sent/", views.privacy_sent, name="privacy_sent", namespace=app_name),
    *localized_path(
        "privacy/confirm/<str:token>/",
        views.privacy_confirm,
        name="privacy_confirm",
        namespace=app_name,
    ),
    *localized_path(
        "unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe", namespace=app_name
    ),
]
