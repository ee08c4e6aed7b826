"""A body Django refuses to read (too big, too many fields, a form not in UTF-8) gets the
400 page in the page's language, not Django's bare English "Bad Request (400)"."""

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def _title(language):
    with translation.override(language):
        return translation.gettext("What was sent could not be read")


@pytest.mark.parametrize(("language", "path"), [("id", "/id/daftar/"), ("en", "/en/consultation/")])
def test_an_oversized_form_gets_the_400_page_in_its_language(client, language, path):
    body = b"name=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        path, body, content_type="application/x-www-form-urlencoded", **SAME_ORIGIN
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert _title(language) in html


def test_a_form_not_in_utf8_gets_the_400_page(client):
    response = client.post(
        "/id/privasi/",
        b"email=a%40b.test",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
        **SAME_ORIGIN,
    )
    assert response.status_code == 400
    assert _title("id") in response.content.decode()
