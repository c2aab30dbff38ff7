"""Reads for the networks pages, the one-pager, the start page and the exports; each in a fixed number of queries
(pinned in ``tests/test_selectors.py``). Events are read through ``events.selectors``, the portal's occupations and
company pages through ``portal.selectors``.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import Organisation, Person
from core.charts import bar_chart
from core.prepared import PreparedQuery
from events import selectors as event_selectors
from networks.models import (
    EVENT_CANCELLED,
    EVENT_DRAFT,
    EVENT_HELD,
    EVENT_KIND_FAIR_STAND,
    EVENT_KIND_NETWORK_MEETING,
    MEETING_MODES,
    Campaign,
    FairStand,
    InitiativeEvent,
    Lead,
    Logo,
    Network,
    NetworkMeeting,
    NetworkMembership,
    Post,
    PostImport,
    Prospect,
    ProspectActivity,
    StateChange,
    Support,
    UniversityPartnership,
)
from portal import selectors as portal_selectors

MODE_LABELS = dict(MEETING_MODES)
CHART_MONTHS = 36


def _today() -> datetime.date:
    return timezone.localdate()


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def attendance(event) -> int:
    """People at a meeting: those checked in; a held meeting nobody checked in to (online) counts its registrations."""
    if event.attended:
        return event.attended
    return event.registered if event.status == EVENT_HELD else 0


def _is_past(event, now) -> bool:
    return event.starts_at <= now and event.status not in (EVENT_CANCELLED, EVENT_DRAFT)


def _is_upcoming(event, now) -> bool:
    return event.starts_at > now and event.status not in (EVENT_CANCELLED, EVENT_DRAFT)


def _month_label(day: datetime.date) -> str:
    return f"{day.month:02d}/{day.year % 100:02d}"


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months[-CHART_MONTHS:]


# --- networks: overview and detail --------------------------------------------------------------------------------------


@dataclass
class NetworkRow:
    network: Network
    members: int
    last_meeting: object = None  # an event of the events module
    next_meeting: object = None
    meetings_held: int = 0


@dataclass
class Overview:
    rows: list[NetworkRow]
    chart: str
    chart_rows: list[tuple[str, int, int]]  # (month label, meetings, people)


def network_overview(*, state: str = "", q: str = "") -> Overview:
    """Every network with its state, members, last and next meeting; attendance per month as a chart. Three queries."""
    today = _today()
    networks = Network.objects.select_related("responsible").annotate(
        members=Count(
            "memberships",
            filter=Q(memberships__joined_on__lte=today)
            & (Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today)),
        )
    )
    if state in Network.State.values:
        networks = networks.filter(state=state)
    if q:
        networks = networks.filter(Q(name__icontains=q) | Q(region__icontains=q) | Q(topic__icontains=q))
    networks = list(networks.order_by("name"))
    links = list(NetworkMeeting.objects.filter(network__in=networks).values_list("network_id", "event_id"))
    events = {e.pk: e for e in event_selectors.events_with_attendance({event_id for _n, event_id in links})}
    rows = {network.pk: NetworkRow(network=network, members=network.members) for network in networks}
    now = timezone.now()
    per_month: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for network_id, event_id in links:
        event, row = events.get(event_id), rows[network_id]
        if event is None:
            continue
        if _is_past(event, now):
            if row.last_meeting is None or event.starts_at > row.last_meeting.starts_at:
                row.last_meeting = event
            if event.status == EVENT_HELD:
                row.meetings_held += 1
                month = _day(event.starts_at).replace(day=1)
                per_month[month][0] += 1
                per_month[month][1] += attendance(event)
        elif _is_upcoming(event, now) and (row.next_meeting is None or event.starts_at < row.next_meeting.starts_at):
            row.next_meeting = event
    months = _months_between(min(per_month), max(per_month)) if per_month else []
    chart_rows = [(_month_label(month), *per_month.get(month, (0, 0))) for month in months]
    chart = (
        bar_chart(
            title=_("Teilnehmende an Treffen der Industrieverbünde je Monat"),
            description=_("Summe der Teilnehmenden aller durchgeführten Treffen je Monat, %(first)s bis %(last)s.")
            % {"first": chart_rows[0][0], "last": chart_rows[-1][0]},
            labels=[label for label, _m, _p in chart_rows],
            values=[people for _l, _m, people in chart_rows],
            chart_id="attendance-overview",
        )
        if chart_rows
        else ""
    )
    return Overview(rows=list(rows.values()), chart=chart, chart_rows=chart_rows)


@dataclass
class MeetingRow:
    link: NetworkMeeting
    event: object

    @property
    def mode_label(self) -> str:
        return str(MODE_LABELS.get(self.event.mode, self.event.mode))

    @property
    def people(self) -> int:
        return attendance(self.event)


@dataclass
class NetworkDetail:
    network: Network
    members: list[NetworkMembership]
    former_members: list[NetworkMembership]
    meetings: list[MeetingRow]
    upcoming: list[MeetingRow]
    prospects: list[Prospect]
    chart: str


def network_detail(pk: int) -> NetworkDetail:
    """A network's page: state history, members with contact persons, meetings with attendance, prospects.
    Seven queries."""
    memberships = NetworkMembership.objects.select_related("organisation").prefetch_related(
        Prefetch("contact_persons", queryset=Person.objects.order_by("last_name", "first_name"))
    )
    try:
        network = (
            Network.objects.select_related("responsible")
            .prefetch_related(
                Prefetch("state_changes", queryset=network_state_changes()),
                Prefetch("memberships", queryset=memberships.order_by("organisation__name", "pk")),
            )
            .get(pk=pk)
        )
    except Network.DoesNotExist:
        raise Http404 from None
    today = _today()
    members = [m for m in network.memberships.all() if m.left_on is None or m.left_on > today]
    former = [m for m in network.memberships.all() if m not in members]
    links = list(network.meetings.all())
    events = {e.pk: e for e in event_selectors.events_with_attendance([link.event_id for link in links])}
    now = timezone.now()
    rows = sorted(
        (MeetingRow(link=link, event=events[link.event_id]) for link in links if link.event_id in events),
        key=lambda row: row.event.starts_at,
    )
    past = [row for row in rows if row.event.starts_at <= now]
    upcoming = [row for row in rows if row.event.starts_at > now]
    held = [row for row in past if row.event.status == EVENT_HELD]
    chart = (
        bar_chart(
            title=_("Teilnehmende je Treffen: %(name)s") % {"name": network.name},
            description=_("Teilnehmende der %(count)s durchgeführten Treffen, vom ersten bis zum letzten.")
            % {"count": len(held)},
            labels=[_day(row.event.starts_at).strftime("%d.%m.%y") for row in held],
            values=[row.people for row in held],
            chart_id="attendance-network",
        )
        if held
        else ""
    )
    prospects = list(
        network.prospects.select_related("organisation", "responsible").order_by("stage", "organisation__name")
    )
    return NetworkDetail(
        network=network, members=members, former_members=former, meetings=past, upcoming=upcoming,
        prospects=prospects, chart=chart,
    )  # fmt: skip


def network_state_changes():
    return StateChange.objects.select_related("changed_by").order_by("changed_on", "pk")


def meeting_candidates(network: Network, *, limit: int = 100) -> list:
    """Network meetings of the events module not yet linked to this network, newest first. Two queries."""
    linked = set(network.meetings.values_list("event_id", flat=True))
    return [
        event
        for event in event_selectors.staff_events()
        if event.kind == EVENT_KIND_NETWORK_MEETING and event.pk not in linked
    ][:limit]


def initiative_event_candidates(*, limit: int = 100) -> list:
    """Events of the events module not yet marked as the initiative's, newest first. Two queries."""
    linked = set(InitiativeEvent.objects.values_list("event_id", flat=True))
    return [event for event in event_selectors.staff_events() if event.pk not in linked][:limit]


