"""Writes for networks, the initiative, acquisition, campaigns and fair stands; they hold the rules.

Every function is keyword-only, runs in a transaction and locks what two staff members could change
at once (a network's row for its state and members, a prospect's row for its stage). Refusals are
:class:`NetworksRefused` (a :class:`core.errors.ServiceError`) with the form field they concern.
Meetings and initiative events are events of the events module, created and read only through
``events.services`` / ``events.selectors``.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contacts.models import Organisation, Person
from contacts.selectors import person_for_email
from contacts.services import consent_record
from core.errors import ServiceError
from core.mail import Attachment, mail_queue
from events import selectors as event_selectors
from events import services as event_services
from networks.images import logo_clean
from networks.models import (
    EVENT_CANCELLED,
    EVENT_DRAFT,
    EVENT_KIND_NETWORK_MEETING,
    Campaign,
    FairStand,
    InitiativeEvent,
    Lead,
    Logo,
    Network,
    NetworkMeeting,
    NetworkMembership,
    Post,
    Prospect,
    ProspectActivity,
    StateChange,
    Support,
    UniversityPartnership,
)
from newsletter import selectors as newsletter_selectors
from newsletter import services as newsletter_services
from portal import selectors as portal_selectors

DORMANT_AFTER = datetime.timedelta(days=365)
LEAD_CONTACT_PURPOSE = "networks.fair_lead"
LEAD_CONTACT_VERSION = "2020-11"
LOGO_CONSENT_VERSION = "1"


class NetworksRefused(ServiceError):
    default_code = "networks_refused"


def lead_contact_wording() -> str:
    return _(
        "Ich bin damit einverstanden, dass die IHK mich zu Ausbildung und Berufen in der Industrie per E-Mail "
        "kontaktiert. Ich kann die Einwilligung jederzeit widerrufen."
    )


def logo_consent_wording() -> str:
    return _(
        "Das Unternehmen ist damit einverstanden, dass die IHK sein Logo und seinen Namen als Mitglied oder Förderer "
        "der Industrie-Initiative öffentlich zeigt (Website, One-Pager)."
    )


def _today() -> datetime.date:
    return timezone.localdate()


def _check_period(start, end, *, field: str, what: str) -> None:
    """A period that ends before it starts is refused, with the field to correct."""
    if start and end and end < start:
        raise NetworksRefused(
            _("%(what)s endet am %(end)s und damit vor ihrem Beginn am %(start)s. Bitte prüfen Sie die Daten.")
            % {"what": what, "end": end.strftime("%d.%m.%Y"), "start": start.strftime("%d.%m.%Y")},
            field=field,
            code="period",
        )


def _unique_slug(model, name: str, exclude_pk=None) -> str:
    base = slugify(name)[:150] or "eintrag"
    slug, number = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_contact_persons(organisation: Organisation, persons) -> list[Person]:
    persons = list(persons or [])
    if not persons:
        return []
    allowed = set(
        Person.objects.filter(pk__in=[p.pk for p in persons], roles__organisation=organisation).values_list(
            "pk", flat=True
        )
    )
    if any(person.pk not in allowed for person in persons):
        raise NetworksRefused(
            _("Ansprechpersonen müssen bei %(name)s eingetragen sein.") % {"name": organisation.name},
            field="contact_persons",
            code="contact_person",
        )
    return persons


# --- networks ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def network_create(
    *, name: str, region: str = "", topic: str = "", description: str = "", state: str = Network.State.FOUNDING,
    since: datetime.date | None = None, responsible=None, reason: str = "", by=None,
) -> Network:  # fmt: skip
    """A new network with the first entry of its state history."""
    name = " ".join((name or "").split())
    if not name:
        raise NetworksRefused(_("Bitte geben Sie einen Namen an."), field="name", code="name")
    if Network.objects.filter(name__iexact=name).exists():
        raise NetworksRefused(
            _("Einen Industrieverbund mit diesem Namen gibt es schon."), field="name", code="duplicate"
        )
    if state not in Network.State.values:
        raise NetworksRefused(_("Unbekannter Status."), field="state", code="state")
    since = since or _today()
    network = Network.objects.create(
        name=name, slug=_unique_slug(Network, name), region=region, topic=topic, description=description,
        state=state, state_since=since, responsible=responsible,
    )  # fmt: skip
    StateChange.objects.create(
        network=network, previous_state="", state=state, changed_on=since, reason=reason.strip() or _("angelegt"),
        changed_by=by if by and by.is_authenticated else None,
    )  # fmt: skip
    return network


@transaction.atomic
def network_update(
    *, network: Network, name: str, region: str, topic: str, description: str, responsible, next_step: str,
    next_step_due: datetime.date | None,
) -> Network:  # fmt: skip
    network = Network.objects.select_for_update().get(pk=network.pk)
    name = " ".join((name or "").split())
    if not name:
        raise NetworksRefused(_("Bitte geben Sie einen Namen an."), field="name", code="name")
    if Network.objects.filter(name__iexact=name).exclude(pk=network.pk).exists():
        raise NetworksRefused(
            _("Einen Industrieverbund mit diesem Namen gibt es schon."), field="name", code="duplicate"
        )
    network.name, network.region, network.topic, network.description = name, region, topic, description
    network.responsible, network.next_step, network.next_step_due = responsible, next_step, next_step_due
    network.save()
    return network


@transaction.atomic
def network_change_state(
    *, network: Network, state: str, changed_on: datetime.date, reason: str, by=None
) -> StateChange:
    """Founding → active → dormant → active (a reactivation) … closed: each change with its date and reason."""
    network = Network.objects.select_for_update().get(pk=network.pk)
    reason = (reason or "").strip()
    if state not in Network.State.values:
        raise NetworksRefused(_("Unbekannter Status."), field="state", code="state")
    if state == network.state:
        raise NetworksRefused(
            _("Der Verbund ist bereits „%(state)s“.") % {"state": network.get_state_display()},
            field="state",
            code="same",
        )
    if not reason:
        raise NetworksRefused(_("Bitte geben Sie den Grund des Statuswechsels an."), field="reason", code="reason")
    if changed_on > _today():
        raise NetworksRefused(_("Das Datum darf nicht in der Zukunft liegen."), field="changed_on", code="future")
    if changed_on < network.state_since:
        raise NetworksRefused(
            _("Das Datum liegt vor dem letzten Statuswechsel am %(date)s.")
            % {"date": network.state_since.strftime("%d.%m.%Y")},
            field="changed_on",
            code="order",
        )
    change = StateChange.objects.create(
        network=network, previous_state=network.state, state=state, changed_on=changed_on, reason=reason,
        changed_by=by if by and by.is_authenticated else None,
    )  # fmt: skip
    network.state, network.state_since = state, changed_on
    if state not in (Network.State.ACTIVE, Network.State.FOUNDING):
        network.dormant_flagged_on = None
    network.save(update_fields=["state", "state_since", "dormant_flagged_on"])
    return change


# --- members ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *, network: Network, organisation: Organisation, role: str = NetworkMembership.Role.MEMBER,
    joined_on: datetime.date | None = None, contact_persons=(),
) -> NetworkMembership:  # fmt: skip
    network = Network.objects.select_for_update().get(pk=network.pk)
    if role not in NetworkMembership.Role.values:
        raise NetworksRefused(_("Unbekannte Rolle."), field="role", code="role")
    if network.memberships.filter(organisation=organisation, left_on__isnull=True).exists():
        raise NetworksRefused(
            _("%(name)s ist bereits Mitglied im %(network)s.") % {"name": organisation.name, "network": network.name},
            field="organisation",
            code="duplicate",
        )
    persons = _check_contact_persons(organisation, contact_persons)
    membership = NetworkMembership.objects.create(
        network=network, organisation=organisation, role=role, joined_on=joined_on or _today()
    )
    membership.contact_persons.set(persons)
    return membership


@transaction.atomic
def membership_update(
    *, membership: NetworkMembership, role: str, joined_on: datetime.date, left_on: datetime.date | None,
    contact_persons=(),
) -> NetworkMembership:  # fmt: skip
    Network.objects.select_for_update().get(pk=membership.network_id)
    membership = NetworkMembership.objects.select_related("organisation").get(pk=membership.pk)
    if role not in NetworkMembership.Role.values:
        raise NetworksRefused(_("Unbekannte Rolle."), field="role", code="role")
    _check_period(joined_on, left_on, field="left_on", what=_("Die Mitgliedschaft"))
    persons = _check_contact_persons(membership.organisation, contact_persons)
    if (
        left_on is None
        and membership.left_on is not None
        and NetworkMembership.objects.filter(
            network_id=membership.network_id, organisation_id=membership.organisation_id, left_on__isnull=True
        ).exists()
    ):
        raise NetworksRefused(_("Das Unternehmen ist bereits wieder Mitglied."), field="left_on", code="duplicate")
    membership.role, membership.joined_on, membership.left_on = role, joined_on, left_on
    membership.save(update_fields=["role", "joined_on", "left_on"])
    membership.contact_persons.set(persons)
    return membership


# --- meetings ---------------------------------------------------------------------------------------------------------


def _refresh_dormant_flags(networks: list[Network], today: datetime.date) -> tuple[int, int]:
    """Flag every active or founding network whose last meeting (or, without one, its state's start) lies twelve
    months back; clear the flag of the others. Three queries whatever the number of networks."""
    candidates = [n for n in networks if n.state in (Network.State.ACTIVE, Network.State.FOUNDING)]
    links = list(NetworkMeeting.objects.filter(network__in=candidates).values_list("network_id", "event_id"))
    events = {e.pk: e for e in event_selectors.events_with_attendance({event_id for _n, event_id in links})}
    now = timezone.now()
    last: dict[int, datetime.date] = {}
    for network_id, event_id in links:
        event = events.get(event_id)
        if event is None or event.status in (EVENT_CANCELLED, EVENT_DRAFT) or event.starts_at > now:
            continue
        day = timezone.localtime(event.starts_at).date()
        last[network_id] = max(day, last.get(network_id, day))
    to_flag, to_clear = [], []
    for network in networks:
        reference = last.get(network.pk, network.state_since)
        stale = network in candidates and reference <= today - DORMANT_AFTER
        if stale and network.dormant_flagged_on is None:
            to_flag.append(network.pk)
        elif not stale and network.dormant_flagged_on is not None:
            to_clear.append(network.pk)
    if to_flag:
        Network.objects.filter(pk__in=to_flag).update(dormant_flagged_on=today)
    if to_clear:
        Network.objects.filter(pk__in=to_clear).update(dormant_flagged_on=None)
    return len(to_flag), len(to_clear)


def networks_flag_dormant(*, today: datetime.date | None = None) -> tuple[int, int]:
    """The daily job: "dormant for 12 months" is flagged by itself. Returns (flagged, cleared)."""
    with transaction.atomic():
        return _refresh_dormant_flags(list(Network.objects.all()), today or _today())


@transaction.atomic
def meeting_link(*, network: Network, event_id: int) -> NetworkMeeting:
    """Record an event of the events module as a meeting of the network."""
    network = Network.objects.select_for_update().get(pk=network.pk)
    if not event_selectors.events_with_attendance([event_id]):
        raise NetworksRefused(_("Diese Veranstaltung gibt es nicht."), field="event", code="event")
    if network.meetings.filter(event_id=event_id).exists():
        raise NetworksRefused(_("Die Veranstaltung ist bereits als Treffen eingetragen."), field="event", code="dup")
    meeting = NetworkMeeting.objects.create(network=network, event_id=event_id)
    _refresh_dormant_flags([network], _today())
    return meeting


@transaction.atomic
def meeting_plan(
    *, network: Network, title: str, starts_at: datetime.datetime, ends_at: datetime.datetime, mode: str,
    venue_name: str = "", venue_street: str = "", venue_postcode: str = "", venue_city: str = "", online_url: str = "",
    by=None,
) -> NetworkMeeting:  # fmt: skip
    """Plan a meeting: a draft network meeting in the events module, linked to the network."""
    if ends_at <= starts_at:
        raise NetworksRefused(_("Das Ende muss nach dem Beginn liegen."), field="ends_at", code="period")
    if mode in ("online", "hybrid") and not online_url:
        raise NetworksRefused(
            _("Für ein Online-Treffen brauchen wir den Zugangslink."), field="online_url", code="online_url"
        )
    event = event_services.event_create_draft(
        kind=EVENT_KIND_NETWORK_MEETING, title=title.strip() or _("Treffen %(name)s") % {"name": network.name},
        starts_at=starts_at, ends_at=ends_at, mode=mode, venue_name=venue_name, venue_street=venue_street,
        venue_postcode=venue_postcode, venue_city=venue_city, online_url=online_url, user=by,
    )  # fmt: skip
    return NetworkMeeting.objects.create(network=network, event_id=event.pk)


def meeting_unlink(*, meeting: NetworkMeeting) -> None:
    """The event is no longer counted as the network's meeting (the event itself stays)."""
    meeting.delete()


# --- the initiative ---------------------------------------------------------------------------------------------------


@transaction.atomic
def support_save(
    *, organisation: Organisation, year: int, kind: str, level: str, contribution: Decimal,
    starts_on: datetime.date, ends_on: datetime.date, contact_persons=(), support: Support | None = None,
) -> Support:  # fmt: skip
    """An organisation's membership or sponsorship of the initiative in one year."""
    if kind not in Support.Kind.values:
        raise NetworksRefused(_("Unbekannte Art."), field="kind", code="kind")
    if level not in Support.Level.values:
        raise NetworksRefused(_("Unbekannte Stufe."), field="level", code="level")
    if contribution is None or contribution < 0:
        raise NetworksRefused(_("Der Beitrag darf nicht negativ sein."), field="contribution", code="contribution")
    _check_period(starts_on, ends_on, field="ends_on", what=_("Die Mitgliedschaft"))
    if not (starts_on.year <= year <= ends_on.year):
        raise NetworksRefused(
            _("Der Zeitraum muss das Jahr %(year)s betreffen.") % {"year": year}, field="starts_on", code="year"
        )
    persons = _check_contact_persons(organisation, contact_persons)
    others = Support.objects.select_for_update().filter(organisation=organisation, year=year)
    if support is not None:
        others = others.exclude(pk=support.pk)
    if others.exists():
        raise NetworksRefused(
            _("Für %(year)s ist %(name)s schon eingetragen.") % {"year": year, "name": organisation.name},
            field="year",
            code="duplicate",
        )
    support = support or Support(organisation=organisation)
    support.year, support.kind, support.level, support.contribution = year, kind, level, contribution
    support.starts_on, support.ends_on = starts_on, ends_on
    support.save()
    support.contact_persons.set(persons)
    return support


def support_delete(*, support: Support) -> None:
    support.delete()


@transaction.atomic
def logo_save(*, organisation: Organisation, image=None, public: bool, consent_source: str = "", by=None) -> Logo:
    """Upload (or replace) an organisation's logo and record whether it may be shown in public.

    The file is read by its content (:func:`networks.images.logo_clean`); the consent keeps its wording,
    source and time. Nothing is stored when anything is refused.
    """
    logo = Logo.objects.select_for_update().filter(organisation=organisation).first()
    content = logo_clean(image) if image is not None else None
    if content is None and logo is None:
        raise NetworksRefused(_("Bitte wählen Sie eine Bilddatei aus."), field="image", code="image")
    consent_source = (consent_source or "").strip()
    if public and not consent_source and not (logo and logo.public):
        raise NetworksRefused(
            _("Bitte geben Sie an, wie die Zustimmung vorliegt (z. B. „E-Mail von Frau Muster vom 03.02.2020“)."),
            field="consent_source",
            code="consent",
        )
    logo = logo or Logo(organisation=organisation)
    old_name = logo.image.name if logo.pk and content is not None else ""
    if content is not None:
        logo.image.save(f"{organisation.pk}-{content.name}", content, save=False)
    if public and consent_source:
        who = getattr(by, "email", "") or _("System")
        logo.consent_wording = logo_consent_wording()
        recorded_by = _("erfasst von %(who)s") % {"who": who}
        logo.consent_source = f"{consent_source} ({recorded_by})"
        logo.consent_at = timezone.now()
    logo.public = public
    logo.save()
    if old_name and old_name != logo.image.name:
        transaction.on_commit(lambda: logo.image.storage.delete(old_name))
    return logo


@transaction.atomic
def partnership_save(
    *, organisation: Organisation, since: datetime.date, until: datetime.date | None, notes: str = ""
) -> UniversityPartnership:
    _check_period(since, until, field="until", what=_("Die Partnerschaft"))
    partnership, _created = UniversityPartnership.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"since": since, "until": until, "notes": notes}
    )
    partnership.since, partnership.until, partnership.notes = since, until, notes
    partnership.save()
    return partnership


