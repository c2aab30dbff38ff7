"""A person's own things across every module: the personal area and the "send me my links" mail.

Each module registers a section in its ``personal.py``::

    @register_personal_section("events", title=_("Veranstaltungen"), order=10)
    def registrations(email: str) -> list[PersonalItem]:
        ...

The provider gets the lower-cased e-mail address of the person (a logged-in user's address, or
the address a "send me my links" mail went to) and returns their items, each with the actions the
module allows (cancel, move, download .ics, unsubscribe …), linked to the module's own pages –
usually the personal-token pages the person already got by mail. Core assembles the page and the
mail; it never imports a module.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from core.registry import discover


@dataclass(frozen=True)
class PersonalAction:
    label: str
    url: str  # absolute path or URL
    method: str = "get"  # "post" renders a button in a form (CSRF-protected)
    download: bool = False


@dataclass(frozen=True)
class PersonalItem:
    title: str
    status: str = ""  # e.g. "bestätigt", "Warteliste, Platz 3"
    when: object = None  # a datetime or date shown in German format
    detail: str = ""
    url: str = ""  # the item's own page (a token page), if any
    actions: tuple[PersonalAction, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PersonalSection:
    key: str
    title: str
    provider: Callable[[str], list[PersonalItem]]
    order: int = 100


_SECTIONS: dict[str, PersonalSection] = {}


def register_personal_section(key: str, *, title, order: int = 100):
    def decorator(provider: Callable[[str], list[PersonalItem]]):
        _SECTIONS[key] = PersonalSection(key=key, title=title, provider=provider, order=order)
        return provider

    return decorator


def personal_sections_for(email: str) -> list[tuple[PersonalSection, list[PersonalItem]]]:
    """Every registered section with the person's items (sections without items included)."""
    discover()
    email = (email or "").strip().lower()
    return [
        (section, list(section.provider(email)) if email else [])
        for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
    ]


# --- "send me my links": a signed, expiring link to the overview, mailed to the address ------------

LINKS_SALT = "core.personal.links"
LINKS_MAX_AGE = 7 * 24 * 3600  # the overview link works for seven days
LINKS_MAILS_PER_HOUR = 3  # per address: a form sent again and again fills no mailbox


def personal_links_token(email: str) -> str:
    """The signed token of the overview link for ``email`` (the address and when it was made)."""
    from django.core import signing

    return signing.dumps((email or "").strip().lower(), salt=LINKS_SALT, compress=True)


def personal_links_email(token: str) -> str | None:
    """The address behind a token; None when it was altered or is older than :data:`LINKS_MAX_AGE`."""
    from django.core import signing

    try:
        email = signing.loads(token, salt=LINKS_SALT, max_age=LINKS_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return email if isinstance(email, str) and "@" in email else None


def personal_links_send(*, email: str, language: str = "de") -> str:
    """Mail the overview link to ``email`` if any module holds something of it.

    Returns ``"sent"``, ``"unknown"`` (nothing to show: no mail, so the address learns nothing) or
    ``"throttled"`` (already :data:`LINKS_MAILS_PER_HOUR` such mails this hour). Runs in the worker:
    the web request only queued it, so its answer is the same for known and unknown addresses.
    """
    from datetime import timedelta

    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    from core.mail import mail_queue
    from core.models import OutgoingMail

    email = (email or "").strip().lower()
    sections = [(section, items) for section, items in personal_sections_for(email) if items]
    if not sections:
        return "unknown"
    recent = OutgoingMail.objects.filter(
        template="personal_links", to_email=email, created_at__gte=timezone.now() - timedelta(hours=1)
    )
    if recent.count() >= LINKS_MAILS_PER_HOUR:
        return "throttled"
    link = settings.SITE_URL.rstrip("/") + reverse("core:personal_overview", args=[personal_links_token(email)])
    mail_queue(
        to=email,
        template="personal_links",
        context={"link": link, "sections": sections, "days": LINKS_MAX_AGE // (24 * 3600)},
        language=language if language in ("de", "en") else "de",
        reference="core.personal_links",
        redact=["link"],
    )
    return "sent"
