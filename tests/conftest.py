"""Shared fixtures: the guides from content/ loaded once into the test database."""

import os
import shutil
import socket
import subprocess
import time

import pytest
from hypothesis import settings as hypothesis_settings

from asih.guides.loader import ContentLoader

# Loaded here, the top conftest, so that xdist's controlling process has it too.
pytest_plugins = ["tests.hostile.floor"]

# Hypothesis profiles. `default` keeps a local run quick; `ci` (HYPOTHESIS_PROFILE=ci, set by
# .ci/run) runs Hypothesis's own 100 examples per test, the scale at which the hostile tests'
# counts were set (tests/hostile/budget.py scales them by this number).
hypothesis_settings.register_profile("ci", max_examples=100)
hypothesis_settings.register_profile("default", max_examples=10)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Load the real content once per session; each test then runs in a rolled-back transaction.
    with django_db_blocker.unblock():
        ContentLoader().load()


@pytest.fixture(autouse=True)
def _empty_django_cache():
    # Rendered fragments are keyed by page ids and counters that a rolled-back test can leave
    # pointing at rows the next test reuses: every test starts with an empty cache.
    from django.core.cache import cache

    cache.clear()


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


class _Mailbox:
    """What a real local SMTP server (aiosmtpd) received, parsed as email messages."""

    def __init__(self):
        import threading

        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 5.0):
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} emails, the SMTP server got {len(self.messages)}")

    @staticmethod
    def text_of(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html_of(message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port; Django's SMTP backend delivers to it."""
    from aiosmtpd.controller import Controller

    port = _free_port()
    mailbox = _Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield mailbox
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A private Redis for this test process (each xdist worker its own), gone at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"redis-server did not start on port {port}") from None
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)
