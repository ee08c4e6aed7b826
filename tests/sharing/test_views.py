"""The share-count endpoint: a cacheable GET of a guide's count; same-origin POSTs, deduped,
rate-limited; clear JSON errors."""

import json

import pytest

from asih.core.protection import CROSS_SITE_MESSAGE, RATE_LIMIT_MESSAGE
from asih.sharing.models import ShareCount, ShareMark
from asih.sharing.services import SHARE_NOT_A_GUIDE, SHARE_UNKNOWN_NETWORK
from asih.sharing.views import (
    SHARE_BAD_BODY,
    SHARE_BAD_PAGE,
    SHARE_METHODS,
    SHARE_RATE_LIMIT,
)

URL = "/api/share/"
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def post(client, data, *, ip="203.0.113.7", json_body=False, **headers):
    headers = {**SAME_ORIGIN, "REMOTE_ADDR": ip, **headers}
    if json_body:
        return client.post(URL, json.dumps(data), content_type="application/json", **headers)
    return client.post(URL, data, **headers)


@pytest.fixture
def guide(oxytocin):
    return oxytocin["id"]


def test_a_share_is_counted_and_the_answer_is_never_cached(client, guide):
    response = post(client, {"page": guide.pk, "network": "whatsapp"})
    assert response.status_code == 200
    assert response.json() == {"counted": True, "total": 1}
    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {} and "Set-Cookie" not in response
    assert ShareCount.objects.get(page=guide).whatsapp == 1


def test_the_same_visitor_is_counted_once_a_day_and_another_visitor_counts(client, guide):
    post(client, {"page": guide.pk, "network": "whatsapp"})
    again = post(client, {"page": guide.pk, "network": "copy"})
    assert again.json() == {"counted": False, "total": 1}
    other = post(client, {"page": guide.pk, "network": "copy"}, ip="198.51.100.20")
    assert other.json() == {"counted": True, "total": 2}
    # Only hashes are stored: no address anywhere in the marks.
    digests = " ".join(ShareMark.objects.values_list("digest", flat=True))
    assert "203.0.113.7" not in digests and "198.51.100.20" not in digests


def test_a_json_body_is_accepted(client, guide):
    response = post(client, {"page": guide.pk, "network": "telegram"}, json_body=True)
    assert response.json() == {"counted": True, "total": 1}


