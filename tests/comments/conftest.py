"""Fixtures for the comment tests: an Indonesian guide and a valid submission."""

import pytest

from asih.comments.models import CommentSettings
from tests.guides.factories import GuidePageFactory


@pytest.fixture
def guide(db):
    # Any live guide with steps will do: comments do not depend on the shipped content.
    return GuidePageFactory(title="Pijat punggung untuk ibu menyusui")


@pytest.fixture
def comment_settings(guide):
    return CommentSettings.for_site(guide.get_site())


@pytest.fixture
def valid_data():
    return {
        "name": "Ibu Rina",
        "email": "Rina@Example.test ",
        "body": "Berapa kali sehari pijat oksitosin sebaiknya dilakukan?",
        "follow_replies": True,
    }


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="bidan", email="bidan@klinik.test", first_name="Dewi", last_name="Lestari"
    )
