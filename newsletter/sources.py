"""Items the other modules offer for an issue: upcoming events, new portal entries.

Those apps are optional here: they are read only if installed, through their models'
public fields (events.Event: title, summary, description, starts_at, status, get_absolute_url;
portal.CompanyProfile: name, short_description, is_published, created_at, get_absolute_url;
portal.Offer: title, is_active, profile, created_at, get_absolute_url). Anything missing
simply yields no candidates.
"""

import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Candidate:
    origin: str  # "events.event:12"
    title: str
    teaser: str
    text: str
    link: str
    source: str
    label: str  # shown in the picker


def _absolute(obj) -> str:
    try:
        return settings.SITE_URL + obj.get_absolute_url()
    except Exception:  # no URL for it (yet)
        return ""


def _events(limit: int) -> list[Candidate]:
    if not apps.is_installed("events"):
        return []
    try:
        from events.models import Event
    except ImportError:
        return []
    try:
        hidden = [value for value in ("draft", "cancelled") if value in Event.Status.values]
        rows = Event.objects.filter(starts_at__gte=timezone.now()).exclude(status__in=hidden).order_by("starts_at")
        candidates = []
        for event in rows[:limit]:
            when = date_format(timezone.localtime(event.starts_at), "d.m.Y H:i")
            teaser = getattr(event, "summary", "") or ""
            candidates.append(
                Candidate(
                    origin=f"events.event:{event.pk}", title=event.title, teaser=f"{when} – {teaser}".strip(" –"),
                    text=(getattr(event, "description", "") or "")[:2000], link=_absolute(event),
                    source="Veranstaltungen", label=f"{when}: {event.title}",
                )
            )  # fmt: skip
        return candidates
    except Exception:  # the other app changed shape: offer nothing rather than break the editor
        logger.exception("newsletter: could not read events")
        return []


def _portal(limit: int) -> list[Candidate]:
    if not apps.is_installed("portal"):
        return []
    try:
        from portal.models import CompanyProfile
    except ImportError:
        return []
    candidates = []
    try:
        for profile in CompanyProfile.objects.filter(is_published=True).order_by("-created_at")[:limit]:
            candidates.append(
                Candidate(
                    origin=f"portal.companyprofile:{profile.pk}", title=profile.name,
                    teaser=getattr(profile, "short_description", "") or "", text="", link=_absolute(profile),
                    source="Industrie-Portal", label=f"Portal: {profile.name}",
                )
            )  # fmt: skip
        try:
            from portal.models import Offer

            for offer in Offer.objects.filter(is_active=True).select_related("profile").order_by("-created_at")[:limit]:
                candidates.append(
                    Candidate(
                        origin=f"portal.offer:{offer.pk}", title=f"{offer.title} ({offer.profile.name})",
                        teaser=str(offer.get_kind_display()) if hasattr(offer, "get_kind_display") else "",
                        text="", link=_absolute(offer), source="Industrie-Portal",
                        label=f"Portal-Angebot: {offer.title} ({offer.profile.name})",
                    )
                )  # fmt: skip
        except ImportError:
            pass
    except Exception:
        logger.exception("newsletter: could not read the portal")
    return candidates


def candidates(limit: int = 15) -> list[Candidate]:
    return _events(limit) + _portal(limit)


def candidate_for(origin: str) -> Candidate | None:
    for candidate in candidates(limit=200):
        if candidate.origin == origin:
            return candidate
    return None
