"""Demo data for 2020, as the annual report's section "Industrie-Initiative" tells it.

- Industry networks met in summer in person and later online (their meetings are the events demo's network
  meetings); two dormant networks started a reactivation in the autumn; one network has not met for years.
- The one-pager was made (and sent to one prospect); acquisition prospects in every stage.
- The initiative's members and sponsors – the companies whose bosses met students at the four Meet-the-Boss
  events – with the two partner universities, FH Münster and Westfälische Hochschule Gelsenkirchen.
- The campaign "Azubimojis meets Industrie-Initiative" on the chamber's Instagram channel with its reach, and the
  AzuBeYou fair stand in November with its leads.

Idempotent: everything is looked up by a natural key (network name, campaign slug, stand name …) and only created
when missing. Needs the contacts and events demos (it runs after them); without them it creates what it can.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from contacts.models import Organisation, Person
from contacts.services import consent_record
from core.demo import register_demo
from events import selectors as event_selectors
from networks.models import (
    EVENT_KIND_MEET_THE_BOSS,
    Campaign,
    Channel,
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
from networks.services import LEAD_CONTACT_PURPOSE, LEAD_CONTACT_VERSION, lead_contact_wording, logo_consent_wording
from portal import selectors as portal_selectors

D = datetime.date
S = Network.State
UNIVERSITIES = ["Fachhochschule Münster", "Westfälische Hochschule Gelsenkirchen"]

# name, region, topic, state history [(date, previous, state, reason)], event slugs of its meetings, members
NETWORKS = [
    ("Industrieverbund Münsterland", "Münster und Münsterland", "Fachkräfte, Digitalisierung",
     [(D(2011, 3, 1), "", S.FOUNDING, "Gründungstreffen"), (D(2011, 9, 15), S.FOUNDING, S.ACTIVE, "erste Satzung")],
     ["netzwerktreffen-muensterland-2020-03", "netzwerktreffen-muensterland-2020-05",
      "netzwerktreffen-muensterland-2020-11"], 12),
    ("Industrieverbund Emscher-Lippe", "Gelsenkirchen, Bottrop, Kreis Recklinghausen", "Wasserstoff, Strukturwandel",
     [(D(2013, 5, 6), "", S.FOUNDING, "Gründung"), (D(2014, 1, 20), S.FOUNDING, S.ACTIVE, "erstes Jahrestreffen")],
     ["netzwerktreffen-emscher-lippe-2020-04", "netzwerktreffen-emscher-lippe-2020-08"], 9),
    ("Industrieverbund Westmünsterland", "Kreis Borken", "Ausbildung, Energieeffizienz",
     [(D(2012, 2, 1), "", S.FOUNDING, "Gründung"), (D(2012, 6, 1), S.FOUNDING, S.ACTIVE, "Sprecher gewählt")],
     ["netzwerktreffen-westmuensterland-2020-07"], 10),
    ("Industrieverbund Kreis Coesfeld", "Kreis Coesfeld", "Nachfolge, Fachkräfte",
     [(D(2010, 4, 1), "", S.FOUNDING, "Gründung"), (D(2010, 10, 1), S.FOUNDING, S.ACTIVE, "erste Treffen"),
      (D(2017, 6, 30), S.ACTIVE, S.DORMANT, "Sprecher ausgeschieden, keine Treffen mehr"),
      (D(2020, 9, 15), S.DORMANT, S.FOUNDING, "Reaktivierung begonnen: Gespräche mit fünf Unternehmen")],
     [], 4),
    ("Industrieverbund Steinfurt", "Kreis Steinfurt", "Kunststoff, Maschinenbau",
     [(D(2014, 3, 1), "", S.FOUNDING, "Gründung"), (D(2014, 11, 1), S.FOUNDING, S.ACTIVE, "Jahresplanung"),
      (D(2018, 12, 31), S.ACTIVE, S.DORMANT, "seit 2018 keine Treffen"),
      (D(2020, 10, 20), S.DORMANT, S.FOUNDING, "Reaktivierung begonnen: Neustart mit dem One-Pager")],
     [], 3),
    ("Industrieverbund Kreis Warendorf", "Kreis Warendorf", "Lebensmittel, Verpackung",
     [(D(2015, 1, 15), "", S.FOUNDING, "Gründung"), (D(2015, 8, 1), S.FOUNDING, S.ACTIVE, "erste Treffen")],
     [], 5),
]  # fmt: skip

POSTS = [
    # day, trainee, role, occupation name fragment, reach, interactions
    (D(2020, 9, 14), "Lea", "Auszubildende im 2. Lehrjahr", "Industriekauf", 4210, 388),
    (D(2020, 9, 21), "Jonas", "Auszubildender im 3. Lehrjahr", "Mechatroniker", 3890, 301),
    (D(2020, 9, 28), "Sophie", "Auszubildende im 1. Lehrjahr", "Industriemechaniker", 2960, 214),
    (D(2020, 10, 5), "Malte", "Auszubildender im 2. Lehrjahr", "Elektroniker", 3320, 257),
    (D(2020, 10, 12), "Aylin", "Auszubildende im 3. Lehrjahr", "Chemikant", 5120, 463),
    (D(2020, 10, 19), "Tim", "Auszubildender im 1. Lehrjahr", "Verfahrensmechaniker", 2480, 176),
    (D(2020, 10, 26), "Hannah", "Auszubildende im 2. Lehrjahr", "Technische", 3010, 229),
    (D(2020, 11, 2), "Niklas", "Auszubildender im 3. Lehrjahr", "Fachkraft für Lagerlogistik", 2750, 198),
    (D(2020, 11, 9), "Mara", "Auszubildende im 2. Lehrjahr", "Produktionstechnolog", 3560, 281),
    (D(2020, 11, 16), "Ben", "Auszubildender im 2. Lehrjahr", "Zerspanungsmechaniker", 2890, 233),
    (D(2020, 11, 23), "Clara", "Auszubildende im 3. Lehrjahr", "Fachinformatiker", 4480, 402),
    (D(2020, 11, 30), "Paul", "Auszubildender im 1. Lehrjahr", "Konstruktionsmechaniker", 2330, 167),
    (D(2020, 12, 7), "Emma", "Auszubildende im 2. Lehrjahr", "Kaufmann/-frau für Büromanagement", 3150, 244),
    (D(2020, 12, 14), "Lukas", "Auszubildender im 3. Lehrjahr", "Werkstoffprüfer", 2610, 189),
]

LEADS = [
    ("Mia Kemper", "Ausbildung nach dem Abitur", "Industriekauf", True, True),
    ("Finn Wessels", "Praktikum in den Herbstferien", "Mechatroniker", True, False),
    ("Lina Bücker", "duales Studium Maschinenbau", "", True, True),
    ("Elias Niehues", "Ausbildung im Labor", "Chemikant", False, True),
    ("Emilia Althoff", "Ausbildung ab 2021", "Elektroniker", True, False),
    ("Noah Pieper", "Informatik", "Fachinformatiker", True, True),
    ("Lotta Reckers", "noch unentschlossen", "", False, False),
    ("Ben Upmann", "Ausbildung mit Abitur", "Industriemechaniker", True, False),
    ("Greta Schulte", "Ausbildung im Büro", "Büromanagement", True, True),
    ("Jonas Hölscher", "Ausbildung Metall", "Zerspanungsmechaniker", False, True),
    ("Ida Tenhagen", "Praktikum", "Technische", True, False),
    ("Leon Overbeck", "Ausbildung Logistik", "Lagerlogistik", True, True),
]


def _organisation(name: str, city: str) -> Organisation:
    return Organisation.objects.filter(name=name).first() or Organisation.objects.create(name=name, city=city)


def _demo_logo(name: str, rng) -> ContentFile:
    """A simple PNG logo: the initials on a coloured square (Pillow)."""
    from PIL import Image, ImageDraw

    colours = ["#0b4f8a", "#1d6b2f", "#8a3b00", "#5a2d82", "#004d4d", "#7a1f3d"]
    image = Image.new("RGB", (240, 96), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 95, 95], fill=rng.choice(colours))
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    draw.text((30, 38), initials, fill="white")
    draw.text((108, 40), name.split()[0][:14], fill="#1b1f24")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="logo.png")


def _events_by_slug() -> dict:
    return {event.slug: event for event in event_selectors.staff_events()}


def _networks(rng, staff, members_pool, events) -> int:
    created = 0
    used: set[int] = set()
    for name, region, topic, history, slugs, size in NETWORKS:
        network = Network.objects.filter(name=name).first()
        if network is None:
            last = history[-1]
            network = Network.objects.create(
                name=name, slug=name.lower().replace(" ", "-").replace("ü", "ue").replace("ö", "oe"), region=region,
                topic=topic, state=last[2], state_since=last[0], responsible=staff,
                next_step="Nächstes Treffen abstimmen" if last[2] == S.ACTIVE else "Gespräche mit Unternehmen führen",
                next_step_due=D(2021, 1, 15) if last[2] == S.ACTIVE else D(2021, 2, 1),
            )  # fmt: skip
            StateChange.objects.bulk_create(
                [
                    StateChange(
                        network=network,
                        changed_on=day,
                        previous_state=prev,
                        state=state,
                        reason=reason,
                        changed_by=staff,
                    )  # fmt: skip
                    for day, prev, state, reason in history
                ]
            )
            created += 1
        for slug in slugs:
            if slug in events:
                NetworkMeeting.objects.get_or_create(network=network, event_id=events[slug].pk)
        if network.memberships.exists():
            used |= set(network.memberships.values_list("organisation_id", flat=True))
            continue
        candidates = [org for org in members_pool if org.pk not in used][: size + 2]
        for index, organisation in enumerate(candidates[:size]):
            used.add(organisation.pk)
            new_member = index and index >= size - 2  # the last two joined in 2020
            joined = (
                D(2020, rng.randint(2, 10), rng.randint(1, 28))
                if new_member
                else D(history[0][0].year + rng.randint(0, 3), rng.randint(1, 12), 1)
            )
            # the dormant years lost the old members; the reactivation won new ones
            left = D(2018, 6, 30) if network.state == S.FOUNDING and not new_member else None
            membership = NetworkMembership.objects.create(
                network=network, organisation=organisation, joined_on=joined, left_on=left,
                role=NetworkMembership.Role.SPOKESPERSON if index == 0 else NetworkMembership.Role.MEMBER,
            )  # fmt: skip
            person = Person.objects.filter(roles__organisation=organisation).order_by("pk").first()
            if person is not None:
                membership.contact_persons.add(person)
    return created


def _initiative(rng, events, members_pool) -> int:
    created = 0
    universities = [
        _organisation(UNIVERSITIES[0], "Münster"),
        _organisation(UNIVERSITIES[1], "Gelsenkirchen"),
    ]
    for university, since in zip(universities, [D(2018, 9, 1), D(2019, 3, 1)], strict=True):
        _p, new = UniversityPartnership.objects.get_or_create(
            organisation=university, defaults={"since": since, "notes": "Meet-the-Boss"}
        )
        created += new
    mtb = [e for e in events.values() if e.kind == EVENT_KIND_MEET_THE_BOSS]
    for event in mtb:
        _i, new = InitiativeEvent.objects.get_or_create(event_id=event.pk)
        created += new
    held_2020 = [e.pk for e in mtb if e.starts_at.year == 2020]
    bosses = set().union(*event_selectors.event_organisation_ids(held_2020).values()) if held_2020 else set()
    bosses -= {u.pk for u in universities}
    supporters = list(Organisation.objects.filter(pk__in=bosses).order_by("name", "pk"))
    supporters += [org for org in members_pool[:6] if org.pk not in bosses]
    levels = [
        (Support.Kind.SPONSOR, Support.Level.PLATINUM, Decimal("5000")),
        (Support.Kind.SPONSOR, Support.Level.GOLD, Decimal("2500")),
        (Support.Kind.SPONSOR, Support.Level.SILVER, Decimal("1500")),
        (Support.Kind.MEMBER, Support.Level.BASIC, Decimal("500")),
    ]
    for index, organisation in enumerate(supporters):
        kind, level, amount = levels[0 if index == 0 else 1 if index < 3 else 2 if index < 6 else 3]
        support, new = Support.objects.get_or_create(
            organisation=organisation, year=2020,
            defaults={"kind": kind, "level": level, "contribution": amount, "starts_on": D(2020, 1, 1),
                      "ends_on": D(2020, 12, 31)},
        )  # fmt: skip
        if new:
            created += 1
            person = Person.objects.filter(roles__organisation=organisation).order_by("pk").first()
            if person is not None:
                support.contact_persons.add(person)
            # most renewed for this year (the public page shows the current year)
            this_year = timezone.localdate().year
            if this_year != 2020 and index % 4 != 3:
                Support.objects.get_or_create(
                    organisation=organisation, year=this_year,
                    defaults={"kind": kind, "level": level, "contribution": amount,
                              "starts_on": D(this_year, 1, 1), "ends_on": D(this_year, 12, 31)},
                )  # fmt: skip
        if index < 8 and not Logo.objects.filter(organisation=organisation).exists():
            logo = Logo(
                organisation=organisation, public=index % 5 != 4, consent_wording=logo_consent_wording(),
                consent_source="Zustimmung per E-Mail (Demo-Daten)", consent_at=timezone.now(),
            )  # fmt: skip
            logo.image.save(f"{organisation.pk}-logo.png", _demo_logo(organisation.name, rng), save=False)
            logo.save()
    return created


def _prospects(rng, staff, members_pool) -> int:
    if Prospect.objects.exists():
        return 0
    networks = {n.name: n for n in Network.objects.all()}
    taken = set(NetworkMembership.objects.values_list("organisation_id", flat=True)) | set(
        Support.objects.values_list("organisation_id", flat=True)
    )
    pool = [org for org in members_pool[::-1] if org.pk not in taken][:10]
    plan = [
        ("Industrieverbund Kreis Coesfeld", Prospect.Stage.INTERESTED, D(2021, 1, 20), "Zum Neustart-Treffen einladen"),
        ("Industrieverbund Kreis Coesfeld", Prospect.Stage.CONTACTED, D(2021, 1, 12), "Nachfassen per Telefon"),
        ("Industrieverbund Kreis Coesfeld", Prospect.Stage.IDENTIFIED, D(2021, 2, 1), "One-Pager senden"),
        ("Industrieverbund Steinfurt", Prospect.Stage.CONTACTED, D(2021, 1, 25), "Termin vor Ort vereinbaren"),
        ("Industrieverbund Steinfurt", Prospect.Stage.IDENTIFIED, D(2021, 2, 10), "Ansprechperson finden"),
        ("Industrieverbund Münsterland", Prospect.Stage.JOINED, None, ""),
        ("Industrieverbund Westmünsterland", Prospect.Stage.DECLINED, None, ""),
        ("", Prospect.Stage.INTERESTED, D(2021, 1, 18), "Förderstufen erläutern"),
        ("", Prospect.Stage.IDENTIFIED, D(2021, 2, 15), "One-Pager der Initiative senden"),
    ]
    created = 0
    for organisation, (network_name, stage, due, step) in zip(pool, plan, strict=False):
        network = networks.get(network_name)
        person = Person.objects.filter(roles__organisation=organisation).order_by("pk").first()
        prospect = Prospect.objects.create(
            organisation=organisation, network=network, stage=stage, responsible=staff, next_step=step,
            next_step_due=due, contact_name=person.full_name if person else "",
            contact_email=person.email if person else "",
        )  # fmt: skip
        start = timezone.make_aware(datetime.datetime(2020, rng.randint(8, 10), rng.randint(1, 28), 10))
        ProspectActivity.objects.create(prospect=prospect, kind="created", to_stage="identified", by=staff, at=start)
        order = [Prospect.Stage.IDENTIFIED, Prospect.Stage.CONTACTED, Prospect.Stage.INTERESTED]
        path = order[: order.index(stage) + 1] if stage in order else [*order, stage]
        for step_number, (old, new) in enumerate(zip(path, path[1:], strict=False), start=1):
            at = start + datetime.timedelta(days=12 * step_number)
            if new == Prospect.Stage.CONTACTED:
                ProspectActivity.objects.create(
                    prospect=prospect, kind="onepager", recipient=prospect.contact_email, by=staff, at=at
                )
            ProspectActivity.objects.create(
                prospect=prospect, kind="moved", from_stage=old, to_stage=new, by=staff, at=at,
                reason="One-Pager gesendet" if new == Prospect.Stage.CONTACTED else "",
            )  # fmt: skip
        if stage == Prospect.Stage.JOINED and network is not None:
            prospect.membership = NetworkMembership.objects.create(
                network=network, organisation=organisation, joined_on=D(2020, 11, 20)
            )
            prospect.save(update_fields=["membership"])
        created += 1
    return created


def _campaign(rng, members_pool) -> int:
    campaign, new = Campaign.objects.get_or_create(
        slug="azubimojis-2020",
        defaults={"name": "Azubimojis meets Industrie-Initiative", "channel": Channel.INSTAGRAM,
                  "partner": "Geschäftsbereich Bildung der IHK",
                  "description": "Auszubildende aus Industrieunternehmen stellen ihren Ausbildungsberuf auf dem "
                                 "Instagram-Kanal der IHK vor – mit dem Logo der Industrie-Initiative.",
                  "starts_on": D(2020, 9, 14), "ends_on": D(2020, 12, 18)},
    )  # fmt: skip
    if not new:
        return 0
    occupations = portal_selectors.occupation_choices()
    published = portal_selectors.published_profile_urls([org.pk for org in members_pool])
    companies = [org for org in members_pool if org.pk in published] or members_pool
    for number, (day, name, role, fragment, reach, interactions) in enumerate(POSTS):
        occupation = next(((slug, title) for _pk, slug, title in occupations if fragment in title), ("", ""))
        Post.objects.create(
            campaign=campaign, published_on=day, channel=Channel.INSTAGRAM, author_name=name, author_role=role,
            organisation=companies[number % len(companies)] if companies else None,
            occupation_slug=occupation[0], occupation_name=occupation[1],
            link=f"https://www.instagram.com/p/azubimojis{number + 1:02d}",
            caption=f"Azubimojis: {occupation[1] or fragment}", reach=reach, interactions=interactions,
            metrics_source=Post.Source.IMPORT, metrics_updated_at=timezone.now(),
        )  # fmt: skip
    return 1


def _stand(rng, events) -> int:
    name = "AzuBeYou 2020 – Stand der Industrie-Initiative"
    if FairStand.objects.filter(name=name).exists():
        return 0
    event = events.get("azubeyou-2020")
    stand = FairStand.objects.create(
        name=name, held_on=D(2020, 11, 6), place="Halle Münsterland, Münster", event_id=event.pk if event else None
    )
    occupations = portal_selectors.occupation_choices()
    for number, (person, interest, fragment, contact, newsletter) in enumerate(LEADS):
        occupation = next(
            ((slug, title) for _pk, slug, title in occupations if fragment and fragment in title), ("", "")
        )
        email = f"{person.lower().replace(' ', '.').replace('ü', 'ue').replace('ö', 'oe')}@schule.example"
        at = timezone.make_aware(datetime.datetime(2020, 11, 6, 9 + number // 2, (number * 7) % 60))
        Lead.objects.create(
            stand=stand, name=person, email=email if (contact or newsletter) else "", interest=interest,
            occupation_slug=occupation[0], occupation_name=occupation[1], consent_contact=contact,
            consent_newsletter=newsletter, consent_wording=lead_contact_wording() if contact else "",
            newsletter_list_slug="industrie" if newsletter else "", created_at=at,
        )  # fmt: skip
        if contact:
            consent_record(
                email=email, purpose=LEAD_CONTACT_PURPOSE, wording=lead_contact_wording(),
                wording_version=LEAD_CONTACT_VERSION, source=f"Messestand „{name}“ (Demo-Daten)", given_at=at,
            )  # fmt: skip
    return 1


@register_demo("networks", order=80)
def build(rng) -> str:
    from accounts.models import User
    from core.roles import Role

    staff = (
        User.objects.filter(email="team@kammerwerk.example").first()
        or User.objects.filter(role_assignments__role__in=[Role.STAFF, Role.LEAD]).order_by("pk").first()
    )
    universities = Q(name__in=UNIVERSITIES) | Q(name__startswith="IHK")
    members_pool = list(
        Organisation.objects.exclude(member_number="").exclude(universities).order_by("member_number")[:120]
    )
    events = _events_by_slug()
    counts = {
        "Verbünde": _networks(rng, staff, members_pool[40:], events),
        "Initiative": _initiative(rng, events, members_pool),
        "Akquise": _prospects(rng, staff, members_pool),
        "Kampagnen": _campaign(rng, members_pool[:40]),
        "Messestände": _stand(rng, events),
    }
    return ", ".join(f"{label}: {count} neu" for label, count in counts.items())