def people_of(organisation: Organisation) -> list[Person]:
    """The people with a function at the organisation (for picking contact persons). One query."""
    return list(
        Person.objects.filter(roles__organisation=organisation, anonymised_at__isnull=True)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


# --- memberships of an organisation (the CRM's organisation page) ----------------------------------------------------


@dataclass
class OrganisationMemberships:
    organisation: Organisation
    networks: list[NetworkMembership]
    supports: list[Support]
    partnership: UniversityPartnership | None
    logo: Logo | None
    prospects: list[Prospect]

    @property
    def any(self) -> bool:
        return bool(self.networks or self.supports or self.partnership or self.prospects)


def organisation_memberships(organisation: Organisation) -> OrganisationMemberships:
    """Every membership of one organisation: networks, initiative years, partner university, logo, prospects.
    Five queries."""
    networks = list(
        NetworkMembership.objects.filter(organisation=organisation)
        .select_related("network")
        .order_by("left_on", "network__name")
    )
    supports = list(Support.objects.filter(organisation=organisation).order_by("-year"))
    partnership = UniversityPartnership.objects.filter(organisation=organisation).first()
    logo = Logo.objects.filter(organisation=organisation).first()
    prospects = list(
        Prospect.objects.filter(organisation=organisation).select_related("network", "responsible").order_by("-pk")
    )
    return OrganisationMemberships(
        organisation=organisation, networks=networks, supports=supports, partnership=partnership, logo=logo,
        prospects=prospects,
    )  # fmt: skip


_NETWORK_CHOICES = PreparedQuery(lambda: Network.objects.order_by("name").values("slug", "name"))


def network_choices() -> list[tuple[str, str]]:
    """``(slug, name)`` of every network, for filters (the organisation list asks on every page). One
    query, compiled once."""
    return [(row["slug"], row["name"]) for row in _NETWORK_CHOICES.rows()]


# --- acquisition ------------------------------------------------------------------------------------------------------

INITIATIVE_KEY = "initiative"


@dataclass
class BoardColumn:
    stage: str
    label: str
    prospects: list[Prospect]


def prospects_filtered(*, target: str = "", responsible_id: int | None = None):
    """Prospects of one network (slug), of the initiative (``"initiative"``) or of all, optionally one person's."""
    prospects = Prospect.objects.all()
    if target == INITIATIVE_KEY:
        prospects = prospects.filter(network__isnull=True)
    elif target:
        prospects = prospects.filter(network__slug=target)
    if responsible_id:
        prospects = prospects.filter(responsible_id=responsible_id)
    return prospects


def board(*, target: str = "", responsible_id: int | None = None) -> list[BoardColumn]:
    """The acquisition board: one column per stage. One query."""
    prospects = (
        prospects_filtered(target=target, responsible_id=responsible_id)
        .select_related("organisation", "network", "responsible")
        .order_by("next_step_due", "organisation__name", "pk")
    )
    by_stage = defaultdict(list)
    for prospect in prospects:
        by_stage[prospect.stage].append(prospect)
    return [
        BoardColumn(stage=value, label=str(label), prospects=by_stage[value]) for value, label in Prospect.Stage.choices
    ]


def prospect_detail(pk: int) -> Prospect:
    """A prospect with its history (who moved it when and why, one-pagers sent). Two queries."""
    activities = ProspectActivity.objects.select_related("by", "mail").order_by("at", "pk")
    try:
        return (
            Prospect.objects.select_related("organisation", "network", "responsible")
            .prefetch_related(Prefetch("activities", queryset=activities))
            .get(pk=pk)
        )
    except Prospect.DoesNotExist:
        raise Http404 from None


def staff_users() -> list:
    """The people who can be responsible (staff and lead). One query."""
    from accounts.models import User
    from core.roles import Role

    return list(
        User.objects.filter(is_active=True, role_assignments__role__in=[Role.STAFF, Role.LEAD])
        .distinct()
        .order_by("full_name", "email")
    )


def due_for(user, *, today: datetime.date | None = None, within_days: int = 7) -> dict:
    """What the start page shows a responsible person: open prospects due within a week (overdue first) and their
    networks' due next steps or flags. Two queries."""
    today = today or _today()
    horizon = today + datetime.timedelta(days=within_days)
    prospects = list(
        Prospect.objects.filter(responsible=user, next_step_due__lte=horizon)
        .exclude(stage__in=Prospect.CLOSED)
        .select_related("organisation", "network")
        .order_by("next_step_due", "pk")[:20]
    )
    networks = list(
        Network.objects.filter(responsible=user)
        .filter(Q(next_step_due__lte=horizon) | Q(dormant_flagged_on__isnull=False))
        .exclude(state=Network.State.CLOSED)
        .order_by("next_step_due", "name")[:20]
    )
    return {"prospects": prospects, "networks": networks, "today": today}


# --- the initiative -----------------------------------------------------------------------------------------------------


@dataclass
class InitiativeEventRow:
    link: InitiativeEvent
    event: object
    supporters_present: int
    invited: int

    @property
    def mode_label(self) -> str:
        return str(MODE_LABELS.get(self.event.mode, self.event.mode))


@dataclass
class Initiative:
    year: int
    supports: list[Support]
    events: list[InitiativeEventRow]
    universities: list[UniversityPartnership]
    members: int
    sponsors: int


def supports_of(year: int):
    return (
        Support.objects.filter(year=year)
        .select_related("organisation", "organisation__networks_logo")
        .prefetch_related(Prefetch("contact_persons", queryset=Person.objects.order_by("last_name", "first_name")))
        .order_by("kind", "organisation__name")
    )


def initiative_overview(year: int) -> Initiative:
    """The initiative's staff page for a year: members and sponsors, its events with supporters present and
    invitations sent, partner universities. Seven queries."""
    supports = list(supports_of(year))
    links = list(InitiativeEvent.objects.all())
    ids = [link.event_id for link in links]
    events = {e.pk: e for e in event_selectors.events_with_attendance(ids)}
    present = event_selectors.event_organisation_ids(ids)
    invited = event_selectors.invitation_counts(ids)
    supporter_ids = {support.organisation_id for support in supports}
    rows = sorted(
        (
            InitiativeEventRow(
                link=link,
                event=events[link.event_id],
                supporters_present=len(present.get(link.event_id, set()) & supporter_ids),
                invited=invited.get(link.event_id, 0),
            )  # fmt: skip
            for link in links
            if link.event_id in events
        ),
        key=lambda row: row.event.starts_at,
    )
    universities = list(UniversityPartnership.objects.select_related("organisation").order_by("organisation__name"))
    kinds = Counter(support.kind for support in supports)
    return Initiative(
        year=year, supports=supports, events=rows, universities=universities, members=kinds[Support.Kind.MEMBER],
        sponsors=kinds[Support.Kind.SPONSOR],
    )  # fmt: skip


def supporter_emails(year: int) -> list[str]:
    """Who is invited to the initiative's events: the contact persons of the year's members and sponsors, or the
    company's own address where no contact person has one. Two queries."""
    emails: list[str] = []
    for support in supports_of(year).select_related(None).select_related("organisation"):
        found = [person.email for person in support.contact_persons.all() if person.email]
        if not found and support.organisation.email:
            found = [support.organisation.email]
        emails.extend(email.lower() for email in found if email.lower() not in emails)
    return emails


@dataclass
class Supporter:
    name: str
    kind_label: str
    level_label: str
    logo_url: str
    website: str


def supporters_public(*, today: datetime.date | None = None) -> dict[str, list[Supporter]]:
    """The public supporters page: this year's members and sponsors whose logo may be shown, sponsors by level.
    One query."""
    today = today or _today()
    supports = (
        Support.objects.filter(starts_on__lte=today, ends_on__gte=today, organisation__networks_logo__public=True)
        .select_related("organisation", "organisation__networks_logo")
        .order_by("organisation__name")
    )
    order = {value: index for index, value in enumerate(reversed(Support.Level.values))}
    sponsors, members, seen = [], [], set()
    for support in sorted(supports, key=lambda s: (order[s.level], s.organisation.name)):
        if support.organisation_id in seen:
            continue
        seen.add(support.organisation_id)
        entry = Supporter(
            name=support.organisation.name, kind_label=support.get_kind_display(),
            level_label=support.get_level_display(), logo_url=support.organisation.networks_logo.image.url,
            website=support.organisation.website,
        )  # fmt: skip
        (sponsors if support.kind == Support.Kind.SPONSOR else members).append(entry)
    return {"sponsors": sponsors, "members": members}


@dataclass
class Statement:
    year: int
    supports: list[Support]
    total: Decimal
    by_kind: list[tuple[str, int, Decimal]]
    by_level: list[tuple[str, int, Decimal]]


def contribution_statement(year: int) -> Statement:
    """The yearly statement of contributions for the department lead. One query."""
    supports = list(
        Support.objects.filter(year=year).select_related("organisation").order_by("kind", "organisation__name")
    )
    kinds, levels = defaultdict(lambda: [0, Decimal("0")]), defaultdict(lambda: [0, Decimal("0")])
    for support in supports:
        for bucket, key in ((kinds, support.get_kind_display()), (levels, support.get_level_display())):
            bucket[key][0] += 1
            bucket[key][1] += support.contribution
    return Statement(
        year=year, supports=supports, total=sum((s.contribution for s in supports), Decimal("0")),
        by_kind=[(label, n, total) for label, (n, total) in kinds.items()],
        by_level=[(label, n, total) for label, (n, total) in levels.items()],
    )  # fmt: skip


def partnerships() -> list[UniversityPartnership]:
    return list(UniversityPartnership.objects.select_related("organisation").order_by("organisation__name"))


# --- the one-pager ----------------------------------------------------------------------------------------------------


@dataclass
class OnePager:
    title: str
    subtitle: str
    description: str
    members: list[tuple[str, str]]  # (name, role)
    logos: list[tuple[str, str]]  # (name, file path) – only logos that may be shown
    meetings_held: int
    recent_meetings: list[tuple[datetime.date, str, str, int]]  # (day, title, mode, people)
    next_dates: list[tuple[datetime.datetime, str, str]]  # (start, title, mode)
    contact: dict = field(default_factory=dict)
    filename: str = "onepager.pdf"


def _contact(user) -> dict:
    return {
        "name": (user.get_full_name() if user else "") or settings.KAMMERWERK_ORGANISATION_NAME,
        "email": user.email if user else settings.DEFAULT_FROM_EMAIL,
        "organisation": settings.KAMMERWERK_ORGANISATION_NAME,
        "site": settings.SITE_URL,
    }


def _logo_files(organisation_ids) -> dict[int, str]:
    logos = Logo.objects.filter(organisation_id__in=list(organisation_ids), public=True).exclude(image="")
    found = {}
    for logo in logos:
        try:
            found[logo.organisation_id] = logo.image.path
        except (NotImplementedError, ValueError):  # storage without local files
            continue
    return found


def network_onepager_data(network: Network) -> OnePager:
    """What the network's one-pager says, from its records: members, logos, meetings held, next dates, contact.
    Four queries."""
    detail_members = list(
        network.memberships.filter(left_on__isnull=True).select_related("organisation").order_by("organisation__name")
    )
    network = Network.objects.select_related("responsible").get(pk=network.pk)
    logos = _logo_files(m.organisation_id for m in detail_members)
    events = event_selectors.events_with_attendance(network.meetings.values_list("event_id", flat=True))
    now = timezone.now()
    held = [e for e in events if e.status == EVENT_HELD and e.starts_at <= now]
    upcoming = [e for e in events if _is_upcoming(e, now)]
    subtitle = " · ".join(part for part in [network.region, network.topic] if part)
    return OnePager(
        title=_("Industrieverbund %(name)s") % {"name": network.name} if "verbund" not in network.name.lower()
        else network.name,
        subtitle=subtitle, description=network.description,
        members=[(m.organisation.name, m.get_role_display()) for m in detail_members],
        logos=[(m.organisation.name, logos[m.organisation_id]) for m in detail_members if m.organisation_id in logos],
        meetings_held=len(held),
        recent_meetings=[
            (_day(e.starts_at), e.title, str(MODE_LABELS.get(e.mode, e.mode)), attendance(e)) for e in held[-5:]
        ],
        next_dates=[(timezone.localtime(e.starts_at), e.title, str(MODE_LABELS.get(e.mode, e.mode))) for e in upcoming[:5]],
        contact=_contact(network.responsible), filename=f"onepager-{network.slug}.pdf",
    )  # fmt: skip


def initiative_onepager_data(*, today: datetime.date | None = None, contact_user=None) -> OnePager:
    """The initiative's one-pager: this year's members and sponsors, logos, events held, next dates. Four queries."""
    today = today or _today()
    supports = list(
        Support.objects.filter(year=today.year).select_related("organisation").order_by("kind", "organisation__name")
    )
    logos = _logo_files(s.organisation_id for s in supports)
    events = event_selectors.events_with_attendance(InitiativeEvent.objects.values_list("event_id", flat=True))
    now = timezone.now()
    held = [e for e in events if e.status == EVENT_HELD]
    upcoming = [e for e in events if _is_upcoming(e, now)]
    universities = [p.organisation.name for p in partnerships() if p.until is None or p.until >= today]
    description = _(
        "Die Industrie-Initiative verbindet Industrieunternehmen der Region mit Studierenden, Schülerinnen und "
        "Schülern: Meet-the-Boss, das Industrie-Portal, Ausbildungskampagnen und die Industrieverbünde."
    )
    if universities:
        description += " " + _("Partnerhochschulen: %(names)s.") % {"names": ", ".join(universities)}
    return OnePager(
        title=_("Industrie-Initiative"), subtitle=str(today.year), description=description,
        members=[(s.organisation.name, f"{s.get_kind_display()} ({s.get_level_display()})") for s in supports],
        logos=[(s.organisation.name, logos[s.organisation_id]) for s in supports if s.organisation_id in logos],
        meetings_held=len(held),
        recent_meetings=[
            (_day(e.starts_at), e.title, str(MODE_LABELS.get(e.mode, e.mode)), attendance(e)) for e in held[-5:]
        ],
        next_dates=[(timezone.localtime(e.starts_at), e.title, str(MODE_LABELS.get(e.mode, e.mode))) for e in upcoming[:5]],
        contact=_contact(contact_user), filename="onepager-industrie-initiative.pdf",
    )  # fmt: skip


# --- campaigns --------------------------------------------------------------------------------------------------------


def campaigns_overview() -> list[Campaign]:
    """Every campaign with its posts, reach and interactions. One query."""
    return list(
        Campaign.objects.annotate(
            post_count=Count("posts"), reach_total=Sum("posts__reach"), interactions_total=Sum("posts__interactions")
        ).order_by("-starts_on", "name")
    )


@dataclass
class Visible:
    name: str
    posts: int
    url: str  # the portal's page, when there is one


@dataclass
class CampaignDetail:
    campaign: Campaign
    posts: list[Post]
    reach: int
    interactions: int
    posts_without_figures: int
    chart: str
    chart_rows: list[tuple[str, int, int, int]]  # (month, posts, reach, interactions)
    companies: list[Visible]
    occupations: list[Visible]
    imports: list[PostImport]


def campaign_detail(pk: int) -> CampaignDetail:
    """A campaign's page: posts, totals, reach per month as a chart, the companies and occupations it made visible
    with their portal pages. Five queries (the portal's occupation list may be cached)."""
    try:
        campaign = Campaign.objects.get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None
    posts = list(campaign.posts.select_related("organisation").order_by("published_on", "pk"))
    per_month: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for post in posts:
        month = post.published_on.replace(day=1)
        per_month[month][0] += 1
        per_month[month][1] += post.reach or 0
        per_month[month][2] += post.interactions or 0
    months = _months_between(min(per_month), max(per_month)) if per_month else []
    chart_rows = [(_month_label(month), *per_month.get(month, (0, 0, 0))) for month in months]
    chart = (
        bar_chart(
            title=_("Reichweite je Monat: %(name)s") % {"name": campaign.name},
            description=_("Summe der Reichweite aller Beiträge je Monat, %(first)s bis %(last)s.")
            % {"first": chart_rows[0][0], "last": chart_rows[-1][0]},
            labels=[row[0] for row in chart_rows],
            values=[row[2] for row in chart_rows],
            chart_id="campaign-reach",
        )
        if chart_rows
        else ""
    )
    company_posts = Counter(post.organisation_id for post in posts if post.organisation_id)
    names = {post.organisation_id: post.organisation.name for post in posts if post.organisation_id}
    urls = portal_selectors.published_profile_urls(company_posts) if company_posts else {}
    companies = sorted(
        (Visible(name=names[pk], posts=n, url=urls.get(pk, "")) for pk, n in company_posts.items()),
        key=lambda v: v.name.casefold(),
    )
    occupation_posts = Counter(post.occupation_slug for post in posts if post.occupation_slug)
    occupation_names = {post.occupation_slug: post.occupation_name for post in posts if post.occupation_slug}
    occupations = sorted(
        (
            Visible(name=occupation_names[slug], posts=n, url=reverse("portal:occupation_detail", args=[slug]))
            for slug, n in occupation_posts.items()
        ),
        key=lambda v: v.name.casefold(),
    )
    imports = list(campaign.imports.select_related("created_by").defer("rows").order_by("-created_at", "-pk")[:10])
    return CampaignDetail(
        campaign=campaign, posts=posts, reach=sum(p.reach or 0 for p in posts),
        interactions=sum(p.interactions or 0 for p in posts),
        posts_without_figures=sum(1 for p in posts if p.reach is None), chart=chart, chart_rows=chart_rows,
        companies=companies, occupations=occupations, imports=imports,
    )  # fmt: skip


def occupation_options() -> list[tuple[str, str]]:
    """``(slug, name)`` of the portal's occupations, for the post and lead forms."""
    return [(slug, name) for _pk, slug, name in portal_selectors.occupation_choices()]


# --- fair stands ------------------------------------------------------------------------------------------------------


def fair_events() -> list:
    """The events module's fair stands, newest first, to link a stand to. One query."""
    return [event for event in event_selectors.staff_events() if event.kind == EVENT_KIND_FAIR_STAND]


def stands_overview() -> list[FairStand]:
    """Every stand with its leads and consents. One query."""
    return list(
        FairStand.objects.annotate(
            lead_count=Count("leads"),
            contact_count=Count("leads", filter=Q(leads__consent_contact=True)),
            newsletter_count=Count("leads", filter=Q(leads__consent_newsletter=True)),
        ).order_by("-held_on", "name")
    )


def stand_leads(stand: FairStand) -> list[Lead]:
    """The stand's leads, each with the portal page of the occupation they asked about. One query."""
    leads = list(stand.leads.select_related("created_by").order_by("created_at", "pk"))
    for lead in leads:
        lead.occupation_url = (
            reverse("portal:occupation_detail", args=[lead.occupation_slug]) if lead.occupation_slug else ""
        )
    return leads


def newsletter_options() -> list[tuple[str, str]]:
    """The public newsletter lists a lead can be signed up to. One query."""
    from newsletter import selectors as newsletter_selectors

    return [(nl.slug, nl.name) for nl in newsletter_selectors.lists_overview() if nl.is_public]


# --- exports (rows for core.tables.table_response) --------------------------------------------------------------------


def network_export(*, state: str = "", q: str = "") -> tuple[list[str], list[list]]:
    overview = network_overview(state=state, q=q)
    header = [
        _("Name"), _("Region"), _("Thema"), _("Status"), _("Status seit"), _("Mitglieder"), _("Treffen durchgeführt"),
        _("letztes Treffen"), _("nächstes Treffen"), _("seit 12 Monaten ohne Treffen"), _("zuständig"),
        _("Nächster Schritt"), _("fällig am"),
    ]  # fmt: skip
    rows = [
        [
            row.network.name,
            row.network.region,
            row.network.topic,
            row.network.get_state_display(),
            row.network.state_since.strftime("%d.%m.%Y"),
            row.members,
            row.meetings_held,
            _day(row.last_meeting.starts_at).strftime("%d.%m.%Y") if row.last_meeting else "",
            _day(row.next_meeting.starts_at).strftime("%d.%m.%Y") if row.next_meeting else "",
            _("ja") if row.network.dormant_flagged_on else _("nein"),
            row.network.responsible.get_full_name() if row.network.responsible else "",
            row.network.next_step,
            row.network.next_step_due.strftime("%d.%m.%Y") if row.network.next_step_due else "",
        ]  # fmt: skip
        for row in overview.rows
    ]
    return header, rows


def member_export(network: Network) -> tuple[list[str], list[list]]:
    detail = network_detail(network.pk)
    header = [_("Unternehmen"), _("Mitgliedsnummer"), _("Rolle"), _("Mitglied seit"), _("ausgetreten am"),
              _("Ansprechpersonen"), _("E-Mail")]  # fmt: skip
    rows = [
        [
            m.organisation.name,
            m.organisation.member_number,
            m.get_role_display(),
            m.joined_on.strftime("%d.%m.%Y"),
            m.left_on.strftime("%d.%m.%Y") if m.left_on else "",
            ", ".join(p.full_name for p in m.contact_persons.all()),
            ", ".join(p.email for p in m.contact_persons.all() if p.email),
        ]  # fmt: skip
        for m in detail.members + detail.former_members
    ]
    return header, rows


def prospect_export(*, target: str = "", responsible_id: int | None = None):
    header = [_("Unternehmen"), _("für"), _("Phase"), _("Ansprechperson"), _("E-Mail"), _("zuständig"),
              _("Nächster Schritt"), _("fällig am"), _("aufgenommen")]  # fmt: skip
    prospects = (
        prospects_filtered(target=target, responsible_id=responsible_id)
        .select_related("organisation", "network", "responsible")
        .order_by("stage", "organisation__name", "pk")
    )

    def rows():
        for p in prospects.iterator(chunk_size=500):
            yield [
                p.organisation.name, p.target_name, p.get_stage_display(), p.contact_name, p.contact_email,
                p.responsible.get_full_name() if p.responsible else "", p.next_step,
                p.next_step_due.strftime("%d.%m.%Y") if p.next_step_due else "",
                _day(p.created_at).strftime("%d.%m.%Y"),
            ]  # fmt: skip

    return header, rows()


def statement_export(year: int, *, as_text: bool = True) -> tuple[list[str], list[list]]:
    """The statement's rows; money as German text for CSV (``as_text``), as numbers for XLSX."""
    from django.utils.formats import number_format

    def money(value):
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True) if as_text else value

    statement = contribution_statement(year)
    header = [_("Unternehmen"), _("Mitgliedsnummer"), _("Art"), _("Stufe"), _("Beitrag (€)"), _("Beginn"), _("Ende")]
    rows = [
        [
            s.organisation.name,
            s.organisation.member_number,
            s.get_kind_display(),
            s.get_level_display(),
            money(s.contribution),
            s.starts_on.strftime("%d.%m.%Y"),
            s.ends_on.strftime("%d.%m.%Y"),
        ]  # fmt: skip
        for s in statement.supports
    ]
    rows.append([_("Summe"), "", "", "", money(statement.total), "", ""])
    return header, rows


