"""Demo: the industry newsletter since September 2020, two initiative items per issue,
a subscriber history that passes 400 by the end of 2020 and keeps growing."""

import datetime

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from contacts.models import Consent, Person
from core.demo import register_demo
from newsletter.models import Delivery, Issue, Item, NewsletterList, Subscriber, SubscriptionEvent

WORDING = (
    "Ja, ich möchte den monatlichen Industrie-Newsletter der IHK per E-Mail erhalten. Meine E-Mail-Adresse wird "
    "nur für den Versand verwendet und nicht weitergegeben. Ich kann mich jederzeit mit einem Klick abmelden."
)
FIRST_ISSUE = datetime.date(2020, 9, 8)
LAST_SENT = datetime.date(2026, 11, 3)

INITIATIVE = [
    ("Meet-the-Boss: Unternehmer treffen Studierende", "Vier Termine mit der FH Münster und der Westfälischen Hochschule."),
    ("Neue Industrieverbünde in der Region", "Die Geschäftsstelle unterstützt bei Gründung und Reaktivierung."),
    ("Industrie-Portal: neue Unternehmensprofile", "Ausbildungsbetriebe stellen sich und ihre Berufe vor."),
    ("Azubimojis meets Industrie-Initiative", "Auszubildende zeigen ihre Berufe auf Instagram."),
    ("Redakteurskonferenz des Industrie-Portals", "Neuerungen für die Personal- und Ausbildungsansprechpartner."),
    ("AzuBeYou: Die Initiative auf der Ausbildungsmesse", "Am Stand der Initiative lernen Schülerinnen und Schüler Industrieberufe kennen."),
    ("Social Day in den Industrieverbünden", "Unternehmen öffnen ihre Türen für die Nachbarschaft."),
    ("Onepager: Warum ein Industrieverbund?", "Die Geschäftsstelle stellt das Material für die Akquise bereit."),
    ("Industriekongress: Programm steht", "Fachforen zu Energie, Fachkräften und Digitalisierung."),
    ("Förderer der Initiative stellen sich vor", "Drei Mitgliedsunternehmen berichten aus ihrer Praxis."),
    ("Digitale Treffen der Industrieverbünde", "Wie die Verbünde in der Pandemie in Kontakt bleiben."),
    ("Industrie-Initiative: Jahresrückblick", "Was die Initiative in den vergangenen Monaten bewegt hat."),
]  # fmt: skip
OTHER = [
    ("IHK", "CO2-Preis: Was das BEHG für Ihren Betrieb bedeutet", "Der Rechner der IHK zeigt die Kosten bis 2026."),
    ("Förderung", "Förderprogramm für Digitalisierung im Mittelstand", "Erstberatung bei der IHK kostenlos."),
    ("Energie und Umwelt", "Wasserstoff-Bedarfsabfrage der Region", "Melden Sie Ihren künftigen Bedarf."),
    ("IHK", "Erfindersprechtag mit Patentanwälten", "Kostenlose Einzelgespräche, jetzt Termin buchen."),
    ("IHK", "CE-Kennzeichnung: Expertensprechtag", "Fragen zur Konformitätsbewertung direkt klären."),
    ("Förderung", "Innovationsgutscheine: neue Runde", "Bis zu 50 % Zuschuss für Forschungsaufträge."),
    ("IHK", "Webinarreihe Künstliche Intelligenz", "Praxisbeispiele aus der Industrie der Region."),
    ("Energie und Umwelt", "Emissionshandel: kurze Studie der IHK", "Folgen für energieintensive Betriebe."),
]  # fmt: skip
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]  # fmt: skip
FIRST = ["Anna", "Lena", "Jan", "Tobias", "Sabine", "Markus", "Julia", "Frank", "Maria", "Stefan", "Laura", "Jörg"]
LAST = ["Schulte", "Hölscher", "Kemper", "Wessels", "Bücker", "Niehues", "Pieper", "Overbeck", "Althoff", "Janning"]


