"""Shared fixtures: the guides from content/ loaded once into the test database."""

import pytest

from asih.guides.loader import ContentLoader


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Load the real content once per session; each test then runs in a rolled-back transaction.
    with django_db_blocker.unblock():
        ContentLoader().load()


@pytest.fixture
def guide_pages(db):
    from asih.guides.models import GuidePage

    return GuidePage.objects.live()


@pytest.fixture
def oxytocin(db):
    from asih.guides.loader import translation_key
    from asih.guides.models import GuidePage

    pages = GuidePage.objects.filter(translation_key=translation_key("guide:pijat-oksitosin"))
    return {page.locale.language_code: page for page in pages.select_related("locale")}
