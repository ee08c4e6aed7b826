"""A comment refused because of a hidden field says why, and a too-long page id is a 404.

Found by tests/hostile: a broken `parent` (not a number) or a `started` token over 200
characters refused the comment with a 400 that showed no message at all (hidden fields have no
place for one), and /komentar/kirim/<20 digits>/ was a 500 (an unchecked one-to-one pk).
"""

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.html import escape

from asih.comments import services
from asih.comments.models import Comment

pytestmark = pytest.mark.django_db
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def _data(**overrides):
    return {
        "name": "Ibu Rina",
        "email": "rina@example.test",
        "body": "Apakah pijat oksitosin boleh setelah operasi caesar?",
        **overrides,
    }


def test_a_broken_reply_target_is_explained(client, guide):
    response = client.post(f"/id/komentar/kirim/{guide.pk}/", _data(parent="abc"), **SAME_ORIGIN)
    assert response.status_code == 400
    with translation.override("id"):
        assert escape(str(services.PARENT_INVALID_MESSAGE)) in response.content.decode()
    assert not Comment.objects.exists()


def test_a_garbage_timing_token_is_held_as_spam_not_refused_silently(client, guide):
    response = client.post(
        f"/id/komentar/kirim/{guide.pk}/", _data(started="x" * 5000), **SAME_ORIGIN
    )
    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_a_page_id_beyond_32_bits_is_not_found(client):
    response = client.post("/id/komentar/kirim/" + "9" * 20 + "/", _data(), **SAME_ORIGIN)
    assert response.status_code == 404
