"""Sharing tests start with an empty cache (rate-limit counters live there)."""

import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
