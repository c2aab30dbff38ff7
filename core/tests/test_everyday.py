"""Everyday use (issue 19): the public home page, the personal area, the "send me my links" mail and
the staff start page that answers "what needs me today"."""

import re
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.tests.helpers import link_in, run_queued_tasks
from advisory.tests.factories import book, make_day
from contacts.models import ImportBatch
from core.models import OutgoingMail
from core.personal import LINKS_MAX_AGE, LINKS_SALT, personal_links_token
from core.tasks import personal_links_mail
from core.views import LINK_REQUESTS_PER_HOUR
from events.tests.factories import RegistrationFactory, event_with_audience
from networks.models import PostImport
from networks.tests.factories import CampaignFactory
from newsletter.tests.factories import NewsletterListFactory, SubscriberFactory

LINKS_URL = reverse("core:personal_links")


def _text(response) -> str:
    """The page as a reader sees it: tags removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def pupil_things(public_user, expert):
    """A pupil's event registration, consultation-day booking and newsletter subscription."""
    event, audience = event_with_audience(title="Meet the Future", quota=20)
    RegistrationFactory(audience=audience, email=public_user.email, first_name="Sam", last_name="Schüler")
    day = make_day(expert, count=3)
    book(day, email=public_user.email, name="Sam Schüler")
    SubscriberFactory(email=public_user.email)
    return {"event": event, "day": day}


@pytest.fixture
def request_links(client, django_capture_on_commit_callbacks):
    cache.clear()  # the per-visitor throttle starts at zero

    def request(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(LINKS_URL, {"email": email}, **extra)
        run_queued_tasks(personal_links_mail)
        return response

    return request


@pytest.mark.django_db
def test_an_expert_with_a_doctor_title_is_greeted_by_name_not_by_title(client, expert):
    """ "Willkommen, Dr." appeared on the start page: the first word of "Dr. Erika Expert"."""
    client.force_login(expert)
    page = _text(client.get(reverse("core:start")))
    assert "Willkommen, Dr. Erika Expert" in page
    assert not re.search(r"Willkommen, Dr\.(?! Erika)", page)


@pytest.mark.django_db
def test_the_home_page_shows_events_free_consultation_days_search_co2_calculator_and_newsletter(client, expert):
    event_with_audience(title="Tag der Industrie", quota=30)
    day = make_day(expert, count=2)
    NewsletterListFactory(is_public=True)
    response = client.get(reverse("core:home"))
    page = _text(response)
    html = response.content.decode()
    assert "Tag der Industrie" in page and "noch 30 Plätze frei" in page
    assert day.series.name in page and "noch 2 Termine frei" in page
    assert f'action="{reverse("portal:search")}"' in html and 'type="search"' in html
    assert f'action="{reverse("climate:calculator")}"' in html and "Erdgas" in page
    assert "Industrie-Newsletter abonnieren" in page
    assert "Meine Links zusenden" in page


@pytest.mark.django_db
def test_the_home_page_shows_a_place_taken_or_a_day_booked_up_on_the_very_next_visit(client, expert):
    """The home blocks are rendered once per process and key (core.fragments): the free places are
    part of the key, so a registration or the last booking shows at once, never the earlier page."""
    event, audience = event_with_audience(title="Tag der Industrie", quota=30)
    day = make_day(expert, count=1)
    before = _text(client.get(reverse("core:home")))
    assert "noch 30 Plätze frei" in before and day.series.name in before and "noch 1 Termin frei" in before

    RegistrationFactory(audience=audience)
    book(day, email="letzter@example.org")
    after = _text(client.get(reverse("core:home")))
    assert "noch 29 Plätze frei" in after and "noch 30 Plätze frei" not in after
    assert day.series.name not in after  # booked up: no longer offered

    event.title = "Tag der Industrie 2027"
    event.save()
    assert "Tag der Industrie 2027" in _text(client.get(reverse("core:home")))


@pytest.mark.django_db
def test_every_visitor_signs_up_from_the_home_page_with_their_own_csrf_token():
    """The cached newsletter block must not carry the first visitor's token to everyone else."""
    from django.test import Client

    newsletter_list = NewsletterListFactory(is_public=True)
    action = reverse("newsletter:subscribe", args=[newsletter_list.slug])
    tokens = []
    for n in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get(reverse("core:home")).content.decode()
        form = html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        tokens.append(token)
        response = visitor.post(
            action, {"csrfmiddlewaretoken": token, "email": f"neu{n}@example.org", "language": "de", "consent": "on"}
        )
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


@pytest.mark.django_db
def test_a_visitor_switches_the_language_from_a_page_whose_own_form_and_cached_header_share_one_token():
    """The header is a cached fragment, the alert box on the search page is not: both carry the same
    masked token, and it is accepted."""
    from django.test import Client

    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(reverse("portal:search")).content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1 and html.count("csrfmiddlewaretoken") >= 2
    response = visitor.post(
        reverse("set_language"), {"csrfmiddlewaretoken": tokens.pop(), "language": "en", "next": "/"}
    )
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_the_personal_area_lists_registrations_bookings_and_subscriptions_with_their_actions(
    client, public_user, pupil_things
):
    client.force_login(public_user)
    response = client.get(reverse("core:personal"))
    assert response.status_code == 200
    page = _text(response)
    assert f"Willkommen, {public_user.full_name}" in page
    assert "Meet the Future" in page and "Anmeldung stornieren" in page and "Kalenderdatei (.ics)" in page
    assert pupil_things["day"].series.name in page and "Buchung stornieren" in page and "Termin verschieben" in page
    assert "Industrie-Newsletter" in page and "Abmelden" in page and "Einwilligung vom" in page
    assert "Meine Daten herunterladen (JSON)" in page


@pytest.mark.django_db
def test_send_me_my_links_answers_alike_for_known_and_unknown_addresses_and_mails_only_the_known(
    client, public_user, pupil_things, request_links
):
    known = request_links(public_user.email.upper())
    unknown = request_links("niemand@example.org")
    assert known.status_code == unknown.status_code == 200
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", known.content.decode()) == strip.sub("", unknown.content.decode())
    assert "erhalten Sie in wenigen Minuten eine E-Mail" in _text(known)

    (mail,) = OutgoingMail.objects.filter(template="personal_links")
    assert mail.to_email == public_user.email and mail.subject == "Ihre Anmeldungen, Buchungen und Newsletter"
    assert "Meet the Future" in mail.body_text and "Der Link gilt 7 Tage." in mail.body_text

    client.logout()
    overview = client.get(link_in(mail))
    assert overview.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in overview["Cache-Control"].split(",")}
    page = _text(overview)
    assert public_user.email in page and "Meet the Future" in page and "Abmelden" in page
    export = client.get(reverse("core:personal_overview_export", args=[link_in(mail).split("/")[-2]]))
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]


