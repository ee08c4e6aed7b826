"""Unsubscribe from reply emails: a signed link, no login; GET asks, POST (button or RFC 8058
one-click) acts; a clear 400 when tampered."""

import pytest
from django.test import Client

from asih.comments import unsubscribe
from asih.comments.models import Comment
from asih.core.localized_urls import reverse_in

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def follower(guide):
    return CommentFactory(page=guide, email="rina@example.test", follow_replies=True)


def _path(comment, language="id"):
    return unsubscribe.unsubscribe_path(comment, language=language)


def test_get_only_asks_and_the_button_unsubscribes(client, follower, guide):
    # Mail scanners open every link in an email: opening it must change nothing (issue 15, 18).
    response = client.get(_path(follower))
    assert response.status_code == 200
    assert not response.cookies  # public page: no session, no CSRF cookie
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert 'lang="id"' in html
    assert '<form method="post"' in html
    follower.refresh_from_db()
    assert follower.unsubscribed_at is None

    # The button posts from the page itself, with no CSRF token (the signed link is the key).
    done = Client(enforce_csrf_checks=True).post(_path(follower), HTTP_SEC_FETCH_SITE="same-origin")
    assert done.status_code == 200
    assert done.context["message"] == unsubscribe.UNSUBSCRIBED_MESSAGE
    assert guide.url in done.content.decode()  # back to the guide
    assert "no-store" in done["Cache-Control"]
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None


def test_one_click_post_from_a_mail_provider(follower):
    # RFC 8058: the provider POSTs from its own servers: no CSRF token, no Origin of ours.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _path(follower), {"List-Unsubscribe": "One-Click"}, HTTP_ORIGIN="https://mail.example"
    )
    assert response.status_code == 200
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None


def test_head_changes_nothing(client, follower):
    # Link scanners send HEAD; only a real GET or POST stops the emails.
    assert client.head(_path(follower)).status_code == 200
    follower.refresh_from_db()
    assert follower.unsubscribed_at is None


def test_unsubscribe_covers_the_persons_comments_in_the_thread_only(client, guide, follower):
    own_reply = CommentFactory(
        page=guide, parent=follower, email="rina@example.test", follow_replies=True
    )
    other_person = CommentFactory(
        page=guide, parent=follower, email="sari@example.test", follow_replies=True
    )
    other_thread = CommentFactory(page=guide, email="rina@example.test", follow_replies=True)
    client.post(_path(own_reply))
    states = {
        c.pk: c.unsubscribed_at is not None
        for c in Comment.objects.filter(
            pk__in=[follower.pk, own_reply.pk, other_person.pk, other_thread.pk]
        )
    }
    assert states == {
        follower.pk: True,
        own_reply.pk: True,
        other_person.pk: False,
        other_thread.pk: False,
    }


def test_repeat_click_still_confirms(client, follower):
    client.post(_path(follower))
    follower.refresh_from_db()
    first = follower.unsubscribed_at
    response = client.post(_path(follower))
    assert response.status_code == 200
    follower.refresh_from_db()
    assert follower.unsubscribed_at == first


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    "token",
    ["tampered", "{other-key}", "{mutate}"],
)
def test_tampered_token_is_a_clear_400_in_the_urls_language(client, follower, language, token):
    if token == "{other-key}":
        from django.core import signing

        token = signing.dumps(
            {"c": follower.pk}, key="not-our-secret", salt="asih.comments.unsubscribe"
        )
    if token == "{mutate}":
        good = unsubscribe.make_token(follower)
        token = good[:-1] + ("A" if good[-1] != "A" else "B")
    response = client.post(reverse_in(language, "comments:unsubscribe", token=token))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert response.context["message"] == unsubscribe.BAD_LINK_MESSAGE
    assert not response.cookies
    follower.refresh_from_db()
    assert follower.unsubscribed_at is None


def test_token_for_a_deleted_comment_is_a_400(client, follower):
    path = _path(follower)
    follower.delete()
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400


def test_signed_value_of_the_wrong_shape_is_refused(follower):
    from django.core import signing

    assert (
        unsubscribe.comment_for_token(signing.dumps([1], salt="asih.comments.unsubscribe")) is None
    )
    assert (
        unsubscribe.comment_for_token(signing.dumps({"c": "1"}, salt="asih.comments.unsubscribe"))
        is None
    )
    assert unsubscribe.comment_for_token(signing.dumps({"c": follower.pk}, salt="other")) is None
    assert unsubscribe.comment_for_token(unsubscribe.make_token(follower)) == follower
