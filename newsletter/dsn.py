"""Bounce reports (DSN, RFC 3464) read into :class:`BounceReport` values; nothing is written here
(``newsletter.services.bounces.bounce_apply`` acts on them).

A report is a ``multipart/report; report-type=delivery-status`` message. Its
``message/delivery-status`` part holds one block per recipient with ``Final-Recipient``,
``Action`` and ``Status`` (5.x.x permanent, 4.x.x temporary). The returned message (or its
headers) carries our ``Message-ID``, which names the delivery row.
"""

import email
import email.policy
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class BounceReport:
    recipient: str
    status: str  # e.g. "5.1.1"
    action: str  # failed, delayed, delivered, relayed, expanded
    message_id: str
    diagnostic: str = ""

    @property
    def hard(self) -> bool:
        return self.action == "failed" and self.status.startswith("5")

    @property
    def soft(self) -> bool:
        return self.status.startswith("4") or self.action == "delayed"


def _fields(block: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in re.sub(r"\r?\n[ \t]+", " ", block).splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip().lower()] = value.strip()
    return fields


def _address(value: str) -> str:
    # "rfc822; someone@example.org"
    return value.split(";", 1)[-1].strip().strip("<>").lower()


def parse_dsn(raw: bytes) -> list[BounceReport]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if message.get_content_type() != "multipart/report":
        return []
    status_text, message_id = "", ""
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            payload = part.get_payload()
            if isinstance(payload, list):  # parsed into header blocks
                status_text = "\n\n".join(str(block) for block in payload)
            else:
                status_text = part.get_payload(decode=True).decode("utf-8", "replace")
        elif content_type in ("message/rfc822", "text/rfc822-headers") and not message_id:
            if content_type == "message/rfc822":
                inner = part.get_payload()
                inner = inner[0] if isinstance(inner, list) else inner
                message_id = str(inner.get("Message-ID", "")).strip()
            else:
                headers = email.message_from_bytes(part.get_payload(decode=True) or b"", policy=email.policy.default)
                message_id = str(headers.get("Message-ID", "")).strip()
    reports = []
    blocks = [block for block in re.split(r"\r?\n\s*\r?\n", status_text) if block.strip()]
    for block in blocks[1:] if len(blocks) > 1 else blocks:  # the first block is per-message
        fields = _fields(block)
        recipient = _address(fields.get("final-recipient", "") or fields.get("original-recipient", ""))
        if not recipient:
            continue
        reports.append(
            BounceReport(
                recipient=recipient,
                status=fields.get("status", "").split()[0] if fields.get("status") else "",
                action=fields.get("action", "").lower(),
                message_id=message_id,
                diagnostic=fields.get("diagnostic-code", ""),
            )
        )
    return reports
