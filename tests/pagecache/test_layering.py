"""The page cache knows no feature: features declare what retires their pages."""

import re
from pathlib import Path

import pytest

import asih
from asih.pagecache import store as store_module

ASIH = Path(asih.__file__).parent
FEATURE_APPS = ("core", "guides", "comments", "sharing", "leads", "search", "seo", "guidebook")


def _python_sources(folder: Path):
    return [(path, path.read_text()) for path in sorted(folder.rglob("*.py"))]


def test_pagecache_imports_and_names_no_feature_app():
    feature = "|".join(FEATURE_APPS)
    by_import = re.compile(rf"asih\.({feature})\b")
    by_label = re.compile(rf"[\"']({feature})\.[A-Z]\w*[\"']")  # "core.ClinicSettings"
    found = [
        f"{path.name}: {line}"
        for path, text in _python_sources(ASIH / "pagecache")
        for line in text.splitlines()
        # core.signals holds the shared signal features send; it names no feature either.
        if "asih.core.signals" not in line and (by_import.search(line) or by_label.search(line))
    ]
    assert found == []


def test_caching_code_uses_no_private_attribute_of_django_or_wagtail():
    private = re.compile(r"\b(request|self\.request)\._\w+|_get_raw_host|_wagtail_\w+")
    sources = _python_sources(ASIH / "pagecache") + [
        (ASIH / "guides" / "routing.py", (ASIH / "guides" / "routing.py").read_text())
    ]
    found = [
        f"{path.name}: {match.group(0)}"
        for path, text in sources
        for match in private.finditer(text)
    ]
    assert found == []


@pytest.fixture
def store(settings, tmp_path):
    settings.ASIH_PAGE_CACHE_DIR = tmp_path / "pagecache"
    settings.REDIS_URL = ""
    store_module.reset_store()
    yield store_module.get_store()
    store_module.reset_store()


def generation(store) -> int:
    return store.versions("/")[0]


@pytest.mark.django_db
def test_features_declare_what_retires_every_page(store, oxytocin):
    from wagtail.models import Locale, Site

    from asih.comments.models import CommentSettings
    from asih.guides.models import GuideCategory

    before = generation(store)
    GuideCategory.objects.create(name="Baru", slug="baru", locale=Locale.get_default())
    assert generation(store) == before + 1  # guides' registration

    author = oxytocin["id"].author
    author.save()
    assert generation(store) == before + 2  # core's registration

    site = Site.objects.get(is_default_site=True)
    CommentSettings.objects.filter(site=site).delete()
    after_delete = generation(store)
    # Created with its defaults the first time a page reads it: nothing shown changes.
    comment_settings = CommentSettings.for_site(site)
    assert generation(store) == after_delete
    comment_settings.comments_open = not comment_settings.comments_open
    comment_settings.save()
    assert generation(store) == after_delete + 1  # comments' registration