def initiative_event_link(*, event_id: int) -> InitiativeEvent:
    if not event_selectors.events_with_attendance([event_id]):
        raise NetworksRefused(_("Diese Veranstaltung gibt es nicht."), field="event", code="event")
    try:
        with transaction.atomic():
            return InitiativeEvent.objects.create(event_id=event_id)
    except IntegrityError:
        raise NetworksRefused(
            _("Die Veranstaltung gehört bereits zur Initiative."), field="event", code="duplicate"
        ) from None


def initiative_event_unlink(*, initiative_event: InitiativeEvent) -> None:
    initiative_event.delete()


def initiative_invite(*, event_id: int, year: int, by=None, message: str = "") -> int:
    """Invite the contact persons of the year's members and sponsors to an initiative event (Meet-the-Boss).

    The events module sends the invitations (and skips people already invited or registered).
    """
    from networks.selectors import supporter_emails

    if not InitiativeEvent.objects.filter(event_id=event_id).exists():
        raise NetworksRefused(_("Die Veranstaltung gehört nicht zur Initiative."), field="event", code="event")
    event = event_selectors.upcoming_public_event(event_id)
    if event is None:
        raise NetworksRefused(
            _("Zu dieser Veranstaltung kann nicht (mehr) eingeladen werden: Sie ist nicht veröffentlicht, abgesagt "
              "oder vorbei."),
            field="event", code="event_gone",
        )  # fmt: skip
    emails = supporter_emails(year)
    if not emails:
        raise NetworksRefused(
            _("Für %(year)s sind keine Mitglieder oder Förderer mit E-Mail-Adresse eingetragen.") % {"year": year},
            code="no_recipients",
        )
    return event_services.event_invite_people(event=event, emails=emails, invited_by=by, message=message)


