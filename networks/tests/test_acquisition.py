"""Acquisition: stages with reasons for steps back, joining makes a member, the board without JavaScript,
the one-pager by mail, due steps on the start page and by mail."""

import datetime
import io

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from contacts.models import OrganisationRole
from core.figures import figures_for_year
from core.models import OutgoingMail
from core.timeline import timeline_for_organisation
from events.tests.factories import RegistrationFactory, event_with_audience
from networks import services
from networks.models import NetworkMeeting, NetworkMembership, Prospect, ProspectActivity, Support
from networks.services import NetworksRefused
from networks.tests.factories import MembershipFactory, NetworkFactory, ProspectFactory
from testing.factories import OrganisationFactory, PersonFactory
from testing.mail import deliver_queued_mail

pytestmark = pytest.mark.django_db


def test_a_prospect_moved_backwards_without_a_reason_is_refused_and_stays_where_it_was(login, staff):
    prospect = ProspectFactory(stage=Prospect.Stage.INTERESTED)
    client = login(staff)
    board = reverse("networks:prospect_board")
    response = client.post(
        reverse("networks:prospect_move", args=[prospect.pk]), {"stage": "contacted", "reason": "", "next": board}
    )
    assert response.status_code == 302 and response["Location"] == board
    page = client.get(board).content.decode()
    assert "Ein Schritt zurück von „interessiert“ nach „kontaktiert“ braucht eine Begründung." in page
    prospect.refresh_from_db()
    assert prospect.stage == Prospect.Stage.INTERESTED
    assert not prospect.activities.filter(kind=ProspectActivity.Kind.MOVED).exists()
    services.prospect_move(prospect=prospect, stage="contacted", reason="Ansprechpartner gewechselt", by=staff)
    prospect.refresh_from_db()
    assert prospect.stage == "contacted"
    assert prospect.activities.get(kind="moved").reason == "Ansprechpartner gewechselt"


def test_leaving_an_outcome_needs_a_reason_too():
    prospect = ProspectFactory(stage=Prospect.Stage.DECLINED)
    with pytest.raises(NetworksRefused) as error:
        services.prospect_move(prospect=prospect, stage=Prospect.Stage.JOINED)
    assert error.value.code == "reason_required"


def test_joined_makes_the_company_a_member_shown_on_the_network_its_timeline_and_the_figures(staff, company_a):
    network = NetworkFactory(name="Industrieverbund Münsterland")
    person = PersonFactory(email="chefin@firma-a.example")
    OrganisationRole.objects.create(person=person, organisation=company_a, kind="managing_director")
    prospect = services.prospect_create(
        organisation=company_a, network=network, contact_name="Chefin", contact_email="chefin@firma-a.example"
    )
    for stage in ("contacted", "interested", "joined"):
        services.prospect_move(prospect=prospect, stage=stage, by=staff)
    membership = NetworkMembership.objects.get(network=network, organisation=company_a)
    assert membership.joined_on == timezone.localdate() and list(membership.contact_persons.all()) == [person]
    year = timezone.localdate().year
    figures = figures_for_year(year, "networks.")
    assert figures["networks.new_members"] == 1 and figures["networks.acquisition_joined"] == 1
    titles = [entry.title for entry in timeline_for_organisation(company_a)]
    assert "Mitglied im Industrieverbund Münsterland (Mitglied)" in titles
    assert "Akquise für Industrieverbund Münsterland: interessiert → beigetreten" in titles
    # a correction on the same day takes the membership back
    services.prospect_move(prospect=prospect, stage="interested", reason="versehentlich", by=staff)
    assert not NetworkMembership.objects.filter(network=network, organisation=company_a).exists()


def test_joining_the_initiative_makes_a_member_for_this_year(company_a):
    prospect = ProspectFactory(network=None, organisation=company_a, stage=Prospect.Stage.INTERESTED)
    services.prospect_move(prospect=prospect, stage="joined")
    support = Support.objects.get(organisation=company_a)
    assert (support.year, support.kind) == (timezone.localdate().year, Support.Kind.MEMBER)


def test_a_second_running_prospect_or_one_for_a_member_is_refused(company_a):
    network = NetworkFactory()
    services.prospect_create(organisation=company_a, network=network)
    with pytest.raises(NetworksRefused, match="läuft bereits"):
        services.prospect_create(organisation=company_a, network=network)
    other = NetworkFactory()
    MembershipFactory(network=other, organisation=company_a)
    with pytest.raises(NetworksRefused, match="bereits Mitglied"):
        services.prospect_create(organisation=company_a, network=other)


def test_the_board_works_without_javascript_and_with_htmx(login, staff, company_a):
    prospect = ProspectFactory(organisation=company_a, responsible=staff, next_step="Anrufen")
    client = login(staff)
    board = reverse("networks:prospect_board") + f"?fuer={prospect.network.slug}"
    page = client.get(board)
    columns = {column.stage: column.prospects for column in page.context["columns"]}
    assert columns["identified"] == [prospect] and columns["joined"] == []
    assert f'action="{reverse("networks:prospect_move", args=[prospect.pk])}"' in page.content.decode()
    response = client.post(reverse("networks:prospect_move", args=[prospect.pk]), {"stage": "contacted", "next": board})
    assert response["Location"] == board
    partial = client.get(board, HTTP_HX_REQUEST="true")
    assert partial.content.decode().startswith('<div id="board">')
    assert "Firma A Maschinenbau: kontaktiert." in partial.content.decode()
    assert partial["Vary"] == "HX-Request" or "HX-Request" in partial["Vary"]
    outside = client.post(
        reverse("networks:prospect_move", args=[prospect.pk]), {"stage": "interested", "next": "https://evil.example/"}
    )
    assert outside["Location"] == prospect.get_absolute_url()


