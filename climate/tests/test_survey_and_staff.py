import datetime
import random
from decimal import Decimal

import factory
import pytest
from django.core.management import call_command
from django.urls import reverse

from climate import services
from climate.models import PolicyTalk, Publication, SurveyInvitation, SurveySubmission
from climate.selectors import regional_demand
from climate.tests.factories import PolicyTalkFactory, PublicationFactory, SurveySubmissionFactory
from climate.tests.test_views import download_rows
from contacts.models import Organisation
from core.models import OutgoingMail
from core.privacy import DataSubject, personal_data_erase, personal_data_export
from core.timeline import timeline_for_organisation
from testing.factories import DistrictFactory, OrganisationFactory
from testing.mail import deliver_queued_mail

pytestmark = pytest.mark.django_db


def _answer(**overrides):
    data = {"contact_name": "Eva Energie", "contact_email": "eva@firma.example", "natural_gas_kwh": "1.000.000",
            "heating_oil_l": "", "switch_year": str(datetime.date.today().year + 4), "switch_share": "50",
            "needs_connection": "on", "note": ""}  # fmt: skip
    data.update(overrides)
    return data


def test_invitation_mail_and_personal_link(client, staff, login, company_a, mailoutbox):
    staff_client = login(staff)
    response = staff_client.post(
        reverse("climate:survey_invite"),
        {"organisation": "Firma A Maschinenbau", "email": "Eva@Firma.example", "name": "Eva Energie", "language": "de"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("climate:survey_invite")
    invitation = SurveyInvitation.objects.get()
    mail = OutgoingMail.objects.get(reference=f"climate.survey_invitation:{invitation.pk}")
    assert mail.to_email == "eva@firma.example" and "Wasserstoff" in mail.subject
    deliver_queued_mail()
    message = mailoutbox[0]
    link = next(line for line in message.body.splitlines() if "/klima/umfrage/" in line).strip()
    assert message.alternatives and "/klima/umfrage/" in message.alternatives[0][0]
    staff_client.logout()
    path = link.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1:8000" in link else "/" + link.split("/", 3)[-1]
    assert client.get(path).status_code == 200
    response = client.post(path, _answer())
    assert response.status_code == 200, response.content.decode()[:2000]
    submission = SurveySubmission.objects.get()
    assert submission.organisation == company_a and submission.invitation == invitation
    assert submission.h2_demand_t == Decimal("13.546")  # 1 GWh × 0.903 / 33.33 × 50 % / 1000
    entries = timeline_for_organisation(company_a)
    assert any("Umfrage beantwortet" in e.title for e in entries)


def test_bad_survey_input_stores_nothing(client, company_a):
    invitation = SurveyInvitation.objects.create(organisation=company_a, email="eva@firma.example")
    path = reverse("climate:survey_token", kwargs={"token": services.survey_token(invitation)})
    for bad in ({"natural_gas_kwh": "-3"}, {"natural_gas_kwh": "abc"}, {"natural_gas_kwh": "", "heating_oil_l": ""},
                {"switch_share": "0"}, {"switch_year": "1999"}, {"natural_gas_kwh": "2000000000000"}):  # fmt: skip
        response = client.post(path, _answer(**bad))
        assert response.status_code == 400, bad
        assert 'class="error' in response.content.decode() or "form-errors" in response.content.decode()
    assert not SurveySubmission.objects.exists()


def test_tampered_or_revoked_link_is_refused(client, company_a):
    invitation = SurveyInvitation.objects.create(organisation=company_a, email="eva@firma.example")
    token = services.survey_token(invitation)
    assert client.get(reverse("climate:survey_token", kwargs={"token": token + "x"})).status_code == 404
    invitation.revoked_at = datetime.datetime.now(datetime.UTC)
    invitation.save()
    assert client.get(reverse("climate:survey_token", kwargs={"token": token})).status_code == 404


def test_editor_answers_for_their_company_and_a_new_answer_supersedes(editor_a, company_a, login):
    c = login(editor_a)
    assert c.get(reverse("climate:survey")).status_code == 200
    assert c.post(reverse("climate:survey"), _answer()).status_code == 200
    assert c.post(reverse("climate:survey"), _answer(switch_share="100")).status_code == 200
    assert SurveySubmission.objects.filter(organisation=company_a).count() == 2
    current = SurveySubmission.objects.get(is_current=True)
    assert current.switch_share == 100 and current.submitted_by == editor_a


def test_regional_aggregation_by_district_and_sector(staff, login):
    borken, coesfeld = DistrictFactory(name="Borken"), DistrictFactory(name="Coesfeld")
    a = OrganisationFactory(district=borken, wz_code="24.10")
    b = OrganisationFactory(district=borken, wz_code="23.61")
    c = OrganisationFactory(district=coesfeld, wz_code="24.10")
    SurveySubmissionFactory(organisation=a, switch_year=2028, h2_demand_t=Decimal("10"))
    SurveySubmissionFactory(organisation=b, switch_year=2030, h2_demand_t=Decimal("5"))
    SurveySubmissionFactory(organisation=c, switch_year=2030, h2_demand_t=Decimal("2"))
    SurveySubmissionFactory(organisation=c, switch_year=2027, h2_demand_t=Decimal("99"), is_current=False)
    demand = regional_demand()
    assert demand.years == [2028, 2030]
    rows = {r.label: r for r in demand.districts}
    assert rows["Borken"].by_year == [Decimal("10"), Decimal("15")] and rows["Borken"].companies == 2
    assert rows["Coesfeld"].by_year == [Decimal("0"), Decimal("2")]
    sectors = {r.key: r for r in demand.sectors}
    assert sectors["C"].full_t == Decimal("17")
    assert demand.total.full_t == Decimal("17")
    c_client = login(staff)
    page = c_client.get(reverse("climate:survey_overview"), {"district": borken.pk})
    assert page.status_code == 200 and "Borken" in page.content.decode()
    rows = download_rows(c_client.get(reverse("climate:survey_export")))
    assert rows[0][-1] == "kumuliert 2030 (t)"
    assert ["Kreis", "Borken", "2", "15,000", "10,000", "15,000"] in rows
    assert rows[-1][:4] == ["Summe", "", "3", "17,000"]


def test_privacy_export_and_erase_keep_the_figures(company_a):
    submission = SurveySubmissionFactory(organisation=company_a, contact_email="eva@firma.example", note="privat")
    SurveyInvitation.objects.create(organisation=company_a, email="eva@firma.example")
    exported = personal_data_export(DataSubject(email="EVA@firma.example"))
    assert exported["climate"]["hydrogen_survey"][0]["contact_name"] == "Eva Energie"
    personal_data_erase(DataSubject(email="eva@firma.example"))
    submission.refresh_from_db()
    assert submission.contact_email == "" and submission.note == "" and submission.contact_name == "anonymisiert"
    assert submission.h2_demand_t == Decimal("27.093")
    assert not SurveyInvitation.objects.exists()


def test_policy_talks_and_publications(staff, login, client):
    c = login(staff)
    response = c.post(
        reverse("climate:talk_create"),
        {
            "date": "2020-03-05",
            "institution": "Landtag NRW",
            "people": "MdL A, MdL B",
            "topic": "BEHG",
            "outcome": "gut",
        },
    )
    assert response.status_code == 302 and PolicyTalk.objects.get().created_by == staff
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = c.post(
        reverse("climate:publication_create"),
        {
            "title": "Kurzstudie Emissionshandel",
            "kind": "study",
            "published_on": "2020-07-01",
            "authors": "ISI",
            "summary": "",
            "is_public": "on",
            "file": SimpleUploadedFile("studie.pdf", b"%PDF-1.4 x", "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bad = c.post(
        reverse("climate:publication_create"),
        {
            "title": "x",
            "kind": "study",
            "published_on": "2020-07-01",
            "file": SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream"),
        },
    )
    assert bad.status_code == 400
    publication = Publication.objects.get()
    c.logout()
    assert "Kurzstudie Emissionshandel" in client.get(reverse("climate:publications")).content.decode()
    download = client.get(reverse("climate:publication_file", kwargs={"pk": publication.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_figures_for_2020(capsys):
    PolicyTalkFactory.create_batch(3)
    PublicationFactory.create_batch(2)
    services.calculator_use_count(today=datetime.date(2020, 5, 3))
    services.calculator_use_count(today=datetime.date(2020, 5, 20))
    services.calculator_use_count(today=datetime.date(2020, 6, 1))
    submission = SurveySubmissionFactory(h2_demand_t=Decimal("12.5"))
    SurveySubmission.objects.filter(pk=submission.pk).update(
        created_at=datetime.datetime(2020, 11, 1, tzinfo=datetime.UTC)
    )
    call_command("figures", "--year", "2020", "--prefix", "climate.")
    out = capsys.readouterr().out
    assert "climate.calculator_uses" in out and "climate.policy_talks" in out
    from core.figures import figures_for_year

    values = figures_for_year(2020, "climate.")
    assert values["climate.calculator_uses"] == 3
    assert values["climate.policy_talks"] == 3
    assert values["climate.publications"] == 2
    assert values["climate.survey_submissions"] == 1
    assert values["climate.regional_h2_demand_t"] == Decimal("12.5")


def test_demo_builder_is_idempotent():
    from climate.demo import build

    DistrictFactory(name="Borken")
    for number in range(5):
        OrganisationFactory(member_number=f"NW{number:06d}")
    build(random.Random(1))
    counts = (PolicyTalk.objects.count(), Publication.objects.count(), SurveySubmission.objects.count())
    assert counts == (5, 2, Organisation.objects.count())
    build(random.Random(2))
    assert (PolicyTalk.objects.count(), Publication.objects.count(), SurveySubmission.objects.count()) == counts


def test_staff_dashboard_shows_monthly_calculator_uses(staff, login):
    services.calculator_use_count(today=datetime.date(2020, 5, 3))
    services.calculator_use_count(today=datetime.date(2020, 5, 4))
    page = login(staff).get(reverse("climate:staff_dashboard"), {"jahr": "2020"}).content.decode()
    assert "Mai 2020" in page and "climate.calculator_uses" in page


def test_invitation_page_does_not_list_every_organisation(staff, login):
    OrganisationFactory.create_batch(40, name=factory.Sequence(lambda n: f"Listenfirma {n}"))
    page = login(staff).get(reverse("climate:survey_invite")).content.decode()
    assert "Listenfirma" not in page  # typed and suggested, not one select with every organisation
    assert 'list="id_organisation_options"' in page and "/kontakte/organisationen/vorschlaege/" in page


def test_staff_pick_the_company_by_typing_and_invite_one_after_another(staff, login, company_a, company_b):
    OrganisationFactory(name="Firma A Maschinenbau Nord")
    client = login(staff)
    ambiguous = client.post(reverse("climate:survey_invite"),
                            {"organisation": "Firma A", "email": "eva@firma.example", "language": "de"})  # fmt: skip
    page = ambiguous.content.decode()
    assert ambiguous.status_code == 400 and "Mehrere Organisationen passen" in page
    assert not SurveyInvitation.objects.exists()
    unknown = client.post(reverse("climate:survey_invite"),
                          {"organisation": "Gibt es nicht", "email": "eva@firma.example", "language": "de"})  # fmt: skip
    assert unknown.status_code == 400 and "Keine Organisation gefunden" in unknown.content.decode()
    first = client.post(reverse("climate:survey_invite"),
                        {"organisation": "Firma A Maschinenbau", "email": "eva@firma.example", "language": "de"})  # fmt: skip
    assert first.status_code == 302
    second = client.post(reverse("climate:survey_invite"), {"organisation": "Firma B Kunststofftechnik",
                                                             "email": "ben@firma-b.example", "language": "en"},
                         follow=True)  # fmt: skip
    page = second.content.decode()
    assert "Die Einladung an ben@firma-b.example (Firma B Kunststofftechnik) ist verschickt." in page
    assert 'name="organisation"' in page and "eva@firma.example" in page and "ben@firma-b.example" in page
    assert {(i.organisation, i.language) for i in SurveyInvitation.objects.all()} == {(company_a, "de"),
                                                                                        (company_b, "en")}  # fmt: skip