# --- acquisition ------------------------------------------------------------------------------------------------------


def _activity(prospect: Prospect, kind: str, *, by=None, **fields) -> ProspectActivity:
    return ProspectActivity.objects.create(
        prospect=prospect, kind=kind, by=by if by and by.is_authenticated else None, **fields
    )


@transaction.atomic
def prospect_create(
    *, organisation: Organisation, network: Network | None = None, contact_name: str = "", contact_email: str = "",
    responsible=None, next_step: str = "", next_step_due: datetime.date | None = None, notes: str = "", by=None,
) -> Prospect:  # fmt: skip
    """Take up a company for a network (or the initiative) at the first stage, "identified"."""
    if network is not None:
        network = Network.objects.select_for_update().get(pk=network.pk)
        if network.memberships.filter(organisation=organisation, left_on__isnull=True).exists():
            raise NetworksRefused(
                _("%(name)s ist bereits Mitglied im %(network)s.")
                % {"name": organisation.name, "network": network.name},
                field="organisation",
                code="member",
            )
    running = Prospect.objects.filter(organisation=organisation, network=network).exclude(stage__in=Prospect.CLOSED)
    if running.exists():
        raise NetworksRefused(
            _("Für %(name)s läuft bereits eine Akquise (%(target)s).")
            % {"name": organisation.name, "target": network.name if network else _("Industrie-Initiative")},
            field="organisation",
            code="duplicate",
        )
    prospect = Prospect.objects.create(
        organisation=organisation, network=network, contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(), responsible=responsible, next_step=next_step,
        next_step_due=next_step_due, notes=notes,
    )  # fmt: skip
    _activity(prospect, ProspectActivity.Kind.CREATED, to_stage=prospect.stage, by=by)
    return prospect


