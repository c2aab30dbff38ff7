"""``BulkSMTP``: one SMTP connection that sends pre-serialised messages in two phases.

Per message: ``MAIL``, ``RCPT``, ``DATA``, then the whole content **without** the terminating
``.``; then ``commit()`` (the caller marks the row sent and commits); only then the final ``.``.
A crash before the commit leaves the server with an unterminated message, which it discards when
the connection drops; if ``commit()`` says the row was taken away (a resume), the connection is
dropped without the ``.`` and :class:`Abandoned` is raised. No SMTP library offers this hook.
"""

import smtplib
import socket
import ssl
from collections.abc import Callable

from django.conf import settings


class Abandoned(Exception):
    """The row was taken away from this worker (a resume); the message was left unterminated."""


class BulkSMTP:
    """A context manager around one ``smtplib`` connection configured by Django's ``EMAIL_*`` settings."""

    def __init__(self):
        self.smtp = None
        self.options: list[str] = []

    def __enter__(self):
        host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
        if settings.EMAIL_USE_SSL:
            self.smtp = smtplib.SMTP_SSL(host, port, timeout=settings.EMAIL_TIMEOUT)
        else:
            self.smtp = smtplib.SMTP(host, port, timeout=settings.EMAIL_TIMEOUT)
        # the final "." is a small write right after the large body: without TCP_NODELAY, Nagle's
        # algorithm holds it until the body is acknowledged (a delayed ACK: ~40 ms a message)
        self.smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.smtp.ehlo()
        if settings.EMAIL_USE_TLS:
            self.smtp.starttls(context=ssl.create_default_context())
            self.smtp.ehlo()
        if settings.EMAIL_HOST_USER:
            self.smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        self.options = ["BODY=8BITMIME"] if self.smtp.has_extn("8bitmime") else []
        return self

    def __exit__(self, *exc):
        if self.smtp is not None:
            try:
                if exc[0] is None:
                    self.smtp.quit()
                else:
                    self.smtp.close()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def send(self, sender: str, recipient: str, data: bytes, commit: Callable[[], bool]) -> None:
        """Send ``data`` (dot-stuffed, CRLF) to ``recipient``; ``commit()`` runs before the final dot."""
        smtp = self.smtp
        code, response = smtp.mail(sender, self.options)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, response, sender)
        code, response = smtp.rcpt(recipient)
        if code not in (250, 251):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused({recipient: (code, response)})
        smtp.putcmd("data")
        code, response = smtp.getreply()
        if code != 354:
            smtp.rset()
            raise smtplib.SMTPDataError(code, response)
        smtp.send(data)
        if not commit():
            smtp.close()  # the unterminated message is discarded by the server
            self.smtp = None
            raise Abandoned(recipient)
        smtp.send(b".\r\n")
        code, response = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, response)


def is_permanent(error: Exception) -> bool:
    """A 5xx answer: retrying will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False
