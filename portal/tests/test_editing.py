"""Editors keep their entry; staff review, roll back, invite and remind."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Consent
from contacts.selectors import consent_is_given
from core.errors import StateConflict
from core.models import OutgoingMail
from events.models import Event
from events.tests.factories import EventFactory
from portal import services
from portal.models import ChangeRequest, CompanyProfile, Offer, ProfileViewCount
from portal.tests.factories import ContactFactory, OfferFactory, occupation
from testing.mail import deliver_queued_mail

pytestmark = pytest.mark.django_db


def _profile_post(profile, **overrides):
    data = {
        "name": profile.name, "short_description": "Wir bauen Förderanlagen.", "description": "<p>Seit 1950.</p>",
        "sector": "metall", "employees": "120", "founded_year": "1950", "website": "https://example.org",
        "linkedin_url": "", "instagram_url": "", "facebook_url": "", "youtube_url": "",
        "occupations": [occupation().pk],
    }  # fmt: skip
    data.update(overrides)
    return data


def test_editor_change_goes_live_at_once_without_review(login, editor_a, portal_a, client):
    editor = login(editor_a)
    response = editor.post(reverse("portal:profile_edit", args=[portal_a.pk]), _profile_post(portal_a))
    assert response.status_code == 302
    portal_a.refresh_from_db()
    assert portal_a.short_description == "Wir bauen Förderanlagen."
    assert list(portal_a.occupations.values_list("name", flat=True)) == ["Mechatroniker/-in"]
    record = portal_a.history.latest()
    assert record.history_user == editor_a
    # the search index follows
    assert "forderanlag" in CompanyProfile.objects.get(pk=portal_a.pk).search_stems


def test_with_review_on_the_change_waits_for_staff(client, editor_a, staff, portal_a, login):
    portal_a.review_required = True
    portal_a.save()
    editor = login(editor_a)
    editor.post(reverse("portal:profile_edit", args=[portal_a.pk]), _profile_post(portal_a, short_description="Neu!"))
    portal_a.refresh_from_db()
    assert portal_a.short_description != "Neu!"
    change = ChangeRequest.objects.get(profile=portal_a)
    assert change.status == ChangeRequest.Status.PENDING and change.author == editor_a
    client.logout()
    assert "Neu!" not in client.get(reverse("portal:company_detail", args=[portal_a.slug])).content.decode()

    staff_client = login(staff)
    assert "Neu!" in staff_client.get(reverse("portal:staff_reviews")).content.decode()
    staff_client.post(reverse("portal:staff_review_decide", args=[change.pk]), {"decision": "approve"})
    portal_a.refresh_from_db()
    change.refresh_from_db()
    assert portal_a.short_description == "Neu!" and change.status == ChangeRequest.Status.APPROVED
    assert portal_a.history.latest().history_user == editor_a  # the author, not the reviewer
    # deciding twice is refused
    with pytest.raises(StateConflict, match="bereits entschieden"):
        services.change_approve(change=change, by=staff)
    response = staff_client.post(reverse("portal:staff_review_decide", args=[change.pk]), {"decision": "reject"})
    assert "bereits entschieden" in staff_client.get(response.url).content.decode()
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED


def test_offers_under_review_and_rejection(login, editor_a, staff, portal_a):
    portal_a.review_required = True
    portal_a.save()
    editor = login(editor_a)
    data = {
        "kind": "ausbildung", "occupation": occupation().pk, "title": "", "site": "", "contact": "",
        "start_date": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(), "places": "3",
        "requirements": "", "how_to_apply": "", "is_active": "on",
    }  # fmt: skip
    editor.post(reverse("portal:offer_create", args=[portal_a.pk]), data)
    assert not Offer.objects.exists()
    change = ChangeRequest.objects.get()
    services.change_reject(change=change, by=staff, note="Bitte Voraussetzungen angeben")
    assert not Offer.objects.exists()
    editor.post(reverse("portal:offer_create", args=[portal_a.pk]), data)
    services.change_approve(change=ChangeRequest.objects.get(status="pending"), by=staff)
    offer = Offer.objects.get()
    assert offer.places == 3 and offer.is_public


def test_staff_see_history_with_author_and_roll_back(login, editor_a, staff, portal_a):
    editor = login(editor_a)
    editor.post(
        reverse("portal:profile_edit", args=[portal_a.pk]), _profile_post(portal_a, short_description="Erste Fassung")
    )
    editor.post(
        reverse("portal:profile_edit", args=[portal_a.pk]),
        _profile_post(portal_a, short_description="Kaputt", occupations=[]),
    )
    staff_client = login(staff)
    page = staff_client.get(reverse("portal:staff_history", args=[portal_a.pk]))
    body = page.content.decode()
    assert editor_a.email in body or editor_a.full_name in body
    assert "Kurzbeschreibung" in body
    good = portal_a.history.filter(short_description="Erste Fassung").latest()
    staff_client.post(reverse("portal:staff_rollback", args=[portal_a.pk, "profil", good.history_id]))
    portal_a.refresh_from_db()
    assert portal_a.short_description == "Erste Fassung"
    assert list(portal_a.occupations.values_list("name", flat=True)) == ["Mechatroniker/-in"]


def test_a_deleted_offer_can_be_brought_back(login, editor_a, staff, portal_a):
    offer = OfferFactory(profile=portal_a, author=editor_a)
    login(editor_a).post(reverse("portal:offer_delete", args=[offer.pk]))
    assert not Offer.objects.filter(pk=offer.pk).exists()
    record = Offer.history.filter(id=offer.pk, history_type="+").get()
    login(staff).post(reverse("portal:staff_rollback", args=[portal_a.pk, "angebot", record.history_id]))
    assert Offer.objects.get(pk=offer.pk).slug == offer.slug


def test_rollback_of_another_companys_record_is_404(login, staff, portal_a, portal_b):
    record = portal_b.history.earliest()
    response = login(staff).post(reverse("portal:staff_rollback", args=[portal_a.pk, "profil", record.history_id]))
    assert response.status_code == 404


def test_staff_invite_an_editor_by_mail(login, staff, portal_a, mailoutbox):
    response = login(staff).post(
        reverse("portal:staff_invite", args=[portal_a.pk]),
        {"full_name": "Rita Redakteurin", "email": "rita@firma-a.example", "language": "de"},
    )
    assert response.status_code == 302
    assert portal_a.organisation.editors.filter(user__email="rita@firma-a.example").exists()
    assert OutgoingMail.objects.filter(to_email="rita@firma-a.example", template="invitation").exists()
    deliver_queued_mail()
    assert portal_a.organisation.name in mailoutbox[0].body


def test_editors_are_reminded_after_six_months_once(editor_a, portal_a, mailoutbox):
    CompanyProfile.objects.filter(pk=portal_a.pk).update(touched_at=timezone.now() - datetime.timedelta(days=200))
    assert services.editors_remind_stale() == 1
    assert services.editors_remind_stale() == 0  # not again
    mail = OutgoingMail.objects.get(template="portal_reminder")
    assert mail.to_email == editor_a.email and portal_a.name in mail.subject
    deliver_queued_mail()
    message = mailoutbox[0]
    assert message.alternatives and reverse("portal:editor_dashboard", args=[portal_a.pk]) in message.body
    # a fresh edit restarts the clock; the next reminder comes six months later
    CompanyProfile.objects.filter(pk=portal_a.pk).update(touched_at=timezone.now())
    later = timezone.now() + datetime.timedelta(days=190)
    assert services.editors_remind_stale(now=later) == 1


def test_recently_edited_entries_get_no_reminder(editor_a, portal_a):
    assert services.editors_remind_stale() == 0


def _invitations_to(*emails):
    return OutgoingMail.objects.filter(to_email__in=emails)


def test_staff_invite_all_editors_to_an_upcoming_event(login, staff, editor_a, editor_b, portal_a, portal_b, settings):
    from testing.factories import OrganisationFactory, UserFactory, make_editor

    retired = make_editor(portal_a.organisation, "ehemalig@example.org")
    retired.is_active = False
    retired.save()
    no_portal = make_editor(OrganisationFactory(name="Ohne Portal GmbH"), "ohne-portal@example.org")
    bystander = UserFactory(email="jemand@example.org")
    event = EventFactory(title="Redakteurskonferenz 2027")
    staff_client = login(staff)
    assert "Redakteurskonferenz 2027" in staff_client.get(reverse("portal:staff_event_invite")).content.decode()

    response = staff_client.post(
        reverse("portal:staff_event_invite"), {"event": event.pk, "message": "Wir zeigen die Neuerungen."}
    )
    assert response.status_code == 302
    everyone = [editor_a.email, editor_b.email, retired.email, no_portal.email, bystander.email]
    assert set(_invitations_to(*everyone).values_list("to_email", flat=True)) == {editor_a.email, editor_b.email}
    mail = _invitations_to(editor_a.email).get()
    assert settings.SITE_URL + event.get_absolute_url() in mail.body_text
    assert "Wir zeigen die Neuerungen." in mail.body_text and "Redakteurskonferenz 2027" in mail.subject
    page = staff_client.get(response.url).content.decode()
    assert "an 2 Redakteurinnen und Redakteure" in page
    # a second click invites nobody twice
    staff_client.post(reverse("portal:staff_event_invite"), {"event": event.pk, "message": ""})
    assert _invitations_to(*everyone).count() == 2


def test_editors_cannot_be_invited_to_a_draft_or_past_event(login, staff, editor_a, portal_a):
    draft = EventFactory(title="Noch geheim", status=Event.Status.DRAFT)
    past = EventFactory(title="Schon vorbei", starts_at=timezone.now() - datetime.timedelta(days=3))
    EventFactory(title="Redakteurskonferenz")
    staff_client = login(staff)
    page = staff_client.get(reverse("portal:staff_event_invite")).content.decode()
    assert "Redakteurskonferenz" in page and "Noch geheim" not in page and "Schon vorbei" not in page
    for event in (draft, past):
        response = staff_client.post(reverse("portal:staff_event_invite"), {"event": event.pk, "message": ""})
        assert response.status_code == 400 and "gültige Auswahl" in response.content.decode()
    assert not _invitations_to(editor_a.email).exists()


def test_an_event_cancelled_meanwhile_is_refused_with_a_message(staff, editor_a, portal_a):
    event = EventFactory(title="Redakteurskonferenz")
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    with pytest.raises(services.ChangeRefused, match="nicht mehr eingeladen"):
        services.editors_invite_to_event(event_id=event.pk, by=staff)
    assert not _invitations_to(editor_a.email).exists()


def test_only_consenting_contacts_are_published(client, portal_a, editor_a):
    shown = ContactFactory(profile=portal_a, consent=True, email="ja@example.org")
    hidden = ContactFactory(profile=portal_a, consent=False, email="nein@example.org")
    body = client.get(reverse("portal:company_detail", args=[portal_a.slug])).content.decode()
    assert shown.person.last_name in body and hidden.person.last_name not in body
    services.contact_remove(role=shown, profile=portal_a)
    body = client.get(reverse("portal:company_detail", args=[portal_a.slug])).content.decode()
    assert shown.person.last_name not in body


def test_contact_added_by_editor_records_consent_wording(login, editor_a, portal_a):
    response = login(editor_a).post(
        reverse("portal:contact_add", args=[portal_a.pk]),
        {
            "kind": "training",
            "first_name": "Tom",
            "last_name": "Trainer",
            "email": "tom@firma-a.example",
            "phone": "",
            "job_title": "",
            "consent": "on",
        },
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    consent = Consent.objects.get(email="tom@firma-a.example")
    assert consent.purpose == services.CONSENT_PURPOSE and "öffentlich angezeigt" in consent.wording
    assert editor_a.email in consent.source and consent.ip_address == "192.0.2.7"
    assert consent.organisation == portal_a.organisation and consent.person.last_name == "Trainer"


def test_editor_a_cannot_publish_a_contact_who_consented_only_for_company_b(
    login, editor_a, portal_a, portal_b, client
):
    ContactFactory(profile=portal_b, consent=True, email="pat@example.org")
    editor = login(editor_a)
    editor.post(
        reverse("portal:contact_add", args=[portal_a.pk]),
        {"kind": "training", "first_name": "Pat", "last_name": "Doppelt", "email": "pat@example.org", "phone": "",
         "job_title": ""},
    )  # fmt: skip
    dashboard = editor.get(reverse("portal:editor_dashboard", args=[portal_a.pk])).context["contacts"]
    assert [(role.person.last_name, published) for role, published in dashboard] == [("Doppelt", False)]
    client.logout()
    assert "Doppelt" not in client.get(reverse("portal:company_detail", args=[portal_a.slug])).content.decode()
    assert "pat@example.org" in client.get(reverse("portal:company_detail", args=[portal_b.slug])).content.decode()


def test_removing_a_contact_at_company_a_keeps_the_consent_given_for_company_b(
    login, editor_a, portal_a, portal_b, client
):
    at_a = ContactFactory(profile=portal_a, consent=True, email="pat@example.org")
    ContactFactory(profile=portal_b, consent=True, email="pat@example.org")
    login(editor_a).post(reverse("portal:contact_remove", args=[at_a.pk]))
    purpose = services.CONSENT_PURPOSE
    assert not consent_is_given(email="pat@example.org", purpose=purpose, organisation=portal_a.organisation)
    assert consent_is_given(email="pat@example.org", purpose=purpose, organisation=portal_b.organisation)
    client.logout()
    assert "pat@example.org" in client.get(reverse("portal:company_detail", args=[portal_b.slug])).content.decode()


def test_profile_views_are_counted_per_month_without_cookies(client, portal_a):
    for _ in range(3):
        response = client.get(reverse("portal:company_detail", args=[portal_a.slug]))
        assert set(response.cookies) <= {"csrftoken"}  # the language form's token; no session, no tracking
    row = ProfileViewCount.objects.get(profile=portal_a)
    assert row.views == 3 and row.month == timezone.localdate().replace(day=1)


def test_figures(portal_a, portal_b, editor_a, client):
    from core.figures import figures_for_year

    year = timezone.localdate().year
    OfferFactory(profile=portal_a, author=editor_a, start_date=datetime.date(year + 1, 8, 1))
    client.get(reverse("portal:company_detail", args=[portal_a.slug]))
    figures = figures_for_year(year, prefix="portal.")
    assert figures["portal.companies"] == 2
    assert figures["portal.editors_active"] == 1
    assert figures["portal.profile_views"] == 1
    assert figures_for_year(year + 1, prefix="portal.")["portal.offers"] == 1


def test_staff_pages_render(login, staff, portal_a, editor_a):
    staff_client = login(staff)
    OfferFactory(profile=portal_a, author=editor_a)
    for name, args in [("portal:staff_list", []), ("portal:staff_figures", []), ("portal:staff_profile", [portal_a.pk]),
                       ("portal:editor_dashboard", [portal_a.pk]), ("portal:staff_create", [])]:  # fmt: skip
        assert staff_client.get(reverse(name, args=args)).status_code == 200


def test_staff_create_profile_for_an_organisation(login, staff, company_a):
    response = login(staff).post(reverse("portal:staff_create"), {"organisation": company_a.pk})
    profile = CompanyProfile.objects.get(organisation=company_a)
    assert response.status_code == 302 and profile.slug == "firma-a-maschinenbau"
    assert profile.sites.get().is_main


def test_demo_builder_is_idempotent(monkeypatch, db):
    import random

    from contacts import demo as contacts_demo
    from portal import demo

    monkeypatch.setattr(contacts_demo, "DEMO_ORGANISATIONS", 6)
    monkeypatch.setattr(demo, "DEMO_PROFILES", 6)
    contacts_demo.build(random.Random(1))
    demo.build(random.Random(1))
    counts = (CompanyProfile.objects.count(), Offer.objects.count())
    assert counts[0] == 6 and counts[1] >= 6
    demo.build(random.Random(2))
    assert (CompanyProfile.objects.count(), Offer.objects.count()) == counts