@transaction.atomic
def prospect_update(
    *, prospect: Prospect, contact_name: str, contact_email: str, responsible, next_step: str,
    next_step_due: datetime.date | None, notes: str,
) -> Prospect:  # fmt: skip
    prospect = Prospect.objects.select_for_update().get(pk=prospect.pk)
    if next_step_due != prospect.next_step_due:
        prospect.reminded_on = None  # a new date gets its own reminder
    prospect.contact_name, prospect.contact_email = contact_name.strip(), contact_email.strip().lower()
    prospect.responsible, prospect.next_step, prospect.next_step_due = responsible, next_step, next_step_due
    prospect.notes = notes
    prospect.save()
    return prospect


def _is_backwards(old: str, new: str) -> bool:
    """Back to an earlier stage, or out of an outcome (joined, declined): needs a reason."""
    return Prospect.ORDER[new] < Prospect.ORDER[old] or old in Prospect.CLOSED


def _join(prospect: Prospect, today: datetime.date) -> None:
    """Joining makes the company a member: of the network, or of the initiative for this year."""
    if prospect.network_id:
        membership = NetworkMembership.objects.filter(
            network_id=prospect.network_id, organisation_id=prospect.organisation_id, left_on__isnull=True
        ).first()
        if membership is None:
            membership = NetworkMembership.objects.create(
                network_id=prospect.network_id, organisation_id=prospect.organisation_id, joined_on=today
            )
            person = person_for_email(prospect.contact_email) if prospect.contact_email else None
            if person is not None and person.roles.filter(organisation_id=prospect.organisation_id).exists():
                membership.contact_persons.add(person)
            prospect.membership = membership
    elif not Support.objects.filter(organisation_id=prospect.organisation_id, year=today.year).exists():
        prospect.support = Support.objects.create(
            organisation_id=prospect.organisation_id, year=today.year, kind=Support.Kind.MEMBER,
            starts_on=today, ends_on=datetime.date(today.year, 12, 31),
        )  # fmt: skip


