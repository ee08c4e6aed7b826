"""The hands-free guided session: a guide's steps, one at a time (view and its data)."""

from django.template.response import TemplateResponse


def session_view(request, page):
    return TemplateResponse(
        request, "guides/session.html", {"page": page, "self": page, "steps": page.steps()}
    )


def my_sessions_view(request, home):
    return TemplateResponse(request, "guides/my_sessions.html", {"page": home, "self": home})
