"""The hostile-input harness: a client that counts every generated input and checks the answer.

Every request goes through `send`: it comes from a fresh address (so per-IP rate limits answer
what the form says, not 429), carries `Sec-Fetch-Site: same-origin` unless told otherwise (so it
reaches validation), must be answered below 500, and may change the stored rows only as the test
allows. What the whole run sent is added up in tests/hostile/floor.py.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from asih.core.charset import clean_environ

from . import tally

# Hypothesis keeps a cache of the source's constants in its home directory: in var/ (ignored by
# git), never a .hypothesis/ folder in the checkout. No example database is kept at all.
set_hypothesis_home_dir(Path(__file__).resolve().parents[2] / "var" / "hypothesis")

# Reproducible in CI (derandomize), nothing written to .hypothesis/ (database=None), and no
# deadline: a re-rendered guide page legitimately takes tens of milliseconds.
HOSTILE = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

_TABLES = {
    "signup": "leads_signup",
    "consultation": "leads_consultationrequest",
    "privacy": "leads_privacyrequest",
    "comment": "comments_comment",
    "sharecount": "sharing_sharecount",
    "sharemark": "sharing_sharemark",
}
_addresses = itertools.count(1)


def row_counts() -> dict[str, int]:
    """Rows of every model a public request can write, in one query."""
    parts = ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})" for table in _TABLES.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return dict(zip(_TABLES, cursor.fetchone(), strict=True))


@dataclass
class Sent:
    response: object
    stored: dict[str, int]  # rows added (or removed) per model

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def text(self) -> str:
        return self.response.content.decode("utf-8")


class _AsDeployed:
    """The test client's handler behind the same environ layer as asih.wsgi.application."""

    def __init__(self, handler):
        self.handler = handler

    def __call__(self, environ):
        return self.handler(clean_environ(environ))

    def __getattr__(self, name):
        return getattr(self.handler, name)


@pytest.fixture
def send(client, db):
    client.handler = _AsDeployed(client.handler)

    def send(
        endpoint: str,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        content_type: str | None = None,
        query: str | None = None,
        same_origin: bool = True,
        may_store: tuple[str, ...] = (),
        **headers,
    ) -> Sent:
        number = next(_addresses)
        extra = {"REMOTE_ADDR": f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"}
        if same_origin:
            extra["HTTP_SEC_FETCH_SITE"] = "same-origin"
        if query is not None:
            extra["QUERY_STRING"] = query
        if content_type is not None:
            extra["CONTENT_TYPE"] = content_type
        extra.update(headers)
        before = row_counts()
        response = client.generic(
            method, path, body, content_type or "application/octet-stream", **extra
        )
        tally.inputs[endpoint] += 1
        assert response.status_code < 500, (endpoint, method, path, response.status_code)
        after = row_counts()
        stored = {name: after[name] - before[name] for name in after if after[name] != before[name]}
        unexpected = {name: delta for name, delta in stored.items() if name not in may_store}
        assert not unexpected, f"{endpoint}: {method} {path} changed {unexpected}"
        assert all(abs(delta) <= 1 for delta in stored.values()), stored
        return Sent(response, stored)

    return send


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