def _unjoin(prospect: Prospect, today: datetime.date) -> None:
    """Leaving "joined" again ends what joining created (a correction on the same day removes it)."""
    if prospect.membership_id:
        membership = NetworkMembership.objects.filter(pk=prospect.membership_id, left_on__isnull=True).first()
        if membership is not None and membership.joined_on >= today:
            membership.delete()
        elif membership is not None:
            membership.left_on = today
            membership.save(update_fields=["left_on"])
        prospect.membership = None
    if prospect.support_id:
        Support.objects.filter(pk=prospect.support_id, starts_on__gte=today).delete()
        prospect.support = None


@transaction.atomic
def prospect_move(*, prospect: Prospect, stage: str, reason: str = "", by=None, today=None) -> Prospect:
    """identified → contacted → interested → joined / declined. A step back needs a reason."""
    today = today or _today()
    prospect = (
        Prospect.objects.select_for_update(of=("self",)).select_related("organisation", "network").get(pk=prospect.pk)
    )
    reason = (reason or "").strip()
    if stage not in Prospect.Stage.values:
        raise NetworksRefused(_("Unbekannte Phase."), field="stage", code="stage")
    old = prospect.stage
    if stage == old:
        raise NetworksRefused(
            _("%(name)s ist bereits in der Phase „%(stage)s“.")
            % {"name": prospect.organisation.name, "stage": prospect.get_stage_display()},
            field="stage",
            code="same",
        )
    if _is_backwards(old, stage) and not reason:
        raise NetworksRefused(
            _("Ein Schritt zurück von „%(old)s“ nach „%(new)s“ braucht eine Begründung.")
            % {"old": Prospect.Stage(old).label, "new": Prospect.Stage(stage).label},
            field="reason",
            code="reason_required",
        )
    if old == Prospect.Stage.JOINED:
        _unjoin(prospect, today)
    if stage == Prospect.Stage.JOINED:
        _join(prospect, today)
    prospect.stage = stage
    prospect.save(update_fields=["stage", "membership", "support", "updated_at"])
    _activity(prospect, ProspectActivity.Kind.MOVED, from_stage=old, to_stage=stage, reason=reason, by=by)
    return prospect


