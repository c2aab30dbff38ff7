"""Items the other modules offer for an issue: upcoming events, new portal companies and offers.

Read only through ``events.selectors`` and ``portal.selectors``, which apply each module's own
publication rule (no draft, cancelled or past event; no unpublished company; no inactive, expired
or unpublished offer). An origin names one entry (``events.event:12``) and is looked up again
when staff take it over, so an entry that stopped being public in the meantime is refused.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events import selectors as events_selectors
from portal import selectors as portal_selectors

# Item.source values (stored, shown in the mail)
SOURCE_EVENTS = "Veranstaltungen"
SOURCE_PORTAL = "Industrie-Portal"
PER_KIND = 15


@dataclass(frozen=True)
class Candidate:
    origin: str  # "events.event:12"
    title: str
    teaser: str
    text: str
    link: str
    source: str
    label: str  # shown in the picker


def _url(obj) -> str:
    return settings.SITE_URL + obj.get_absolute_url()


def _event(event) -> Candidate:
    when = date_format(timezone.localtime(event.starts_at), "d.m.Y H:i")
    return Candidate(
        origin=f"events.event:{event.pk}", title=event.title, teaser=f"{when} – {event.summary}".strip(" –"),
        text=event.description[:2000], link=_url(event), source=SOURCE_EVENTS,
        label=_("Veranstaltung %(when)s: %(title)s") % {"when": when, "title": event.title},
    )  # fmt: skip


def _company(profile) -> Candidate:
    return Candidate(
        origin=f"portal.companyprofile:{profile.pk}", title=profile.name, teaser=profile.short_description,
        text="", link=_url(profile), source=SOURCE_PORTAL,
        label=_("Portal-Eintrag: %(name)s") % {"name": profile.name},
    )  # fmt: skip


def _offer(offer) -> Candidate:
    title = f"{offer.display_title} ({offer.profile.name})"
    teaser = _("%(kind)s ab %(start)s") % {
        "kind": offer.get_kind_display(), "start": date_format(offer.start_date, "d.m.Y"),
    }  # fmt: skip
    return Candidate(
        origin=f"portal.offer:{offer.pk}", title=title, teaser=teaser, text="", link=_url(offer),
        source=SOURCE_PORTAL, label=_("Portal-Angebot: %(title)s") % {"title": title},
    )  # fmt: skip


def _offers(offers: list) -> list:
    # An offer without a title of its own is named after its occupation; fetch those in one query
    # (a no-op if the portal's selector already selected them).
    prefetch_related_objects(offers, "occupation")
    return offers


def candidates(limit: int = PER_KIND) -> list[Candidate]:
    """What the issue page offers to take over: up to ``limit`` of each kind, in three queries."""
    return (
        [_event(event) for event in events_selectors.upcoming_public_events(limit=limit)]
        + [_offer(offer) for offer in _offers(portal_selectors.latest_public_offers(limit=limit))]
        + [_company(profile) for profile in portal_selectors.latest_published_companies(limit=limit)]
    )


LOOKUPS: dict[str, tuple[Callable, Callable]] = {
    "events.event": (events_selectors.upcoming_public_event, _event),
    "portal.companyprofile": (portal_selectors.published_company, _company),
    "portal.offer": (portal_selectors.public_offer, _offer),
}


def candidate_for(origin: str) -> Candidate | None:
    """The entry an origin names, if it is (still) public; ``None`` otherwise."""
    kind, _sep, pk = (origin or "").partition(":")
    lookup = LOOKUPS.get(kind)
    if lookup is None or not (pk.isascii() and pk.isdigit()) or len(pk) > 18:
        return None
    find, build = lookup
    found = find(int(pk))
    return build(found) if found is not None else None
