"""An issue as mail: the template context, the rendered parts, and the MIME bytes of every copy.

The bulk sender renders an issue **once per language** into pre-serialised MIME bytes holding
placeholders, and makes each recipient's copy by replacing the recipient, the Message-ID, the
subscriber's management token and (if the list measures) the signed tracking value. If a
placeholder does not stand verbatim in the bytes (a non-ASCII address, a folded header), that
recipient's message is built in full instead.
"""

import re
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from core.mail import render_mail
from newsletter.models import Issue

TEMPLATE = "newsletter_issue"
LANGUAGES = ("de", "en")
PH_RCPT = "kw-rcpt-placeholder@placeholder.invalid"
PH_MSGID = "<kw-msgid-placeholder@placeholder.invalid>"
PH_TOKEN = "KWTOKENPLACEHOLDERKWTOKENPLACEHOLDER"  # noqa: S105 – a placeholder, replaced per recipient
PH_TRACK = "KWTRACKPLACEHOLDER"
TRACK_SALT = "newsletter.track"


def mail_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rsplit("@", 1)[-1] or "localhost"


def tracking_value(delivery_id: int) -> str:
    """The signed delivery id in the open-pixel and click links (only when a list measures)."""
    return signing.dumps(delivery_id, salt=TRACK_SALT)


def tracked_delivery_id(value: str) -> int | None:
    try:
        delivery_id = signing.loads(value, salt=TRACK_SALT)
    except signing.BadSignature:
        return None
    return delivery_id if isinstance(delivery_id, int) else None


def _item_dicts(issue: Issue, *, track: bool) -> list[dict]:
    items = []
    for item in issue.items.all():
        link = item.link
        if track and link:
            link = settings.SITE_URL + reverse("newsletter:track_click", args=[PH_TRACK, item.pk])
        items.append(
            {
                "title": item.title,
                "teaser": item.teaser,
                "text": item.text,
                "link": link,
                "source": item.source,
                "image_url": (settings.SITE_URL + item.image.url) if item.image else "",
                "image_alt": item.image_alt,
            }
        )
    return items


def issue_context(issue: Issue, *, token: str, tracking: str = "") -> dict:
    """The template context of an issue; ``token`` is the subscriber's management token (or a placeholder).

    Without a token (a test address that is not on the list) the personal links lead to the sign-up page.
    """
    newsletter_list = issue.newsletter_list
    site = settings.SITE_URL
    subscribe_url = site + reverse("newsletter:subscribe", args=[newsletter_list.slug])
    return {
        "issue": issue,
        "newsletter_list": newsletter_list,
        "items": _item_dicts(issue, track=bool(tracking) and newsletter_list.click_tracking),
        "archive_url": site + reverse("newsletter:archive_detail", args=[issue.pk]),
        "unsubscribe_url": site + reverse("newsletter:unsubscribe", args=[token]) if token else subscribe_url,
        "preferences_url": site + reverse("newsletter:preferences", args=[token]) if token else subscribe_url,
        "subscribe_url": subscribe_url,
        "open_pixel_url": (
            site + reverse("newsletter:track_open", args=[tracking])
            if tracking and newsletter_list.open_tracking
            else ""
        ),
    }


def issue_render(issue: Issue, *, language: str = "de", token: str = "", tracking: str = "") -> tuple[str, str, str]:
    """(subject, text, html) of an issue as a subscriber receives it."""
    language = language if language in LANGUAGES else "de"
    return render_mail(TEMPLATE, issue_context(issue, token=token, tracking=tracking), language)


def list_headers(issue: Issue, unsubscribe_url: str) -> dict:
    """RFC 2369/8058 headers: one-click unsubscribe and the list's id."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{issue.newsletter_list.name} <{issue.newsletter_list.slug}.{mail_domain()}>",
    }


def _normalise(data: bytes) -> bytes:
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    head, sep, body = data.partition(b"\r\n\r\n")
    # a value folded right after "Name:" (long URLs) is joined again: some clients keep the leading blank
    data = re.sub(rb"(?m)^([A-Za-z-]+):[ \t]*\r\n[ \t]+", rb"\1: ", head) + sep + body
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return re.sub(rb"(?m)^\.", b"..", data)  # dot-stuffing (RFC 5321 4.5.2)


def build_message(issue, *, to, message_id, subject, text, html, unsubscribe_url) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id, **list_headers(issue, unsubscribe_url)},
    )
    message.attach_alternative(html, "text/html")
    return message


def _unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("newsletter:unsubscribe", args=[token])


class IssueRenderer:
    """Renders an issue once per language into MIME bytes; personalises a copy per recipient."""

    def __init__(self, issue: Issue):
        self.issue = issue
        self.tracking = issue.newsletter_list.open_tracking or issue.newsletter_list.click_tracking
        self._templates: dict[str, bytes | None] = {}
        self._parts: dict[str, tuple[str, str, str]] = {}

    def _rendered(self, language: str) -> tuple[str, str, str]:
        if language not in self._parts:
            self._parts[language] = issue_render(
                self.issue, language=language, token=PH_TOKEN, tracking=PH_TRACK if self.tracking else ""
            )
        return self._parts[language]

    def _template(self, language: str) -> bytes | None:
        if language not in self._templates:
            subject, text, html = self._rendered(language)
            message = build_message(
                self.issue, to=PH_RCPT, message_id=PH_MSGID, subject=subject, text=text, html=html,
                unsubscribe_url=_unsubscribe_url(PH_TOKEN),
            )  # fmt: skip
            data = _normalise(message.message().as_bytes(linesep="\r\n"))
            # The fast path needs every placeholder verbatim in the bytes (8bit bodies, unfolded headers).
            ok = data.count(PH_RCPT.encode()) == 1 and data.count(PH_MSGID.encode()) == 1
            ok = ok and data.count(PH_TOKEN.encode()) == (subject + text + html).count(PH_TOKEN) + 1
            ok = ok and data.count(PH_TRACK.encode()) == (subject + text + html).count(PH_TRACK)
            self._templates[language] = data if ok else None
        return self._templates[language]

    def personalise(self, *, email: str, message_id: str, token: str, delivery_id: int, language: str) -> bytes:
        """The dot-stuffed bytes of one recipient's copy, ready for DATA."""
        language = language if language in LANGUAGES else "de"
        tracking = tracking_value(delivery_id) if self.tracking else ""
        template = self._template(language) if email.isascii() else None
        if template is not None:
            data = template.replace(PH_RCPT.encode(), email.encode()).replace(PH_MSGID.encode(), message_id.encode())
            data = data.replace(PH_TOKEN.encode(), token.encode())
            if tracking:
                data = data.replace(PH_TRACK.encode(), tracking.encode())
            return data
        # slow path: build this recipient's message from the rendered strings
        subject, text, html = (
            part.replace(PH_TOKEN, token).replace(PH_TRACK, tracking) for part in self._rendered(language)
        )
        message = build_message(
            self.issue, to=email, message_id=message_id, subject=subject, text=text, html=html,
            unsubscribe_url=_unsubscribe_url(token),
        )  # fmt: skip
        return _normalise(message.message().as_bytes(linesep="\r\n"))