def prospect_send_onepager(*, prospect: Prospect, to: str, message: str = "", by=None) -> ProspectActivity:
    """Mail the one-pager (a PDF made from the network's or the initiative's data) to the prospect.

    Recorded on the prospect (and so on the company's timeline); a prospect still at "identified" is
    "contacted" from now on.
    """
    from networks.onepager import onepager_pdf
    from networks.selectors import initiative_onepager_data, network_onepager_data

    to = (to or "").strip().lower()
    try:
        validate_email(to)
    except ValidationError:
        raise NetworksRefused(_("Bitte geben Sie eine gültige E-Mail-Adresse an."), field="to", code="email") from None
    data = network_onepager_data(prospect.network) if prospect.network_id else initiative_onepager_data()
    pdf = onepager_pdf(data)
    with transaction.atomic():
        prospect = (
            Prospect.objects.select_for_update(of=("self",))
            .select_related("organisation", "network")
            .get(pk=prospect.pk)
        )
        mail = mail_queue(
            to=to,
            template="networks_onepager",
            context={
                "title": data.title,
                "organisation_name_of_prospect": prospect.organisation.name,
                "contact_name": prospect.contact_name,
                "message": message,
                "sender": by,
                "contact": data.contact,
            },  # fmt: skip
            attachments=[Attachment(data.filename, pdf, "application/pdf")],
            reference=f"networks.prospect:{prospect.pk}",
        )
        activity = _activity(prospect, ProspectActivity.Kind.ONEPAGER, recipient=to, mail=mail, by=by)
        if prospect.stage == Prospect.Stage.IDENTIFIED:
            prospect.stage = Prospect.Stage.CONTACTED
            prospect.save(update_fields=["stage", "updated_at"])
            _activity(
                prospect, ProspectActivity.Kind.MOVED, from_stage=Prospect.Stage.IDENTIFIED,
                to_stage=Prospect.Stage.CONTACTED, reason=_("One-Pager gesendet"), by=by,
            )  # fmt: skip
    return activity


