"""Send one email over SMTP: multipart/alternative (text + HTML) with proper headers.

Plain smtplib with STARTTLS, implicit TLS (ssl) or no encryption (local relays
and tests).  The password comes from the environment via Settings and is never
logged: errors are reported as MailError with the secret masked, and smtplib's
protocol debug output (which would echo AUTH) is never switched on.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from litwatch.config.loader import SmtpSettings
from litwatch.errors import MailError
from litwatch.store.tables import utcnow

DEFAULT_TIMEOUT = 30.0


def build_message(smtp: SmtpSettings, subject: str, text: str, html: str,
                  now: datetime | None = None) -> EmailMessage:
    if not smtp.recipients:
        raise MailError("smtp.recipients is empty: nobody to send the digest to")
    msg = EmailMessage()
    msg["From"] = smtp.sender
    msg["To"] = ", ".join(smtp.recipients)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now or utcnow())
    msg["Message-ID"] = make_msgid("litwatch", domain=_domain(smtp.sender))
    if smtp.list_unsubscribe:
        msg["List-Unsubscribe"] = f"<{smtp.list_unsubscribe}>"
    msg["Auto-Submitted"] = "auto-generated"      # no vacation auto-replies to a bulletin
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


def send_message(smtp: SmtpSettings, msg: EmailMessage,
                 timeout: float = DEFAULT_TIMEOUT) -> str:
    """Deliver `msg` to smtp.recipients; return its Message-ID or raise MailError."""
    try:
        with _connect(smtp, timeout) as client:
            if smtp.username and smtp.password:
                client.login(smtp.username, smtp.password)
            refused = client.send_message(msg, to_addrs=list(smtp.recipients))
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(_redact(f"SMTP {smtp.host}:{smtp.port}: {_describe(exc)}", smtp)) from None
    if refused:
        raise MailError(_redact(f"SMTP {smtp.host}:{smtp.port} refused {sorted(refused)}", smtp))
    return str(msg["Message-ID"])


def send_email(smtp: SmtpSettings, subject: str, text: str, html: str) -> str:
    return send_message(smtp, build_message(smtp, subject, text, html))


def _connect(smtp: SmtpSettings, timeout: float) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if smtp.security == "ssl":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=context)
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
    if smtp.security == "starttls":
        try:
            client.starttls(context=context)
        except BaseException:
            client.close()
            raise
    return client


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if type(exc).__name__ not in text else text


def _redact(message: str, smtp: SmtpSettings) -> str:
    return message.replace(smtp.password, "***") if smtp.password else message