def test_an_origin_header_from_this_site_is_enough(client, guide):
    response = client.post(
        URL,
        {"page": guide.pk, "network": "x"},
        HTTP_ORIGIN="http://testserver",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.json()["counted"] is True


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_SEC_FETCH_SITE": "", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": ""},
    ],
)
def test_cross_site_posts_are_refused(client, guide, headers):
    response = client.post(
        URL,
        json.dumps({"page": guide.pk, "network": "whatsapp"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    assert response.json() == {"error": str(CROSS_SITE_MESSAGE)}
    assert not ShareCount.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_only_get_and_post(client, method):
    response = getattr(client, method)(URL, **SAME_ORIGIN)
    assert response.status_code == 405
    assert response.json() == {"error": str(SHARE_METHODS)}
    assert response["Allow"] == "GET, HEAD, POST"


def test_the_count_is_read_with_a_get_that_every_cache_may_keep(client, guide):
    empty = client.get(URL, {"page": guide.pk})
    assert empty.status_code == 200 and empty.json() == {"page": guide.pk, "total": 0}
    post(client, {"page": guide.pk, "network": "whatsapp"})
    post(client, {"page": guide.pk, "network": "copy"}, ip="198.51.100.9")
    response = client.get(URL, {"page": guide.pk}, REMOTE_ADDR="192.0.2.1")
    assert response.json() == {"page": guide.pk, "total": 2}
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=60" in cache_control
    assert "no-store" not in cache_control and "private" not in cache_control
    assert response.cookies == {} and "Set-Cookie" not in response
    # The same bytes for another visitor.
    assert client.get(URL, {"page": guide.pk}, REMOTE_ADDR="203.0.113.50").content == (
        response.content
    )


@pytest.mark.parametrize(
    "query", [{}, {"page": ""}, {"page": "abc"}, {"page": "-1"}, {"page": "1" * 12}]
)
def test_a_count_without_a_readable_page_gets_a_clear_error(client, query):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert response.json() == {"error": str(SHARE_BAD_PAGE)}
    assert "public" not in response.get("Cache-Control", "")


def test_a_count_of_an_unknown_or_unpublished_page_is_refused(client, guide):
    assert client.get(URL, {"page": 987654}).json() == {"error": str(SHARE_NOT_A_GUIDE)}
    guide.unpublish()
    response = client.get(URL, {"page": guide.pk})
    assert response.status_code == 400
    assert response.json() == {"error": str(SHARE_NOT_A_GUIDE)}


def test_count_errors_speak_the_visitors_language(client):
    response = client.get(URL, {"page": "x"}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.json() == {
        "error": "Sebutkan panduan yang jumlahnya Anda minta: ?page=<id halaman>."
    }


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"network": "whatsapp"},
        {"page": "", "network": "whatsapp"},
        {"page": "abc", "network": "whatsapp"},
        {"page": "-4", "network": "whatsapp"},
        {"page": "1.5", "network": "whatsapp"},
        {"page": "²", "network": "whatsapp"},
        {"page": "99999999999999999999", "network": "whatsapp"},
        {"page": "PAGE", "network": ""},
    ],
)
def test_unreadable_fields_get_a_clear_error(client, guide, data):
    data = {k: (guide.pk if v == "PAGE" else v) for k, v in data.items()}
    response = post(client, data)
    if data.get("network") == "":
        assert response.status_code == 400
        assert response.json() == {"error": str(SHARE_UNKNOWN_NETWORK)}
    else:
        assert response.status_code == 400
        assert response.json() == {"error": str(SHARE_BAD_BODY)}
    assert not ShareCount.objects.exists()


@pytest.mark.parametrize(
    "body",
    ["{not json", "[1, 2]", '"text"', "null", '{"page": [1], "network": "x"}', "\xff"],
)
def test_bad_json_gets_a_clear_error(client, body):
    response = client.post(URL, body, content_type="application/json", **SAME_ORIGIN)
    assert response.status_code == 400
    assert response.json() == {"error": str(SHARE_BAD_BODY)}


def test_an_oversized_body_is_refused(client, guide):
    response = post(client, {"page": guide.pk, "network": "whatsapp", "padding": "x" * 2000})
    assert response.status_code == 400
    assert not ShareCount.objects.exists()


def test_unknown_network_is_named(client, guide):
    response = post(client, {"page": guide.pk, "network": "myspace"})
    assert response.status_code == 400
    assert response.json() == {"error": str(SHARE_UNKNOWN_NETWORK)}


def test_unknown_or_unshareable_pages_are_refused(client, guide):
    for page_id in (987654, guide.get_parent().pk, guide.get_parent().get_parent().pk):
        response = post(client, {"page": page_id, "network": "whatsapp"})
        assert response.status_code == 400
        assert response.json() == {"error": str(SHARE_NOT_A_GUIDE)}
    guide.unpublish()
    response = post(client, {"page": guide.pk, "network": "whatsapp"})
    assert response.status_code == 400
    assert not ShareCount.objects.exists()


def test_rate_limit_per_address(client, guide, oxytocin):
    for _ in range(SHARE_RATE_LIMIT.limit):
        assert post(client, {"page": guide.pk, "network": "whatsapp"}).status_code == 200
    refused = post(client, {"page": oxytocin["en"].pk, "network": "whatsapp"})
    assert refused.status_code == 429
    assert refused.json() == {"error": str(RATE_LIMIT_MESSAGE)}
    assert not ShareCount.objects.filter(page=oxytocin["en"]).exists()
    # Another address is not held back by the first one.
    other = post(client, {"page": oxytocin["en"].pk, "network": "whatsapp"}, ip="198.51.100.1")
    assert other.json() == {"counted": True, "total": 1}