def prospects_remind_due(*, today: datetime.date | None = None) -> int:
    """The daily job: mail each responsible person the acquisition steps due today or overdue, once per due date."""
    today = today or _today()
    due = (
        Prospect.objects.filter(next_step_due__lte=today, reminded_on__isnull=True, responsible__is_active=True)
        .exclude(stage__in=Prospect.CLOSED)
        .select_related("organisation", "network", "responsible")
        .order_by("responsible_id", "next_step_due", "pk")
    )
    by_user: dict = {}
    for prospect in due:
        by_user.setdefault(prospect.responsible, []).append(prospect)
    sent = 0
    for user, prospects in by_user.items():
        with transaction.atomic():
            claimed = Prospect.objects.filter(pk__in=[p.pk for p in prospects], reminded_on__isnull=True).update(
                reminded_on=today
            )
            if not claimed:
                continue  # another worker sent it
            mail_queue(
                to=user.email, template="networks_due_steps", language=user.language,
                context={"user": user, "prospects": prospects, "today": today},
                reference=f"networks.due:{user.pk}:{today.isoformat()}",
            )  # fmt: skip
            sent += 1
    return sent


# --- campaigns --------------------------------------------------------------------------------------------------------


def normalise_link(link: str) -> str:
    """A post's address as compared: without query string or fragment, host in lower case, no trailing slash."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit((link or "").strip())
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def check_link(link: str) -> str:
    link = normalise_link(link)
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise NetworksRefused(
            _("Bitte geben Sie den Link des Beitrags an (beginnt mit https://)."), field="link", code="link"
        ) from None
    return link


@transaction.atomic
def campaign_save(
    *, name: str, channel: str, starts_on: datetime.date, ends_on: datetime.date | None, partner: str = "",
    description: str = "", campaign: Campaign | None = None,
) -> Campaign:  # fmt: skip
    name = " ".join((name or "").split())
    if not name:
        raise NetworksRefused(_("Bitte geben Sie einen Namen an."), field="name", code="name")
    _check_period(starts_on, ends_on, field="ends_on", what=_("Die Kampagne"))
    campaign = campaign or Campaign()
    if not campaign.slug:
        campaign.slug = _unique_slug(Campaign, name)
    campaign.name, campaign.channel, campaign.partner, campaign.description = name, channel, partner, description
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    campaign.save()
    return campaign


def occupation_name(slug: str) -> str:
    """The portal's name of an occupation (its official list), or a refusal for an unknown one."""
    if not slug:
        return ""
    for _pk, known_slug, name in portal_selectors.occupation_choices():
        if known_slug == slug:
            return name
    raise NetworksRefused(_("Diesen Ausbildungsberuf kennt das Portal nicht."), field="occupation", code="occupation")


@transaction.atomic
def post_save(
    *, campaign: Campaign, published_on: datetime.date, link: str, channel: str = "", author_name: str = "",
    author_role: str = "", author_email: str = "", organisation: Organisation | None = None,
    occupation_slug: str = "", caption: str = "", reach: int | None = None, interactions: int | None = None,
    post: Post | None = None,
) -> Post:  # fmt: skip
    """A post of the campaign; reach and interactions typed by hand are marked as such."""
    link = check_link(link)
    duplicate = Post.objects.filter(campaign=campaign, link=link)
    if post is not None:
        duplicate = duplicate.exclude(pk=post.pk)
    if duplicate.exists():
        raise NetworksRefused(_("Diesen Beitrag (Link) gibt es in der Kampagne schon."), field="link", code="duplicate")
    if any(value is not None and value < 0 for value in (reach, interactions)):
        raise NetworksRefused(_("Zahlen dürfen nicht negativ sein."), field="reach", code="negative")
    post = post or Post(campaign=campaign)
    metrics_changed = (post.reach, post.interactions) != (reach, interactions)
    post.published_on, post.link, post.channel = published_on, link, channel or campaign.channel
    post.author_name, post.author_role, post.author_email = author_name, author_role, author_email.strip().lower()
    post.organisation, post.caption = organisation, caption
    post.occupation_slug, post.occupation_name = occupation_slug, occupation_name(occupation_slug)
    post.reach, post.interactions = reach, interactions
    if metrics_changed and (reach is not None or interactions is not None):
        post.metrics_source, post.metrics_updated_at = Post.Source.MANUAL, timezone.now()
    post.save()
    return post