@pytest.mark.django_db
def test_send_me_my_links_with_a_bad_address_says_so_and_mails_nothing(client, request_links):
    response = request_links("kein-at-zeichen")
    assert response.status_code == 400
    assert "gültige E-Mail-Adresse" in _text(response)
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_send_me_my_links_stops_a_flood_from_one_address_and_to_one_mailbox(
    client, public_user, pupil_things, request_links
):
    for _ in range(LINK_REQUESTS_PER_HOUR):
        assert request_links(public_user.email).status_code == 200
    assert OutgoingMail.objects.filter(template="personal_links").count() == 3  # per mailbox and hour
    refused = request_links(public_user.email)
    assert refused.status_code == 429 and "Zu viele Anfragen" in _text(refused)
    other_visitor = request_links(public_user.email, REMOTE_ADDR="192.0.2.7")
    assert other_visitor.status_code == 200
    assert OutgoingMail.objects.filter(template="personal_links").count() == 3


@pytest.mark.django_db
def test_an_expired_or_altered_overview_link_offers_a_new_one(client, public_user, pupil_things):
    token = personal_links_token(public_user.email)
    assert "Meet the Future" in _text(client.get(reverse("core:personal_overview", args=[token])))
    altered = client.get(reverse("core:personal_overview", args=[token[:-2] + "xx"]))
    assert altered.status_code == 410 and "Meet the Future" not in _text(altered)
    with mock.patch("time.time", return_value=time.time() - LINKS_MAX_AGE - 60):
        token = personal_links_token(public_user.email)
    expired = client.get(reverse("core:personal_overview", args=[token]))
    assert expired.status_code == 410 and "Dieser Link gilt nicht mehr" in _text(expired)
    assert "Meet the Future" not in _text(expired)
    other_purpose = signing.dumps(public_user.email, salt=LINKS_SALT + ".other")
    assert client.get(reverse("core:personal_overview", args=[other_purpose])).status_code == 410


@pytest.mark.django_db
def test_the_staff_start_page_shows_failed_mails_and_imports_waiting(client, staff):
    OutgoingMail.objects.create(
        to_email="weg@example.org", from_email="x@example.org", subject="Ihre Buchung", status="failed",
        template="booking", last_error="550 mailbox unavailable",
    )  # fmt: skip
    ImportBatch.objects.create(filename="messe-kontakte.xlsx", created_by=staff)
    ImportBatch.objects.create(filename="erledigt.csv", status=ImportBatch.Status.DONE, created_at=timezone.now())
    PostImport.objects.create(campaign=CampaignFactory(name="Azubimojis"), filename="instagram-maerz.csv")
    client.force_login(staff)
    page = _text(client.get(reverse("core:start")))
    assert "1 E-Mail nicht zugestellt" in page and "550 mailbox unavailable" in page
    assert "Importe warten auf Bestätigung" in page and "messe-kontakte.xlsx" in page
    assert "erledigt.csv" not in page
    assert "Reichweiten-Importe warten auf Bestätigung" in page and "instagram-maerz.csv" in page


@pytest.mark.django_db
def test_a_pupils_start_page_shows_their_own_things_and_leads_to_the_personal_area(client, public_user, pupil_things):
    client.force_login(public_user)
    page = _text(client.get(reverse("core:start")))
    assert "Veranstaltungen: Meet the Future (bestätigt)" in page
    assert f"Sprechtage: {pupil_things['day'].series.name}" in page
    assert "Alle ansehen, stornieren, verschieben, abbestellen" in page


@pytest.mark.django_db
def test_a_pupil_sees_no_staff_blocks_on_the_start_page(client, public_user):
    OutgoingMail.objects.create(to_email="weg@example.org", from_email="x@example.org", subject="S", status="failed")
    client.force_login(public_user)
    page = _text(client.get(reverse("core:start")))
    assert "nicht zugestellt" not in page and "Meine Anmeldungen, Buchungen und Newsletter" in page
