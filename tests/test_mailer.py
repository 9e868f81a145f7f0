"""The mailer against a real SMTP server (aiosmtpd on 127.0.0.1): headers, parts, failures."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from litwatch.config.loader import Settings, SmtpSettings
from litwatch.digest.send import MailError, build_message, send_email

PASSWORD = "s3cret-Pa55word"


class Inbox:
    """aiosmtpd handler keeping every message it is handed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope) -> str:   # noqa: N802 (aiosmtpd API)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content,
                                                policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate,
                            auth_require_tls=False)
    controller.start()
    yield inbox, port
    controller.stop()


def smtp(settings: Settings, port: int, **changes: object) -> SmtpSettings:
    values: dict[str, object] = dict(
        host="127.0.0.1", port=port, security="none", sender="litwatch <digest@litwatch.example>",
        recipients=("reader@example.org", "editor@example.org"),
        list_unsubscribe="mailto:unsubscribe@litwatch.example")
    return replace(settings.smtp, **{**values, **changes})


def test_message_has_both_parts_and_the_headers(settings: Settings) -> None:
    msg = build_message(smtp(settings, 25), "Subject é", "plain body", "<p>html body</p>")
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["Message-ID"].endswith("@litwatch.example>")
    assert msg["Date"] and msg["List-Unsubscribe"] == "<mailto:unsubscribe@litwatch.example>"
    assert msg["To"] == "reader@example.org, editor@example.org"


def test_send_delivers_to_every_recipient(settings: Settings, smtp_server) -> None:
    inbox, port = smtp_server
    message_id = send_email(smtp(settings, port), "Hello", "text part", "<p>html part</p>")
    [received] = inbox.messages
    assert received["Message-ID"].strip() == message_id
    assert received["Subject"] == "Hello"
    assert inbox.envelopes == [("digest@litwatch.example",
                                ["reader@example.org", "editor@example.org"])]
    assert received.get_body(("plain",)).get_content().strip() == "text part"
    assert received.get_body(("html",)).get_content().strip() == "<p>html part</p>"


def test_login_uses_the_password_from_settings(settings: Settings, smtp_server) -> None:
    inbox, port = smtp_server
    send_email(smtp(settings, port, username="litwatch", password=PASSWORD), "s", "t", "<p>h</p>")
    [received] = inbox.messages
    assert PASSWORD not in received.as_string()


def test_server_down_is_a_mail_error_without_the_password(
        settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()                                   # nothing listens there
    caplog.set_level(logging.DEBUG)
    with pytest.raises(MailError) as err:
        send_email(smtp(settings, port, username="litwatch", password=PASSWORD), "s", "t", "h")
    assert f"127.0.0.1:{port}" in str(err.value)
    assert PASSWORD not in str(err.value) and PASSWORD not in caplog.text


def test_starttls_refused_by_the_server_fails_cleanly(settings: Settings, smtp_server) -> None:
    inbox, port = smtp_server
    with pytest.raises(MailError, match="STARTTLS"):
        send_email(smtp(settings, port, security="starttls"), "s", "t", "<p>h</p>")
    assert inbox.messages == []


def test_no_recipients_is_refused_before_connecting(settings: Settings) -> None:
    with pytest.raises(MailError, match="recipients"):
        send_email(replace(smtp(settings, 1), recipients=()), "s", "t", "h")
