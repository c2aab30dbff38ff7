"""Signing and verifying a webhook (Standard Webhooks style, hex HMAC-SHA256).

    Webhook-Id:        the event's UUID (the idempotency key; the same on every attempt)
    Webhook-Timestamp: seconds since the epoch of this attempt
    Webhook-Signature: v1=<hex HMAC-SHA256 over "{id}.{timestamp}.{body}" with the endpoint's secret>

:func:`verify` is what a receiver does; it is here for the tests and as the reference for README.md.
"""

import hashlib
import hmac
import time


class InvalidSignature(Exception):
    pass


def signature(secret: str, webhook_id: str, timestamp: str, body: bytes) -> str:
    message = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, webhook_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Webhook-Id": webhook_id,
        "Webhook-Timestamp": timestamp,
        "Webhook-Signature": signature(secret, webhook_id, timestamp, body),
    }


def verify(secret: str, headers, body: bytes, *, tolerance: int = 300, now: float | None = None) -> str:
    """Check a received webhook; returns its ``Webhook-Id``. Raises :class:`InvalidSignature`.

    ``headers`` is any mapping with case-insensitive ``get`` (``http.server``'s, Django's
    ``request.headers``). The timestamp must be within ``tolerance`` seconds (replayed old requests).
    """
    webhook_id = headers.get("Webhook-Id") or ""
    timestamp = headers.get("Webhook-Timestamp") or ""
    given = headers.get("Webhook-Signature") or ""
    if not webhook_id or not timestamp.isdigit():
        raise InvalidSignature("missing Webhook-Id or Webhook-Timestamp")
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        raise InvalidSignature("timestamp outside the tolerance")
    expected = signature(secret, webhook_id, timestamp, body)
    # several signatures may be sent, separated by spaces, while a secret is being rotated
    if not any(hmac.compare_digest(expected, candidate) for candidate in given.split()):
        raise InvalidSignature("signature does not match")
    return webhook_id
