"""The initiative: logos (only real images, only shown with consent), the public supporters page, invitations to
its events, the lead's statement of contributions, partner universities."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingMail
from events.tests.factories import RegistrationFactory, event_with_audience, meet_the_boss
from networks import services
from networks.models import InitiativeEvent, Logo
from networks.services import NetworksRefused
from networks.tests.factories import SupportFactory, png_bytes
from testing.factories import OrganisationFactory, OrganisationRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    "filename, content",
    [
        ("logo.png", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"),  # a PDF renamed .png
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.jpg", b"GIF89a" + b"\x00" * 40),  # a broken GIF with a .jpg name
        ("logo.png", png_bytes()[:30]),  # a truncated PNG
    ],
)
def test_a_logo_that_is_not_an_image_is_refused_and_nothing_is_stored(login, staff, company_a, filename, content):
    response = login(staff).post(
        reverse("networks:logo_edit", args=[company_a.pk]),
        {"image": SimpleUploadedFile(filename, content), "public": "on", "consent_source": "E-Mail vom 03.02.2020"},
    )
    assert response.status_code == 400
    assert (
        "Die Datei ist kein Bild. Bitte laden Sie das Logo als PNG, JPEG oder WebP hoch." in response.content.decode()
    )
    assert not Logo.objects.exists()


def test_a_public_logo_needs_the_record_of_consent(company_a, staff):
    with pytest.raises(NetworksRefused) as error:
        services.logo_save(organisation=company_a, image=SimpleUploadedFile("l.png", png_bytes()), public=True)
    assert error.value.field == "consent_source" and not Logo.objects.exists()
    logo = services.logo_save(
        organisation=company_a, image=SimpleUploadedFile("l.png", png_bytes()), public=True,
        consent_source="E-Mail von Frau Muster vom 03.02.2020", by=staff,
    )  # fmt: skip
    assert logo.image.name.endswith(".png") and logo.consent_at is not None
    assert "E-Mail von Frau Muster" in logo.consent_source and "team@example.org" in logo.consent_source
    assert "öffentlich zeigt" in logo.consent_wording


def test_the_supporters_page_is_public_and_shows_only_those_who_agreed(client, staff):
    today = timezone.localdate()
    agreed = SupportFactory(
        organisation=OrganisationFactory(name="Sendker Stahlbau", website="https://sendker.example"),
        year=today.year, kind="sponsor", level="gold", starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31),
    )  # fmt: skip
    silent = SupportFactory(
        organisation=OrganisationFactory(name="Stille Firma"), year=today.year,
        starts_on=today.replace(month=1, day=1), ends_on=today.replace(month=12, day=31),
    )  # fmt: skip
    for support, public in ((agreed, True), (silent, False)):
        services.logo_save(
            organisation=support.organisation, image=SimpleUploadedFile("l.png", png_bytes()), public=public,
            consent_source="Vertrag" if public else "", by=staff,
        )  # fmt: skip
    page = client.get(reverse("networks:supporters")).content.decode()
    assert "Sendker Stahlbau" in page and 'alt="Logo von Sendker Stahlbau"' in page and "Gold" in page
    assert "Stille Firma" not in page


def test_members_and_sponsors_are_invited_to_an_initiative_event_once(login, staff):
    year = timezone.localdate().year
    person = PersonFactory(email="chef@sendker.example")
    support = SupportFactory(year=year, kind="sponsor")
    OrganisationRoleFactory(person=person, organisation=support.organisation)
    support.contact_persons.add(person)
    SupportFactory(year=year, organisation=OrganisationFactory(email="info@wigger.example"))
    event, _bosses, _students = meet_the_boss(status="published")
    InitiativeEvent.objects.create(event_id=event.pk)
    client = login(staff)
    response = client.post(
        reverse("networks:initiative_invite"), {"event": event.pk, "jahr": year, "message": "Bis bald"}
    )
    assert response.status_code == 302
    invited = OutgoingMail.objects.filter(template="event_invitation")
    assert set(invited.values_list("to_email", flat=True)) == {"chef@sendker.example", "info@wigger.example"}
    client.post(reverse("networks:initiative_invite"), {"event": event.pk, "jahr": year})
    assert invited.count() == 2
    page = client.get(reverse("networks:initiative")).content.decode()
    assert "Meet-the-Boss" in page


def test_inviting_to_an_event_that_is_not_the_initiatives_is_refused():
    event, _audience = event_with_audience(status="published")
    with pytest.raises(NetworksRefused, match="gehört nicht zur Initiative"):
        services.initiative_invite(event_id=event.pk, year=2020)


def test_the_initiative_page_counts_supporters_at_its_events():
    support = SupportFactory(year=2020)
    event, bosses, _students = meet_the_boss(
        status="held", starts_at=timezone.make_aware(datetime.datetime(2020, 9, 24, 17))
    )
    RegistrationFactory(audience=bosses, organisation=support.organisation)
    RegistrationFactory(audience=bosses, organisation=OrganisationFactory())
    InitiativeEvent.objects.create(event_id=event.pk)
    from networks.selectors import initiative_overview

    (row,) = initiative_overview(2020).events
    assert (row.event.registered, row.supporters_present) == (2, 1)


def test_the_statement_of_contributions_is_for_the_department_lead(login, staff, lead):
    SupportFactory(year=2020, kind="sponsor", level="gold", contribution=Decimal("2500.00"),
                   organisation=OrganisationFactory(name="Sendker Stahlbau", member_number="NW1"))  # fmt: skip
    SupportFactory(year=2020, contribution=Decimal("500.00"))
    SupportFactory(year=2019, contribution=Decimal("9999.00"))
    assert login(staff).get(reverse("networks:statement"), {"jahr": 2020}).status_code == 403
    page = login(lead).get(reverse("networks:statement"), {"jahr": 2020}).content.decode()
    assert "Summe: 3.000,00 €" in page and "2.500,00 €" in page
    csv = login(lead).get(reverse("networks:statement_export"), {"jahr": 2020}).content.decode("utf-8-sig")
    assert "Sendker Stahlbau;NW1;Förderer;Gold;2.500,00" in csv and "Summe;;;;3.000,00" in csv
    xlsx = login(lead).get(reverse("networks:statement_export"), {"jahr": 2020, "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_partner_universities_with_a_period(login, staff):
    university = OrganisationFactory(name="Westfälische Hochschule Gelsenkirchen")
    client = login(staff)
    response = client.post(
        reverse("networks:partnerships"),
        {"organisation": "Westfälische Hochschule", "since": "2019-03-01", "until": "2018-01-01"},
    )
    assert response.status_code == 400 and "Die Partnerschaft endet am 01.01.2018" in response.content.decode()
    client.post(reverse("networks:partnerships"), {"organisation": "Westfälische Hochschule", "since": "2019-03-01"})
    assert university.university_partnership.since == datetime.date(2019, 3, 1)
