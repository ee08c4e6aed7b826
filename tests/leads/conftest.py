"""Fixtures for the leads tests: a site URL, a fake guidebook link, same-origin posting."""

import pytest

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def fake_guidebook(monkeypatch):
    """Stand in for the guidebook app's signed download path (its own tests cover it)."""
    calls = []

    def download_path(*, stage, language):
        calls.append((stage.title, language))
        return f"/{language}/complete-guide/download/signed-{stage.pk}/"

    monkeypatch.setattr("asih.leads.services.guidebook_download_path", download_path)
    return calls


@pytest.fixture
def post(client):
    """POST like a browser on this site (Sec-Fetch-Site: same-origin)."""

    def send(url, data, **extra):
        return client.post(url, data, **{**SAME_ORIGIN, **extra})

    return send


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the (process-wide) cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
