"""make load-check's bookkeeping: its posts are accepted, and a lost acknowledged post shows."""

import time
from collections import Counter

import pytest
from django.core.cache import cache
from django.test import override_settings

from asih.comments.models import Comment
from asih.core.protection import make_started_token
from asih.leads.models import SignUp
from deploy.load_check import (
    Poster,
    PostResult,
    find_stored,
    parse_wrk,
    tally,
    wrk_errors,
)

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:41234
  2 threads and 200 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    22.96ms   16.21ms    1.20s    69.34%
    Req/Sec     4.56k     2.19k   11.06k    77.00%
  Latency Distribution
     50%   20.44ms
     75%   32.51ms
     90%   44.05ms
     99%   72.72ms
  45586 requests in 10.02s, 358.79MB read
  Socket errors: connect 0, read 3, write 0, timeout 7
  Non-2xx or 3xx responses: 12
Requests/sec:   4549.10
Transfer/sec:     35.80MB
"""


@pytest.fixture
def poster(oxytocin):
    poster = Poster("http://testserver", f"/id/komentar/kirim/{oxytocin['id'].pk}/", "t35t")
    poster.started = make_started_token(now=time.time() - 60)  # a person's pace
    return poster


@pytest.mark.django_db
@override_settings(ASIH_TRUSTED_PROXY_COUNT=1)
def test_the_posters_comments_and_sign_ups_are_acknowledged_and_found(client, poster):
    cache.clear()
    results = []
    for kind in ("comment", "signup", "comment", "signup"):
        marker, path, fields, headers = poster.form(kind)
        response = client.post(path, fields, headers=headers)
        results.append(PostResult(kind, marker, response.status_code))

    assert [r.status for r in results] == [303, 303, 303, 303]
    stored = find_stored(
        {"comment": [r.marker for r in results[::2]], "signup": [r.marker for r in results[1::2]]}
    )
    assert stored == {
        "comment": {results[0].marker, results[2].marker},
        "signup": {results[1].marker, results[3].marker},
    }
    # Each post comes from its own address (as nginx reports it), so per-address rate limits
    # are not what a load run measures; and with the timing token no comment is held as spam.
    comments = Comment.objects.filter(email__startswith="load-t35t-")
    assert comments.values("visitor_hash").distinct().count() == 2
    assert set(comments.values_list("status", flat=True)) == {Comment.Status.PENDING}
    cache.clear()


@pytest.mark.django_db
def test_an_acknowledged_post_missing_from_the_database_is_reported(oxytocin):
    Comment.objects.create(
        page=oxytocin["id"],
        language="id",
        name="Uji",
        email="load-x-comment-1@example.test",
        body="Pertanyaan yang tersimpan.",
        visitor_hash="a" * 32,
    )
    SignUp.objects.create(
        email="load-x-signup-4@example.test",
        name="Uji",
        stage="planning",
        consent_text="setuju",
        consented_at="2026-01-01T00:00:00Z",
    )
    results = [
        PostResult("comment", "load-x-comment-1", 303),  # acknowledged and stored
        PostResult("comment", "load-x-comment-2", 303),  # acknowledged, lost
        PostResult("signup", "load-x-signup-3", 429),  # refused, not stored
        PostResult("signup", "load-x-signup-4", None, "RemoteDisconnected"),  # killed after commit
    ]
    stored = find_stored(
        {
            "comment": ["load-x-comment-1", "load-x-comment-2"],
            "signup": ["load-x-signup-3", "load-x-signup-4"],
        }
    )
    outcome = tally(results, stored)

    assert outcome.acknowledged == 2
    assert outcome.acknowledged_stored == 1
    assert outcome.lost == ["load-x-comment-2"]
    assert outcome.failed == Counter({"429": 1, "no answer (RemoteDisconnected)": 1})
    assert outcome.stored_unacknowledged == 1


def test_a_marker_is_found_only_by_exact_address(db, oxytocin):
    Comment.objects.create(
        page=oxytocin["id"],
        language="id",
        name="Uji",
        email="load-x-comment-10@example.test",
        body="Pertanyaan yang tersimpan.",
        visitor_hash="a" * 32,
    )
    assert find_stored({"comment": ["load-x-comment-1", "load-x-comment-10"]}) == {
        "comment": {"load-x-comment-10"}
    }


def test_wrk_errors_count_socket_errors_timeouts_and_bad_statuses():
    result = parse_wrk(WRK_OUTPUT)

    assert result["requests"] == 45586
    assert result["rps"] == 4549.10
    assert result["p50"] == 20.44
    assert result["p99"] == 72.72
    assert result["max"] == 1200.0
    assert (result["read"], result["timeout"], result["non_2xx_3xx"]) == (3, 7, 12)
    assert wrk_errors(result) == 22
    clean = WRK_OUTPUT.replace("  Socket errors: connect 0, read 3, write 0, timeout 7\n", "")
    assert wrk_errors(parse_wrk(clean.replace("  Non-2xx or 3xx responses: 12\n", ""))) == 0