def _aware(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _issue_dates() -> list[datetime.date]:
    dates, year, month = [], 2020, 9
    while (year, month) <= (LAST_SENT.year, LAST_SENT.month):
        day = datetime.date(year, month, 1)
        while day.weekday() != 1:  # first Tuesday
            day += datetime.timedelta(days=1)
        dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def _signups(rng) -> list[datetime.datetime]:
    """Sign-up times: an import of the initiative's contacts at the start, a launch wave, then steady growth."""
    times = [_aware(datetime.date(2020, 9, 1), 9) for _ in range(190)]  # the import
    day = datetime.date(2020, 9, 2)
    end = datetime.date(2026, 11, 20)
    while day <= end:
        if day.year == 2020:
            rate = 2.6
        else:
            rate = 1.05 + 0.15 * rng.random()
        if day.weekday() >= 5:
            rate *= 0.3
        count = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
        times.extend(_aware(day, rng.randint(7, 21), rng.randint(0, 59)) for _ in range(count))
        day += datetime.timedelta(days=1)
    return times


@register_demo("newsletter", order=60)
def build(rng) -> str:
    newsletter_list, _ = NewsletterList.objects.get_or_create(
        slug="industrie",
        defaults={
            "name": "Industrie-Newsletter",
            "description": "Monatlich: Neuigkeiten für Industrieunternehmen, mit zwei Meldungen aus der Industrie-Initiative.",
            "consent_wording": WORDING,
            "consent_version": "2020-09",
        },
    )
    created_subscribers = 0
    if not Subscriber.objects.filter(newsletter_list=newsletter_list).exists():
        created_subscribers = _subscribers(rng, newsletter_list)
    created_issues = 0
    if not Issue.objects.filter(newsletter_list=newsletter_list).exists():
        created_issues = _issues(rng, newsletter_list)
    return f"{created_subscribers} Abonnenten, {created_issues} Ausgaben angelegt"


def _subscribers(rng, newsletter_list) -> int:
    people = list(Person.objects.exclude(email="").order_by("pk").values_list("pk", "email")[:260])
    times = _signups(rng)
    now = timezone.now()
    rows, seen = [], set()
    for index, joined in enumerate(times):
        if index < len(people) and index < 190 or (index < len(people) and rng.random() < 0.2):
            person_id, email = people[index]
        else:
            person_id = None
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{slugify(first)}.{slugify(last)}.{index}@{slugify(rng.choice(LAST))}-industrie.example"
        email = email.lower()
        if email in seen:
            continue
        seen.add(email)
        imported = index < 190
        confirmed = joined if imported else (joined + datetime.timedelta(minutes=rng.randint(2, 600)))
        status = Subscriber.Status.ACTIVE
        if not imported and rng.random() < 0.08:
            confirmed, status = None, Subscriber.Status.PENDING
        left = bounced = None
        if confirmed and rng.random() < 0.16:
            left = confirmed + datetime.timedelta(days=rng.randint(20, 1400))
            left = left if left < now else None
        elif confirmed and rng.random() < 0.04:
            bounced = confirmed + datetime.timedelta(days=rng.randint(30, 1400))
            bounced = bounced if bounced < now else None
        if left:
            status = Subscriber.Status.UNSUBSCRIBED
        elif bounced:
            status = Subscriber.Status.BOUNCED
        rows.append(
            Subscriber(
                newsletter_list=newsletter_list, email=email, name="", status=status, person_id=person_id,
                source="Import Bestandskontakte Industrie-Initiative (Demo)" if imported else "Anmeldeformular (Demo)",
                consent_wording=WORDING, consent_version="2020-09", created_at=joined,
                confirmation_sent_at=None if imported else joined, confirmed_at=confirmed,
                unsubscribed_at=left, bounced_at=bounced,
            )
        )  # fmt: skip
    Subscriber.objects.bulk_create(rows, batch_size=500)
    subscribers = list(Subscriber.objects.filter(newsletter_list=newsletter_list))
    events, consents = [], []
    for s in subscribers:
        events.append(SubscriptionEvent(newsletter_list=newsletter_list, subscriber=s, kind="join", at=s.created_at))
        if s.confirmed_at:
            events.append(SubscriptionEvent(newsletter_list=newsletter_list, subscriber=s, kind="confirm", at=s.confirmed_at))  # fmt: skip
            consents.append(
                Consent(
                    email=s.email, person_id=s.person_id, purpose="newsletter.industrie", wording=WORDING,
                    wording_version="2020-09", source=s.source, given_at=s.confirmed_at, withdrawn_at=s.unsubscribed_at,
                )
            )  # fmt: skip
        if s.unsubscribed_at:
            events.append(SubscriptionEvent(newsletter_list=newsletter_list, subscriber=s, kind="leave", at=s.unsubscribed_at))  # fmt: skip
        if s.bounced_at:
            events.append(SubscriptionEvent(newsletter_list=newsletter_list, subscriber=s, kind="bounce", at=s.bounced_at))  # fmt: skip
    SubscriptionEvent.objects.bulk_create(events, batch_size=1000)
    Consent.objects.bulk_create(consents, batch_size=500)
    return len(subscribers)


def _issues(rng, newsletter_list) -> int:
    dates = _issue_dates()
    for number, day in enumerate(dates, start=1):
        month = f"{MONTHS[day.month - 1]} {day.year}"
        sent_at = _aware(day, 10)
        issue = Issue.objects.create(
            newsletter_list=newsletter_list, number=number, subject=f"Industrie-Newsletter {month}",
            intro=f"Liebe Leserinnen und Leser, hier sind die Neuigkeiten für die Industrie im {month}.",
            status=Issue.Status.SENT, scheduled_at=sent_at, send_started_at=sent_at, sent_at=sent_at + datetime.timedelta(minutes=3),
        )  # fmt: skip
        picks = rng.sample(INITIATIVE, 2)
        items = [
            Item(issue=issue, position=position, title=title, teaser=teaser, source="Industrie-Initiative",
                 text="Mehr dazu bei der Geschäftsstelle der Industrie-Initiative.",
                 link="https://www.industrie-initiative.example/aktuelles")
            for position, (title, teaser) in enumerate(picks, start=1)
        ]  # fmt: skip
        for position, (source, title, teaser) in enumerate(rng.sample(OTHER, rng.randint(1, 2)), start=3):
            items.append(Item(issue=issue, position=position, title=title, teaser=teaser, source=source))
        Item.objects.bulk_create(items)
        following = dates[number] if number < len(dates) else datetime.date(2026, 12, 1)
        _deliveries(issue, sent_at, _aware(following, 10))
    # the next issue, in preparation
    draft = Issue.objects.create(
        newsletter_list=newsletter_list, number=len(dates) + 1, subject="Industrie-Newsletter Dezember 2026",
        intro="Liebe Leserinnen und Leser, zum Jahresende …", status=Issue.Status.DRAFT,
        scheduled_at=None,
    )  # fmt: skip
    for position, (title, teaser) in enumerate(rng.sample(INITIATIVE, 2), start=1):
        Item.objects.create(issue=draft, position=position, title=title, teaser=teaser, source="Industrie-Initiative")
    return len(dates) + 1


def _deliveries(issue: Issue, sent_at: datetime.datetime, next_sent_at: datetime.datetime) -> None:
    """Who was subscribed when the issue went out got it; an address that bounced right after, bounced."""
    table, subscribers = Delivery._meta.db_table, Subscriber._meta.db_table
    ops = connection.ops
    at = ops.adapt_datetimefield_value(sent_at)
    done = ops.adapt_datetimefield_value(sent_at + datetime.timedelta(minutes=2))
    bounce_until = ops.adapt_datetimefield_value(next_sent_at)
    sql = f"""
        INSERT INTO {table} (issue_id, subscriber_id, email, status, attempts, message_id, claim, last_error, sent_at)
        SELECT %s, s.id, s.email,
               CASE WHEN s.bounced_at IS NOT NULL AND s.bounced_at <= %s THEN 'bounced' ELSE 'sent' END,
               1, CAST(%s AS TEXT) || CAST(s.id AS TEXT) || '@kammerwerk.example>', '', '', %s
        FROM {subscribers} s
        WHERE s.newsletter_list_id = %s AND s.confirmed_at IS NOT NULL AND s.confirmed_at <= %s
          AND (s.unsubscribed_at IS NULL OR s.unsubscribed_at > %s)
          AND (s.bounced_at IS NULL OR s.bounced_at > %s)
        ON CONFLICT DO NOTHING
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [issue.pk, bounce_until, f"<nl.{issue.pk}.demo.", done, issue.newsletter_list_id, at, at, at]
        )
