"""The yearly figures of networks, the initiative and the campaigns, counted from the records (never typed in).

Keys: ``networks.*`` (networks, members, meetings, the initiative, acquisition) and ``campaigns.*`` (posts, reach,
fair-stand leads). Labels are written for print in the annual report.
"""

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.figures import register_figure
from events import selectors as event_selectors
from networks.models import (
    EVENT_HELD,
    Lead,
    Network,
    NetworkMeeting,
    NetworkMembership,
    Post,
    ProspectActivity,
    StateChange,
    Support,
    UniversityPartnership,
)


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def states_at_year_end(year: int) -> dict[str, int]:
    """How many networks were in each state on 31 December: the last change up to that day counts. One query."""
    last: dict[int, str] = {}
    for network_id, state in (
        StateChange.objects.filter(changed_on__lte=_year_end(year))
        .order_by("changed_on", "id")
        .values_list("network_id", "state")
    ):
        last[network_id] = state
    counts = dict.fromkeys(Network.State.values, 0)
    for state in last.values():
        counts[state] += 1
    return counts


def _state_figure(state: str, label):
    register_figure(f"networks.state.{state}", label)(lambda year: states_at_year_end(year)[state])


_state_figure(Network.State.FOUNDING, _("Industrieverbünde in Gründung am Jahresende"))
_state_figure(Network.State.ACTIVE, _("aktive Industrieverbünde am Jahresende"))
_state_figure(Network.State.DORMANT, _("ruhende Industrieverbünde am Jahresende"))
_state_figure(Network.State.CLOSED, _("aufgelöste Industrieverbünde am Jahresende"))


@register_figure("networks.reactivated", _("Reaktivierungen von Industrieverbünden (begonnen)"))
def reactivated(year: int) -> int:
    return StateChange.objects.filter(
        changed_on__year=year,
        previous_state=Network.State.DORMANT,
        state__in=[Network.State.FOUNDING, Network.State.ACTIVE],
    ).count()


@register_figure("networks.founded", _("neu gegründete Industrieverbünde"))
def founded(year: int) -> int:
    return StateChange.objects.filter(changed_on__year=year, previous_state="", state=Network.State.FOUNDING).count()


@register_figure("networks.members", _("Mitgliedsunternehmen in Industrieverbünden am Jahresende"))
def members(year: int) -> int:
    end = _year_end(year)
    return NetworkMembership.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=end), joined_on__lte=end).count()


@register_figure("networks.new_members", _("neue Mitglieder in Industrieverbünden"))
def new_members(year: int) -> int:
    return NetworkMembership.objects.filter(joined_on__year=year).count()


def meetings_by_mode(year: int) -> dict[str, int]:
    """Held network meetings of the year by format (in person, online, hybrid). Two queries."""
    events = event_selectors.events_with_attendance(
        NetworkMeeting.objects.values_list("event_id", flat=True).distinct()
    )
    counts = {"in_person": 0, "online": 0, "hybrid": 0}
    for event in events:
        if event.status == EVENT_HELD and timezone.localtime(event.starts_at).year == year:
            counts[event.mode] = counts.get(event.mode, 0) + 1
    return counts


@register_figure("networks.meetings", _("Treffen der Industrieverbünde"))
def meetings(year: int) -> int:
    return sum(meetings_by_mode(year).values())


@register_figure("networks.meetings_in_person", _("Treffen der Industrieverbünde in Präsenz"))
def meetings_in_person(year: int) -> int:
    return meetings_by_mode(year)["in_person"]


@register_figure("networks.meetings_online", _("Treffen der Industrieverbünde digital"))
def meetings_online(year: int) -> int:
    return meetings_by_mode(year)["online"]


@register_figure("networks.meetings_hybrid", _("Treffen der Industrieverbünde hybrid"))
def meetings_hybrid(year: int) -> int:
    return meetings_by_mode(year)["hybrid"]


@register_figure("networks.initiative_members", _("Mitglieder der Industrie-Initiative"))
def initiative_members(year: int) -> int:
    return Support.objects.filter(year=year, kind=Support.Kind.MEMBER).count()


@register_figure("networks.initiative_sponsors", _("Förderer der Industrie-Initiative"))
def initiative_sponsors(year: int) -> int:
    return Support.objects.filter(year=year, kind=Support.Kind.SPONSOR).count()


@register_figure("networks.partner_universities", _("Partnerhochschulen der Industrie-Initiative"))
def partner_universities(year: int) -> int:
    return UniversityPartnership.objects.filter(
        Q(until__isnull=True) | Q(until__year__gte=year), since__year__lte=year
    ).count()


@register_figure("networks.acquisition_joined", _("durch Akquise gewonnene Unternehmen"))
def acquisition_joined(year: int) -> int:
    return (
        ProspectActivity.objects.filter(kind=ProspectActivity.Kind.MOVED, to_stage="joined", at__year=year)
        .values("prospect_id")
        .distinct()
        .count()
    )


@register_figure("networks.onepagers_sent", _("versandte One-Pager"))
def onepagers_sent(year: int) -> int:
    return ProspectActivity.objects.filter(kind=ProspectActivity.Kind.ONEPAGER, at__year=year).count()


def campaign_totals(year: int) -> dict:
    """Posts published in the year with their reach and interactions, companies and occupations. One query."""
    return Post.objects.filter(published_on__year=year).aggregate(
        posts=Count("id"),
        reach=Sum("reach"),
        interactions=Sum("interactions"),
        companies=Count("organisation", distinct=True),
        occupations=Count("occupation_slug", distinct=True, filter=~Q(occupation_slug="")),
    )


@register_figure("campaigns.posts", _("Beiträge der Ausbildungskampagnen"))
def campaign_posts(year: int) -> int:
    return campaign_totals(year)["posts"]


@register_figure("campaigns.reach", _("Reichweite der Ausbildungskampagnen"))
def campaign_reach(year: int) -> int:
    return campaign_totals(year)["reach"] or 0


@register_figure("campaigns.interactions", _("Interaktionen mit den Beiträgen der Kampagnen"))
def campaign_interactions(year: int) -> int:
    return campaign_totals(year)["interactions"] or 0


@register_figure("campaigns.companies", _("in Kampagnen vorgestellte Unternehmen"))
def campaign_companies(year: int) -> int:
    return campaign_totals(year)["companies"]


@register_figure("campaigns.occupations", _("in Kampagnen vorgestellte Ausbildungsberufe"))
def campaign_occupations(year: int) -> int:
    return campaign_totals(year)["occupations"]


@register_figure("campaigns.fair_leads", _("Kontakte an Messeständen"))
def fair_leads(year: int) -> int:
    return Lead.objects.filter(stand__held_on__year=year).count()
