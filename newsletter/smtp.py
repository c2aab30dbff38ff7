"""``BulkSMTP``: SMTP connections that send pre-serialised messages in two phases.

Per message: ``MAIL``, ``RCPT``, ``DATA``, then the whole content **without** the terminating
``.`` (:func:`open_messages`, one message per connection, the connections side by side); then the
caller records how far it has sent and commits; only then the final ``.`` (:func:`close_messages`).
Each connection's next command is written as soon as that connection's reply is read, so the
server always has the other connections' commands to work on (no PIPELINING: one command in
flight per connection).
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
        self.mail_ahead = False  # the next message's MAIL was written with the last "." (close_messages)

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

    def mail(self, sender: str) -> None:
        self.put(f"MAIL FROM:{_address(sender)}{self.mail_options}")

    def rset(self) -> None:
        self.put("RSET")
        self.reply()

    def drop(self) -> None:
        """Close without QUIT: a message left without its final "." is discarded by the server."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None


PLAIN_ADDRESS = re.compile(r"[!#-;=?-~]+")  # printable ASCII but blanks, quotes and <>: written as is in <…>


def _address(address: str) -> str:
    return f"<{address}>" if PLAIN_ADDRESS.fullmatch(address) else smtplib.quoteaddr(address)


def open_messages(messages: list[tuple[BulkSMTP, str, str, bytes]]) -> list[Exception | None]:
    """``MAIL``, ``RCPT``, ``DATA`` and the content without the final "." of one message per connection.

    ``messages`` are (connection, sender, recipient, data), each on a connection of its own. The
    ``MAIL`` is written on every connection (unless :func:`close_messages` wrote it ahead), then
    the replies are read in turn, and each connection's next step is written right after its own
    reply: while this reads one connection's answer the server works on the others'. Returns per
    message ``None`` (open: only the final "." is missing) or the refusal (the connection is reset
    and ready for the next one). Connection trouble (``OSError``, ``SMTPServerDisconnected``) is
    raised: the caller drops every connection, which discards whatever was open.
    """
    outcome: list[Exception | None] = [None] * len(messages)
    for smtp, sender, _recipient, _data in messages:
        if not smtp.mail_ahead:
            smtp.mail(sender)
        smtp.mail_ahead = False
    for step in ("MAIL", "RCPT", "DATA"):
        for n, (smtp, sender, recipient, data) in enumerate(messages):
            if outcome[n] is not None:
                continue
            code, response = smtp.reply()
            if step == "MAIL":
                if code == 250:
                    smtp.put(f"RCPT TO:{_address(recipient)}")
                else:
                    outcome[n] = smtplib.SMTPSenderRefused(code, response, sender)
            elif step == "RCPT":
                if code in (250, 251):
                    smtp.put("DATA")
                else:
                    outcome[n] = smtplib.SMTPRecipientsRefused({recipient: (code, response)})
            elif code == 354:
                smtp.smtp.sock.sendall(data)
            else:
                outcome[n] = smtplib.SMTPDataError(code, response)
            if outcome[n] is not None:
                smtp.rset()
    return outcome


def close_messages(
    connections: list[BulkSMTP], *, then_mail: list[str | None] | None = None
) -> tuple[list[Exception | None], Exception | None]:
    """Write the final "." on every connection, then read the replies.

    ``then_mail``: per connection the sender of its next message, whose ``MAIL`` is written right
    after this reply (or ``None``). Returns per message ``None`` (accepted) or the server's refusal,
    and the first connection error if any (that message counts as sent: the "." may have arrived;
    the caller stops the batch).
    """
    outcome: list[Exception | None] = [None] * len(connections)
    trouble: Exception | None = None
    written = []
    for n, smtp in enumerate(connections):
        try:
            smtp.smtp.sock.sendall(b".\r\n")
            written.append(n)
        except (smtplib.SMTPException, OSError) as error:
            trouble = trouble or error
    for n in written:
        smtp = connections[n]
        try:
            code, response = smtp.reply()
        except (smtplib.SMTPException, OSError) as error:
            trouble = trouble or error
            continue
        if code != 250:
            outcome[n] = smtplib.SMTPDataError(code, response)
        if then_mail and then_mail[n] and trouble is None:
            try:
                smtp.mail(then_mail[n])
                smtp.mail_ahead = True
            except (smtplib.SMTPException, OSError) as error:
                trouble = error
    return outcome, trouble


def is_permanent(error: Exception) -> bool:
    """A 5xx answer: retrying will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False
