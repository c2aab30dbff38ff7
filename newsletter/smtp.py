"""``BulkSMTP``: SMTP connections that send pre-serialised messages in two phases.

Per message: ``MAIL``, ``RCPT``, ``DATA``, then the whole content **without** the terminating
``.`` (:meth:`BulkSMTP.open_message`); then the caller records how far it has sent and commits;
only then the final ``.`` (:meth:`BulkSMTP.close_message`).
A crash before the commit leaves the server with unterminated messages, which it discards when
the connection drops; if the commit says the batch was taken away (a resume), the caller drops
the connections without the ``.``. No SMTP library offers this hook.
"""

import re
import smtplib
import socket
import ssl

from django.conf import settings


class Abandoned(Exception):
    """The row was taken away from this worker (a resume); the message was left unterminated."""


class BulkSMTP:
    """A context manager around one ``smtplib`` connection configured by Django's ``EMAIL_*`` settings."""

    def __init__(self):
        self.smtp = None
        self.mail_options = ""

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
        self.mail_options = " BODY=8BITMIME" if self.smtp.has_extn("8bitmime") else ""
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

    def put(self, command: str) -> None:
        self.smtp.sock.sendall(f"{command}\r\n".encode())

    def reply(self) -> tuple[int, bytes]:
        """The next reply, read from the socket directly (a fraction of ``smtplib``'s ``getreply`` CPU).

        The server speaks only when asked, so nothing is left over for ``smtplib``'s own reader
        (``RSET``, ``QUIT``) between two replies.
        """
        data = b""
        while True:
            chunk = self.smtp.sock.recv(4096)
            if not chunk:
                self.drop()
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            data += chunk
            if data.endswith(b"\r\n"):
                last = data[data.rfind(b"\r\n", 0, -2) + 2 :] if data.count(b"\r\n") > 1 else data
                if last[3:4] != b"-":  # the final line of a (multi-line) reply: "250 OK", not "250-…"
                    break
        try:
            code = int(last[:3])
        except ValueError:
            code = -1
        text = b"\n".join(line[4:] for line in data[:-2].split(b"\r\n"))
        return code, text

    def rset(self) -> None:
        self.smtp.rset()

    def open_message(self, sender: str, recipient: str, data: bytes) -> Exception | None:
        """``MAIL``, ``RCPT``, ``DATA`` and the content **without** the final ".".

        Returns ``None`` (open: only the "." is missing, see :meth:`close_message`) or the refusal
        (the connection is reset and ready for the next message). Connection trouble
        (``OSError``, ``SMTPServerDisconnected``) is raised: the caller drops the connection, which
        discards whatever was open.
        """
        self.put(f"MAIL FROM:{_address(sender)}{self.mail_options}")
        code, response = self.reply()
        if code != 250:
            self.rset()
            return smtplib.SMTPSenderRefused(code, response, sender)
        self.put(f"RCPT TO:{_address(recipient)}")
        code, response = self.reply()
        if code not in (250, 251):
            self.rset()
            return smtplib.SMTPRecipientsRefused({recipient: (code, response)})
        self.put("DATA")
        code, response = self.reply()
        if code != 354:
            self.rset()
            return smtplib.SMTPDataError(code, response)
        self.smtp.sock.sendall(data)
        return None

    def close_message(self) -> Exception | None:
        """The final "." of an open message and the server's answer: ``None`` (accepted) or the refusal.

        Connection trouble is raised; the message then counts as sent (the "." may have arrived).
        """
        self.smtp.sock.sendall(b".\r\n")
        code, response = self.reply()
        return None if code == 250 else smtplib.SMTPDataError(code, response)

    def drop(self) -> None:
        """Close without QUIT: a message left without its final "." is discarded by the server."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None


PLAIN_ADDRESS = re.compile(r"[!#-;=?-~]+")  # printable ASCII but blanks, quotes and <>: written as is in <…>


def _address(address: str) -> str:
    return f"<{address}>" if PLAIN_ADDRESS.fullmatch(address) else smtplib.quoteaddr(address)


def is_permanent(error: Exception) -> bool:
    """A 5xx answer: retrying will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False