def post_export(campaign: Campaign) -> tuple[list[str], list[list]]:
    header = [_("Datum"), _("Kanal"), _("Autor/-in"), _("Funktion"), _("Unternehmen"), _("Beruf"), _("Link"),
              _("Titel"), _("Reichweite"), _("Interaktionen")]  # fmt: skip
    rows = [
        [
            p.published_on.strftime("%d.%m.%Y"),
            p.get_channel_display(),
            p.author_name,
            p.author_role,
            p.organisation.name if p.organisation else "",
            p.occupation_name,
            p.link,
            p.caption,
            p.reach if p.reach is not None else "",
            p.interactions if p.interactions is not None else "",
        ]  # fmt: skip
        for p in campaign.posts.select_related("organisation").order_by("published_on", "pk")
    ]
    return header, rows


def lead_export(stand: FairStand) -> tuple[list[str], list[list]]:
    header = [_("erfasst"), _("Name"), _("E-Mail"), _("Interesse"), _("Beruf"), _("Einwilligung Kontakt"),
              _("Einwilligung Newsletter")]  # fmt: skip
    rows = [
        [
            timezone.localtime(lead.created_at).strftime("%d.%m.%Y %H:%M"),
            lead.name,
            lead.email,
            lead.interest,
            lead.occupation_name,
            _("ja") if lead.consent_contact else _("nein"),
            _("ja") if lead.consent_newsletter else _("nein"),
        ]  # fmt: skip
        for lead in stand.leads.order_by("created_at", "pk")
    ]
    return header, rows


def post_imports_waiting(limit: int = 5) -> list[PostImport]:
    """Channel exports shown as a preview but neither applied nor discarded, oldest first (start page)."""
    return list(
        PostImport.objects.filter(status=PostImport.Status.PREVIEW)
        .select_related("campaign", "created_by")
        .defer("rows")
        .order_by("created_at", "pk")[:limit]
    )


# --- the JSON API (api module) ----------------------------------------------------------


def api_networks(*, state: str = ""):
    """Every network, ordered by id for keyset pagination."""
    queryset = Network.objects.order_by("id")
    if state:
        queryset = queryset.filter(state=state)
    return queryset
