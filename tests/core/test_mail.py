"""Email goes through a real SMTP server after the transaction commits, in the given language."""

import pytest
from django.db import transaction

from asih.core.mail import render_email, send_templated_email


@pytest.fixture
def hello_templates(tmp_path, settings):
    templates = tmp_path / "templates" / "t"
    templates.mkdir(parents=True)
    subject = "{% load i18n %}{% translate 'Back to the guides' %}\n {{ name }}"
    (templates / "hello_subject.txt").write_text(subject)
    (templates / "hello.txt").write_text("Hi {{ name }}")
    (templates / "hello.html").write_text("<p>Hi {{ name }}</p>")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path / "templates", *engine["DIRS"]]}]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("hello_templates")
def test_email_is_delivered_after_commit_with_text_html_and_unsubscribe(smtp_server):
    with transaction.atomic():
        send_templated_email(
            to=["ibu@example.com"],
            template_prefix="t/hello",
            context={"name": "Sari <b>"},
            language="id",
            unsubscribe_url="http://testserver/u/abc",
        )
        assert smtp_server.messages == []  # nothing leaves before the commit
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "ibu@example.com"
    assert message["Subject"] == "Kembali ke panduan Sari <b>"
    assert message["List-Unsubscribe"] == "<http://testserver/u/abc>"
    assert smtp_server.text_of(message).strip() == "Hi Sari <b>"  # plain text, not escaped
    assert "<p>Hi Sari &lt;b&gt;</p>" in smtp_server.html_of(message)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("hello_templates")
def test_a_mail_server_that_is_down_does_not_break_the_request(settings, caplog):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = sock.getsockname()[1]  # closed again: connection refused
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    subject, text, html = render_email(
        template_prefix="t/hello", context={"name": "x"}, language="en"
    )
    assert (subject, text, html) == ("Back to the guides x", "Hi x", "<p>Hi x</p>")
    with transaction.atomic():
        send_templated_email(
            to=["a@example.com"], template_prefix="t/hello", context={"name": "x"}, language="en"
        )
    assert "Could not deliver an email" in caplog.text
