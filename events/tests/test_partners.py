"""Partner seats need proof (issue 12, item 18): a partner code, an address at the partner's
e-mail domain, or staff approval. The public form no longer lists the partners to pick from."""

import pytest
from django.urls import reverse

from core.errors import ServiceError
from core.models import OutgoingMail
from events import services
from events.models import EventPartner, Registration
from events.services import RegistrationInput, RegistrationRefused
from events.tests.factories import meet_the_boss, run_first_mails
from testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
S = Registration.Status
PROOF = {"code": "FHMS-2030", "email_domain": "fh-muenster.de"}


@pytest.fixture
def university():
    return OrganisationFactory(name="Fachhochschule Münster")


@pytest.fixture
def mtb(university):
    event, _bosses, students = meet_the_boss(partner=university, partner_proof=PROOF)
    return event, students


def register(event, audience, email="stud@example.org", **kwargs):
    data = RegistrationInput(audience_id=audience.pk, email=email, first_name="Sina", last_name="Student", **kwargs)
    return services.registration_create(event=event, data=data)


def test_public_form_no_longer_lists_partners_to_pick(client, mtb):
    event, _students = mtb
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert 'id="partner-list"' not in page and "<datalist" not in page
    assert "Partner: Fachhochschule" not in page  # no help text offering the names
    assert 'name="partner_code"' in page


def test_student_who_only_types_the_partners_name_waits_for_approval(mtb, university):
    event, students = mtb
    registration = register(event, students, organisation_name="Fachhochschule Münster")
    assert registration.status == S.PENDING and registration.partner_proof == ""
    run_first_mails()
    mail = OutgoingMail.objects.get(reference=f"events.registration:{registration.pk}")
    assert "geprüft" in mail.body_text and mail.attachments == []


def test_partner_code_gives_a_seat(mtb, university):
    event, students = mtb
    registration = register(event, students, partner_code="  fhms-2030 ")
    assert registration.status == S.CONFIRMED
    assert registration.partner_proof == Registration.PartnerProof.CODE and registration.organisation == university


def test_address_at_the_partners_domain_gives_a_seat(mtb, university):
    event, students = mtb
    assert register(event, students, email="sina@fh-muenster.de").status == S.CONFIRMED
    sub = register(event, students, email="tom@stud.fh-muenster.de")
    assert sub.status == S.CONFIRMED and sub.partner_proof == Registration.PartnerProof.DOMAIN
    lookalike = register(event, students, email="eve@evil-fh-muenster.de")
    assert lookalike.status == S.PENDING  # "evil-fh-muenster.de" is not the partner's domain


def test_wrong_partner_code_is_refused_and_nothing_changes(client, mtb):
    event, students = mtb
    with pytest.raises(RegistrationRefused, match="Partnercode ist nicht gültig") as refusal:
        register(event, students, partner_code="RATEN-123")
    assert isinstance(refusal.value, ServiceError) and refusal.value.field == "partner_code"
    response = client.post(
        reverse("events:detail", args=[event.slug]),
        {"audience": students.pk, "first_name": "S", "last_name": "S", "email": "s@example.org",
         "partner_code": "RATEN-123", "join_waiting_list": "on"},
    )  # fmt: skip
    assert response.status_code == 400 and "Partnercode ist nicht gültig" in response.content.decode()
    assert not Registration.objects.exists() and not OutgoingMail.objects.exists()


def test_code_of_another_event_gives_no_seat(mtb, university):
    event, students = mtb
    other, _bosses, _students = meet_the_boss(partner=university, partner_proof={"code": "ANDERS-1"})
    with pytest.raises(RegistrationRefused):
        register(event, students, partner_code="ANDERS-1")


def test_staff_approval_is_recorded_as_the_proof(mtb):
    event, students = mtb
    registration = register(event, students)
    services.registration_decide(registration=registration, approve=True)
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED and registration.partner_proof == Registration.PartnerProof.STAFF


def test_freed_partner_seat_accepted_without_proof_still_waits_for_approval(university):
    event, _bosses, students = meet_the_boss(partner=university, partner_proof=PROOF, student_quota=1)
    seated = register(event, students, email="a@fh-muenster.de")
    waiting = register(event, students, email="b@example.org")
    assert waiting.status == S.WAITING
    services.registration_cancel(registration=seated)
    waiting.refresh_from_db()
    services.registration_accept_offer(registration=waiting)
    waiting.refresh_from_db()
    assert waiting.status == S.PENDING


def test_general_audience_needs_no_proof(mtb):
    event, _students = mtb
    bosses = event.audiences.get(role="boss")
    assert register(event, bosses, partner_code="egal").status == S.CONFIRMED


def test_staff_set_partner_code_and_domain(login, staff, mtb):
    event, _students = mtb
    partnership = EventPartner.objects.get(event=event)
    client = login(staff)
    page = client.get(reverse("events:staff_detail", args=[event.pk])).content.decode()
    assert "FHMS-2030" in page and "fh-muenster.de" in page
    url = reverse("events:staff_partners", args=[event.pk])
    short = client.post(url, {f"code_{partnership.pk}": "abc", f"domain_{partnership.pk}": ""})
    assert short.status_code == 400 and "zu kurz" in short.content.decode()
    bad_domain = client.post(url, {f"code_{partnership.pk}": "", f"domain_{partnership.pk}": "kein domain"})
    assert bad_domain.status_code == 400 and "keine E-Mail-Domain" in bad_domain.content.decode()
    partnership.refresh_from_db()
    assert partnership.code == "FHMS-2030"  # nothing changed
    response = client.post(url, {f"code_{partnership.pk}": "NEU-2031", f"domain_{partnership.pk}": "@FH-Muenster.de"})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.code, partnership.email_domain) == ("NEU-2031", "fh-muenster.de")


def test_two_partners_cannot_share_a_code(mtb):
    event, _students = mtb
    other = EventPartner.objects.create(event=event, organisation=OrganisationFactory(name="Westfälische Hochschule"))
    first = EventPartner.objects.get(event=event, code="FHMS-2030")
    with pytest.raises(RegistrationRefused, match="denselben Partnercode"):
        services.event_partners_update(
            event=event, proofs={first.pk: ("GLEICH-1", ""), other.pk: ("gleich-1", "w-hs.de")}
        )
    first.refresh_from_db()
    assert first.code == "FHMS-2030"


def test_saving_the_event_keeps_the_partners_proof(mtb, university):
    event, _students = mtb
    services.event_save(event=event, partners=[university], organisers=[])
    assert EventPartner.objects.get(event=event).code == "FHMS-2030"
    services.event_save(event=event, partners=[], organisers=[])
    assert not EventPartner.objects.filter(event=event).exists()