def post_delete(*, post: Post) -> None:
    post.delete()


# --- fair stands ------------------------------------------------------------------------------------------------------


def stand_save(
    *, name: str, held_on: datetime.date, place: str = "", event_id: int | None = None, stand: FairStand | None = None
) -> FairStand:
    if event_id and not event_selectors.events_with_attendance([event_id]):
        raise NetworksRefused(_("Diese Veranstaltung gibt es nicht."), field="event", code="event")
    stand = stand or FairStand()
    stand.name, stand.held_on, stand.place, stand.event_id = name.strip(), held_on, place, event_id or None
    stand.save()
    return stand


def _newsletter_list(slug: str):
    for newsletter_list in newsletter_selectors.lists_overview():
        if newsletter_list.slug == slug and newsletter_list.is_public:
            return newsletter_list
    raise NetworksRefused(_("Bitte wählen Sie einen Newsletter aus."), field="newsletter_list", code="newsletter")


@transaction.atomic
def lead_add(
    *, stand: FairStand, name: str, email: str = "", interest: str = "", occupation_slug: str = "",
    consent_contact: bool = False, consent_newsletter: bool = False, newsletter_list_slug: str = "", by=None,
) -> Lead:  # fmt: skip
    """A person met at the stand. With their consent they become a contact of the IHK (a stored consent
    with wording and time) and a newsletter subscriber (the newsletter's double opt-in mail goes out)."""
    name = " ".join((name or "").split())
    email = (email or "").strip().lower()
    if not name:
        raise NetworksRefused(_("Bitte geben Sie den Namen an."), field="name", code="name")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise NetworksRefused(
                _("Bitte geben Sie eine gültige E-Mail-Adresse an."), field="email", code="email"
            ) from None
    if (consent_contact or consent_newsletter) and not email:
        raise NetworksRefused(
            _("Für eine Einwilligung brauchen wir die E-Mail-Adresse."), field="email", code="email_required"
        )
    newsletter_list = _newsletter_list(newsletter_list_slug) if consent_newsletter else None
    wording = lead_contact_wording() if consent_contact else ""
    if newsletter_list is not None:
        wording = "\n\n".join(
            part for part in [wording, newsletter_services.consent_wording_for(newsletter_list)[0]] if part
        )
    lead = Lead.objects.create(
        stand=stand, name=name, email=email, interest=interest, occupation_slug=occupation_slug,
        occupation_name=occupation_name(occupation_slug), consent_contact=consent_contact,
        consent_newsletter=consent_newsletter, consent_wording=wording,
        newsletter_list_slug=newsletter_list.slug if newsletter_list else "",
        created_by=by if by and by.is_authenticated else None,
    )  # fmt: skip
    source = _("Messestand „%(stand)s“ am %(date)s, erfasst von %(who)s") % {
        "stand": stand.name, "date": stand.held_on.strftime("%d.%m.%Y"), "who": getattr(by, "email", "") or "–",
    }  # fmt: skip
    if consent_contact:
        consent_record(
            email=email, purpose=LEAD_CONTACT_PURPOSE, wording=lead_contact_wording(),
            wording_version=LEAD_CONTACT_VERSION, source=source,
        )  # fmt: skip
    if newsletter_list is not None:
        try:
            newsletter_services.subscriber_signup(
                newsletter_list=newsletter_list, email=email, name=name, source=source
            )
        except ValidationError as error:
            raise NetworksRefused(" ".join(error.messages), field="email", code="newsletter") from None
        lead.newsletter_signup_at = timezone.now()
        lead.save(update_fields=["newsletter_signup_at"])
    return lead
