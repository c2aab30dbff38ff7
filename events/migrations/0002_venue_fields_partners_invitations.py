"""The venue's address in fields (for schema.org's PostalAddress), partners with their proof
(code, e-mail domain), a real invitation record, and how a partner seat was proven."""

import re

import django.db.models.deletion
import contacts.validators
from django.conf import settings
from django.db import migrations, models

ADDRESS_RE = re.compile(r"^(?:(?P<street>.*?),\s*)?(?P<postcode>\d{5})\s+(?P<city>.+)$")


def split_addresses(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.exclude(venue_address="").only("pk", "venue_address"):
        text = " ".join(event.venue_address.split())
        match = ADDRESS_RE.match(text)
        if match:
            street, postcode, city = match.group("street") or "", match.group("postcode"), match.group("city")
        else:
            street, postcode, city = text, "", ""
        Event.objects.filter(pk=event.pk).update(
            venue_street=street[:200], venue_postcode=postcode[:5], venue_city=city[:100]
        )


def join_addresses(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.all().only("pk", "venue_street", "venue_postcode", "venue_city"):
        place = " ".join(part for part in (event.venue_postcode, event.venue_city) if part)
        address = ", ".join(part for part in (event.venue_street, place) if part)
        Event.objects.filter(pk=event.pk).update(venue_address=address[:300])


def copy_partners(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    EventPartner = apps.get_model("events", "EventPartner")
    through = Event.partners.through
    EventPartner.objects.bulk_create(
        [EventPartner(event_id=row.event_id, organisation_id=row.organisation_id) for row in through.objects.all()]
    )


def copy_partners_back(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    EventPartner = apps.get_model("events", "EventPartner")
    through = Event.partners.through
    through.objects.bulk_create(
        [through(event_id=p.event_id, organisation_id=p.organisation_id) for p in EventPartner.objects.all()]
    )


def invitations_from_mail_log(apps, schema_editor):
    """Invitations sent before this record existed were only known by the mail's reference."""
    Event = apps.get_model("events", "Event")
    EventInvitation = apps.get_model("events", "EventInvitation")
    OutgoingMail = apps.get_model("core", "OutgoingMail")
    events = set(Event.objects.values_list("pk", flat=True))
    seen = set()
    rows = []
    for mail in OutgoingMail.objects.filter(reference__startswith="events.invitation:").order_by("pk"):
        event_id = mail.reference.rpartition(":")[2]
        if not event_id.isdigit() or int(event_id) not in events:
            continue
        key = (int(event_id), mail.to_email.lower())
        if key in seen:
            continue
        seen.add(key)
        rows.append(EventInvitation(event_id=key[0], email=key[1], mail_id=mail.pk))
    EventInvitation.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0003_import_batch_notices"),
        ("core", "0002_cache_table"),
        ("events", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # the venue's address in fields
        migrations.AddField(
            model_name="event",
            name="venue_street",
            field=models.CharField(blank=True, max_length=200, verbose_name="Straße und Hausnummer"),
        ),
        migrations.AddField(
            model_name="event",
            name="venue_postcode",
            field=models.CharField(
                blank=True,
                max_length=5,
                validators=[contacts.validators.validate_german_postcode],
                verbose_name="PLZ",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="venue_city",
            field=models.CharField(blank=True, max_length=100, verbose_name="Ort"),
        ),
        migrations.RunPython(split_addresses, join_addresses),
        migrations.RemoveField(model_name="event", name="venue_address"),
        # partners with their proof
        migrations.CreateModel(
            name="EventPartner",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        blank=True,
                        help_text="Geben Sie ihn der Partnerorganisation für ihre Mitglieder; mindestens 6 Zeichen.",
                        max_length=40,
                        verbose_name="Partnercode",
                    ),
                ),
                (
                    "email_domain",
                    models.CharField(
                        blank=True,
                        help_text="z. B. fh-muenster.de (Subdomains zählen mit)",
                        max_length=100,
                        verbose_name="E-Mail-Domain",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="partnerships", to="events.event"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="event_partnerships",
                        to="contacts.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "Partnerorganisation",
                "verbose_name_plural": "Partnerorganisationen",
                "ordering": ["organisation__name", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("event", "organisation"), name="events_one_partnership")
                ],
            },
        ),
        migrations.RunPython(copy_partners, copy_partners_back),
        migrations.RemoveField(model_name="event", name="partners"),
        migrations.AddField(
            model_name="event",
            name="partners",
            field=models.ManyToManyField(
                blank=True,
                related_name="partner_events",
                through="events.EventPartner",
                to="contacts.organisation",
                verbose_name="Partner (z. B. Hochschulen)",
            ),
        ),
        # a real invitation record
        migrations.CreateModel(
            name="EventInvitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254, verbose_name="E-Mail")),
                ("message", models.TextField(blank=True, verbose_name="Persönliche Nachricht")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="eingeladen am")),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="invitations", to="events.event"
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="eingeladen von",
                    ),
                ),
                (
                    "mail",
                    models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to="core.outgoingmail"
                    ),
                ),
            ],
            options={
                "verbose_name": "Einladung",
                "verbose_name_plural": "Einladungen",
                "ordering": ["created_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("event", "email"), name="events_one_invitation_per_email")
                ],
            },
        ),
        migrations.RunPython(invitations_from_mail_log, migrations.RunPython.noop),
        # how a partner seat was proven; the never-set "invited" flag goes
        migrations.RemoveField(model_name="registration", name="invited"),
        migrations.AddField(
            model_name="registration",
            name="partner_proof",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "–"),
                    ("code", "Partnercode"),
                    ("domain", "E-Mail-Adresse des Partners"),
                    ("staff", "vom Team bestätigt"),
                ],
                default="",
                max_length=10,
                verbose_name="Nachweis Partnerorganisation",
            ),
        ),
    ]
