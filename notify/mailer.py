"""E-mail through the configured SMTP server (``smtplib``; settings ``CMMS_SMTP_*``).

One ``SmtpMailer`` holds one SMTP connection for a batch of messages. Errors: ``MailError`` with
the server's answer, raised per message, so one refused address fails alone.
"""

from __future__ import annotations

import smtplib
import ssl
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
from types import TracebackType

from config import Settings
from config.settings import SmtpSecurity


class MailError(RuntimeError):
    """The SMTP server refused the message or could not be reached (message says why)."""


def mail_enabled(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def build_message(settings: Settings, to: str, subject: str, text: str, message_key: str) -> Message:
    """A plain-text message (UTF-8). ``message_key`` makes a stable Message-ID, so a
    message sent again after a crash is recognisable as the same one by mail clients.

    Built with ``email.mime`` and ``email.header.Header``: the modern ``EmailMessage`` folds a long
    non-ASCII subject into encoded-words with the space at a fold outside them, and readers then drop
    it (an Urdu subject came out as "نمبر101/2025"); ``Header`` keeps every space inside the words."""
    message = MIMEText(text, "plain", "utf-8")
    message["From"] = settings.mail_from
    message["To"] = to
    # email.message.Message takes a Header object for a header value (typeshed says str only)
    message["Subject"] = subject if subject.isascii() else Header(subject, "utf-8")  # type: ignore[assignment]
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = settings.mail_from.rsplit("@", 1)[-1].strip(" >") or "cmms.local"
    message["Message-ID"] = f"<{message_key}@{domain}>" if message_key else make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies
    message["X-CMMS-Message"] = message_key
    return message


class SmtpMailer:
    """``with SmtpMailer(settings) as mailer: mailer.send(message)``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpMailer:
        settings = self.settings
        try:
            if settings.smtp_security is SmtpSecurity.SSL:
                self._smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s,
                                              context=ssl.create_default_context())
            else:
                self._smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s)
                if settings.smtp_security is SmtpSecurity.STARTTLS:
                    self._smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                self._smtp.login(settings.smtp_username, settings.smtp_password or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot reach the SMTP server {settings.smtp_host}:{settings.smtp_port}: {exc}") from exc
        return self

    def send(self, message: Message) -> None:
        if self._smtp is None:
            raise MailError("the mailer is not connected")
        try:
            refused = self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"the SMTP server refused the message: {exc}") from exc
        if refused:
            raise MailError(f"the SMTP server refused {', '.join(refused)}")

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None