def test_the_one_pager_is_made_from_the_networks_data_and_delivered_by_mail(
    login, staff, smtp_server, settings, tmp_path
):
    from pypdf import PdfReader

    settings.MEDIA_ROOT = tmp_path
    network = NetworkFactory(name="Industrieverbund Westmünsterland", region="Kreis Borken", topic="Ausbildung")
    network.responsible = staff
    network.save()
    for name in ("Terhechte Fördertechnik", "Brüggemann Kunststofftechnik"):
        MembershipFactory(network=network, organisation=OrganisationFactory(name=name))
    held, audience = event_with_audience(
        title="Sommertreffen Westmünsterland", status="held",
        starts_at=timezone.make_aware(datetime.datetime(2020, 7, 9, 17)),
    )  # fmt: skip
    RegistrationFactory.create_batch(3, audience=audience)
    upcoming, _audience = event_with_audience(
        title="Neujahrstreffen Westmünsterland", status="published",
        starts_at=timezone.make_aware(datetime.datetime(timezone.localdate().year + 1, 1, 21, 17)),
    )  # fmt: skip
    for event in (held, upcoming):
        NetworkMeeting.objects.create(network=network, event_id=event.pk)
    prospect = ProspectFactory(network=network, contact_name="Petra Prospekt", contact_email="petra@prospekt.example")

    response = login(staff).post(
        reverse("networks:prospect_onepager", args=[prospect.pk]),
        {"to": "petra@prospekt.example", "message": "Wie am Telefon besprochen."},
    )
    assert response.status_code == 302
    row = OutgoingMail.objects.get(reference=f"networks.prospect:{prospect.pk}")
    assert row.to_email == "petra@prospekt.example"
    deliver_queued_mail()
    (message,) = smtp_server.messages
    assert message["To"] == "petra@prospekt.example"
    plain = message.get_body(("plain",)).get_content()
    assert "Guten Tag Petra Prospekt," in plain and "anbei erhalten Sie unseren One-Pager" in plain
    assert "Wie am Telefon besprochen." in plain
    assert "Industrieverbund Westmünsterland" in message.get_body(("html",)).get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == f"onepager-{network.slug}.pdf"
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in (
        "Industrieverbund Westmünsterland", "Kreis Borken", "Terhechte Fördertechnik", "Brüggemann Kunststofftechnik",
        "1 Treffen durchgeführt", "09.07.2020: Sommertreffen Westmünsterland",
        f"21.01.{timezone.localdate().year + 1}, 17:00 Uhr: Neujahrstreffen Westmünsterland", "team@example.org",
    ):  # fmt: skip
        assert expected in text, expected
    prospect.refresh_from_db()
    assert prospect.stage == Prospect.Stage.CONTACTED
    titles = [entry.title for entry in timeline_for_organisation(prospect.organisation)]
    assert "One-Pager „Industrieverbund Westmünsterland“ an petra@prospekt.example gesendet" in titles


def test_the_initiatives_one_pager_lists_members_sponsors_and_logos_that_may_be_shown(login, staff, settings, tmp_path):
    from pypdf import PdfReader

    from networks.tests.factories import SupportFactory, png_bytes

    settings.MEDIA_ROOT = tmp_path
    year = timezone.localdate().year
    shown = SupportFactory(organisation=OrganisationFactory(name="Sendker Stahlbau"), year=year, kind="sponsor")
    SupportFactory(organisation=OrganisationFactory(name="Wigger Messtechnik"), year=year)
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.logo_save(
        organisation=shown.organisation, image=SimpleUploadedFile("logo.png", png_bytes()), public=True,
        consent_source="E-Mail vom 03.02.2020", by=staff,
    )  # fmt: skip
    response = login(staff).get(reverse("networks:initiative_onepager"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "Industrie-Initiative" in text and "Sendker Stahlbau" in text and "Wigger Messtechnik" in text
    assert len(reader.pages[0].images) == 1  # only the logo that may be shown


def test_a_bad_address_for_the_one_pager_is_refused_and_nothing_is_sent(login, staff):
    prospect = ProspectFactory()
    response = login(staff).post(reverse("networks:prospect_onepager", args=[prospect.pk]), {"to": "kein-empfänger"})
    assert response.status_code == 400
    assert not OutgoingMail.objects.exists() and not prospect.activities.exists()


def test_due_steps_are_on_the_responsible_persons_start_page_and_mailed_once(login, staff, lead):
    today = timezone.localdate()
    due = ProspectFactory(responsible=staff, next_step="Rückruf", next_step_due=today - datetime.timedelta(days=1))
    ProspectFactory(responsible=staff, next_step="Später", next_step_due=today + datetime.timedelta(days=30))
    ProspectFactory(responsible=lead, next_step="Nicht meins", next_step_due=today)
    page = login(staff).get(reverse("core:start")).content.decode()
    assert "Rückruf" in page and "Später" not in page and "Nicht meins" not in page
    assert services.prospects_remind_due(today=today) == 2  # one mail per responsible person
    assert services.prospects_remind_due(today=today) == 0
    deliver_queued_mail()
    mine = [m for m in django_mail.outbox if m.to == ["team@example.org"]]
    assert len(mine) == 1 and due.organisation.name in mine[0].body
    services.prospect_update(
        prospect=due, contact_name="", contact_email="", responsible=staff, next_step="Rückruf",
        next_step_due=today, notes="",
    )  # fmt: skip
    assert services.prospects_remind_due(today=today) == 1  # a new date, a new reminder
