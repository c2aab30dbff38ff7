"""Networks: state with its history, members with contact persons, meetings with attendance, the dormant flag,
the overview with its chart, memberships in the CRM."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import OrganisationRole
from core.figures import figures_for_year
from events.tests.factories import RegistrationFactory, event_with_audience
from networks import services
from networks.models import Network, NetworkMeeting, NetworkMembership, StateChange, Support
from networks.services import NetworksRefused
from networks.tests.factories import MembershipFactory, NetworkFactory, SupportFactory
from testing.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _held_meeting(network, *, day, mode="in_person", people=3, checked_in=True, status="held"):
    start = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 17))
    event, audience = event_with_audience(title=f"Treffen {network.name}", starts_at=start, mode=mode, status=status)
    for _ in range(people):
        RegistrationFactory(audience=audience, checked_in_at=start if checked_in else None)
    NetworkMeeting.objects.create(network=network, event_id=event.pk)
    return event


def test_a_network_keeps_its_state_history_with_date_and_reason(staff):
    network = services.network_create(
        name="Industrieverbund Kreis Coesfeld", state=Network.State.ACTIVE, since=datetime.date(2015, 1, 1), by=staff
    )
    services.network_change_state(
        network=network, state=Network.State.DORMANT, changed_on=datetime.date(2018, 6, 30),
        reason="Sprecher ausgeschieden", by=staff,
    )  # fmt: skip
    change = services.network_change_state(
        network=network, state=Network.State.FOUNDING, changed_on=datetime.date(2020, 9, 15),
        reason="Reaktivierung begonnen", by=staff,
    )  # fmt: skip
    assert change.is_reactivation
    network.refresh_from_db()
    assert (network.state, network.state_since) == (Network.State.FOUNDING, datetime.date(2020, 9, 15))
    history = list(network.state_changes.values_list("previous_state", "state", "reason"))
    assert history == [
        ("", "active", "angelegt"), ("active", "dormant", "Sprecher ausgeschieden"),
        ("dormant", "founding", "Reaktivierung begonnen"),
    ]  # fmt: skip
    figures = figures_for_year(2020, "networks.")
    assert figures["networks.reactivated"] == 1
    assert figures["networks.state.founding"] == 1 and figures["networks.state.dormant"] == 0
    assert figures_for_year(2019, "networks.")["networks.state.dormant"] == 1


def test_a_state_change_without_a_reason_or_before_the_last_one_is_refused():
    network = NetworkFactory(state_since=datetime.date(2020, 5, 1))
    with pytest.raises(NetworksRefused) as error:
        services.network_change_state(
            network=network, state="dormant", changed_on=datetime.date(2020, 6, 1), reason=" "
        )
    assert error.value.field == "reason"
    with pytest.raises(NetworksRefused) as error:
        services.network_change_state(
            network=network, state="dormant", changed_on=datetime.date(2020, 4, 1), reason="x"
        )
    assert "vor dem letzten Statuswechsel" in error.value.message
    assert StateChange.objects.filter(network=network).count() == 1


def test_staff_see_the_refusal_of_a_state_change_at_the_field(login, staff):
    network = NetworkFactory()
    response = login(staff).post(
        reverse("networks:network_state", args=[network.pk]), {"state": "dormant", "changed_on": "2020-06-01"}
    )
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_a_membership_period_that_ends_before_it_starts_is_refused_and_nothing_changes(login, staff, company_a):
    membership = MembershipFactory(organisation=company_a, joined_on=datetime.date(2019, 3, 1))
    response = login(staff).post(
        reverse("networks:membership_edit", args=[membership.pk]),
        {"role": "spokesperson", "joined_on": "2019-03-01", "left_on": "2018-12-31"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Die Mitgliedschaft endet am 31.12.2018 und damit vor ihrem Beginn am 01.03.2019" in page
    membership.refresh_from_db()
    assert (membership.role, membership.left_on) == ("member", None)


def test_an_initiative_period_that_ends_before_it_starts_is_refused_and_nothing_is_stored(login, staff, company_a):
    response = login(staff).post(
        reverse("networks:support_add_for", args=[company_a.pk]),
        {"year": "2020", "kind": "sponsor", "level": "gold", "contribution": "2500", "starts_on": "2020-12-31",
         "ends_on": "2020-01-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "endet am 01.01.2020 und damit vor ihrem Beginn am 31.12.2020" in response.content.decode()
    assert not Support.objects.exists()


def test_members_with_contact_persons_and_a_second_membership_is_refused(company_a):
    network = NetworkFactory()
    person = PersonFactory(first_name="Maria", last_name="Kontakt")
    OrganisationRole.objects.create(person=person, organisation=company_a, kind="managing_director")
    stranger = PersonFactory()
    with pytest.raises(NetworksRefused) as error:
        services.membership_add(network=network, organisation=company_a, contact_persons=[stranger])
    assert error.value.field == "contact_persons"
    membership = services.membership_add(network=network, organisation=company_a, contact_persons=[person])
    assert list(membership.contact_persons.all()) == [person]
    with pytest.raises(NetworksRefused) as error:
        services.membership_add(network=network, organisation=company_a)
    assert "bereits Mitglied" in error.value.message


def test_the_network_page_shows_members_meetings_attendance_and_a_chart(login, staff, company_a):
    network = NetworkFactory(name="Industrieverbund Westmünsterland")
    person = PersonFactory(first_name="Maria", last_name="Kontakt", email="maria@firma-a.example")
    OrganisationRole.objects.create(person=person, organisation=company_a, kind="managing_director")
    services.membership_add(network=network, organisation=company_a, role="spokesperson", contact_persons=[person])
    _held_meeting(network, day=datetime.date(2020, 7, 9), people=14)
    _held_meeting(network, day=datetime.date(2020, 11, 12), mode="online", people=9, checked_in=False)
    page = login(staff).get(reverse("networks:network_detail", args=[network.pk])).content.decode()
    assert "Firma A Maschinenbau" in page and "Sprecher/-in" in page and "maria@firma-a.example" in page
    assert "09.07.2020" in page and "12.11.2020" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "Teilnehmende je Treffen" in page
    figures = figures_for_year(2020, "networks.meetings")
    assert figures["networks.meetings_in_person"] == 1 and figures["networks.meetings_online"] == 1


def test_the_overview_shows_state_members_last_meeting_and_attendance_over_time(login, staff):
    active = NetworkFactory(name="Industrieverbund Münsterland")
    MembershipFactory.create_batch(3, network=active)
    MembershipFactory(network=active, left_on=datetime.date(2020, 1, 31))
    _held_meeting(active, day=datetime.date(2020, 5, 20), people=12)
    _held_meeting(active, day=datetime.date(2020, 8, 27), people=7)
    NetworkFactory(name="Industrieverbund Steinfurt", state=Network.State.DORMANT)
    response = login(staff).get(reverse("networks:overview"))
    rows = {row.network.name: row for row in response.context["overview"].rows}
    assert rows["Industrieverbund Münsterland"].members == 3
    assert rows["Industrieverbund Münsterland"].last_meeting.starts_at.date() == datetime.date(2020, 8, 27)
    assert rows["Industrieverbund Steinfurt"].network.get_state_display() == "ruhend"
    chart_rows = response.context["overview"].chart_rows
    assert chart_rows[0] == ("05/20", 1, 12) and chart_rows[-1] == ("08/20", 1, 7) and len(chart_rows) == 4
    page = response.content.decode()
    assert "Teilnehmende an Treffen der Industrieverbünde je Monat" in page
    filtered = login(staff).get(reverse("networks:overview"), {"status": "dormant"}).context["overview"].rows
    assert [row.network.name for row in filtered] == ["Industrieverbund Steinfurt"]


def test_dormant_for_twelve_months_is_flagged_by_itself_and_cleared_by_a_meeting():
    today = timezone.localdate()
    quiet = NetworkFactory(name="Stiller Verbund", state_since=today - datetime.timedelta(days=800))
    _held_meeting(quiet, day=today - datetime.timedelta(days=400))
    lively = NetworkFactory(name="Lebendiger Verbund", state_since=today - datetime.timedelta(days=800))
    _held_meeting(lively, day=today - datetime.timedelta(days=30))
    new = NetworkFactory(name="Neuer Verbund", state=Network.State.FOUNDING, state_since=today)
    dormant = NetworkFactory(
        name="Ruhender Verbund", state=Network.State.DORMANT, state_since=datetime.date(2015, 1, 1)
    )
    assert services.networks_flag_dormant(today=today) == (1, 0)
    flagged = set(Network.objects.filter(dormant_flagged_on__isnull=False).values_list("name", flat=True))
    assert flagged == {"Stiller Verbund"}
    assert new.pk and dormant.pk
    event, _audience = event_with_audience(starts_at=timezone.now() - datetime.timedelta(days=2), status="held")
    services.meeting_link(network=quiet, event_id=event.pk)
    quiet.refresh_from_db()
    assert quiet.dormant_flagged_on is None


def test_planning_a_meeting_creates_a_draft_event_of_the_events_module(login, staff):
    from events import selectors as event_selectors

    network = NetworkFactory(name="Industrieverbund Emscher-Lippe")
    response = login(staff).post(
        reverse("networks:meeting_plan", args=[network.pk]),
        {"title": "Netzwerktreffen Emscher-Lippe", "starts_at": "2030-03-05T17:00", "ends_at": "2030-03-05T19:00",
         "mode": "online", "online_url": ""},
    )  # fmt: skip
    assert response.status_code == 400 and "Zugangslink" in response.content.decode()
    response = login(staff).post(
        reverse("networks:meeting_plan", args=[network.pk]),
        {"title": "Netzwerktreffen Emscher-Lippe", "starts_at": "2030-03-05T17:00", "ends_at": "2030-03-05T19:00",
         "mode": "hybrid", "online_url": "https://meet.example/el", "venue_name": "Hochschule Gelsenkirchen",
         "venue_street": "Neidenburger Str. 43", "venue_postcode": "45897", "venue_city": "Gelsenkirchen"},
    )  # fmt: skip
    meeting = NetworkMeeting.objects.get(network=network)
    assert response.status_code == 302 and response["Location"] == reverse("events:staff_edit", args=[meeting.event_id])
    (event,) = event_selectors.events_with_attendance([meeting.event_id])
    assert (event.kind, event.status, event.mode) == ("network_meeting", "draft", "hybrid")
    assert event.venue == "Hochschule Gelsenkirchen, Neidenburger Str. 43, 45897 Gelsenkirchen"


def test_staff_filter_the_crm_list_by_membership_and_network_and_the_organisation_page_shows_them(
    login, staff, company_a, company_b
):
    network = NetworkFactory(name="Industrieverbund Münsterland", slug="muensterland")
    MembershipFactory(network=network, organisation=company_a, role=NetworkMembership.Role.SPOKESPERSON)
    SupportFactory(organisation=company_b, year=timezone.localdate().year, kind=Support.Kind.SPONSOR)
    university = OrganisationFactory(name="Fachhochschule Münster")
    services.partnership_save(organisation=university, since=datetime.date(2018, 9, 1), until=None)
    client = login(staff)
    list_url = reverse("contacts:organisation_list")

    def names(params):
        return [row.name for row in client.get(list_url, params).context["page"].rows]

    assert names({"verbund": "muensterland"}) == ["Firma A Maschinenbau"]
    assert names({"mitgliedschaft": "verbund-sprecher"}) == ["Firma A Maschinenbau"]
    assert names({"mitgliedschaft": "initiative-foerderer"}) == ["Firma B Kunststofftechnik"]
    assert names({"mitgliedschaft": "hochschule"}) == ["Fachhochschule Münster"]
    export = client.get(reverse("contacts:organisation_export"), {"verbund": "muensterland"})
    assert "Firma A" in b"".join(export.streaming_content).decode("utf-8-sig")
    page = client.get(reverse("contacts:organisation_detail", args=[company_a.pk])).content.decode()
    assert "Mitgliedschaften" in page and "Industrieverbund Münsterland: Sprecher/-in seit 01.03.2019" in page
    assert "Mitglied im Industrieverbund Münsterland (Sprecher/-in)" in page  # the timeline


def test_network_and_member_lists_export_as_csv_and_xlsx(login, staff):
    network = NetworkFactory(name="Industrieverbund Münsterland")
    MembershipFactory(network=network, organisation=OrganisationFactory(name="=HYPERLINK(böse)"))
    client = login(staff)
    csv = client.get(reverse("networks:overview_export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Industrieverbund Münsterland;" in csv and "aktiv" in csv
    members = client.get(reverse("networks:member_export", args=[network.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(böse)" in members  # formula neutralised
    xlsx = client.get(reverse("networks:member_export", args=[network.pk]), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
