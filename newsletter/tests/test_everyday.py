"""Everyday use of the newsletter (issue 19): the welcome mail after confirming, the personal-area
section, the sign-up on the home page, the staff start page, and pages without inline styles or
scripts (the platform's Content-Security-Policy allows neither)."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingMail
from core.personal import personal_sections_for
from core.startpage import home_blocks_for, start_blocks_for
from newsletter import services
from newsletter.access import confirmation_value
from newsletter.models import Delivery, Issue, Subscriber, SubscriberImport
from newsletter.tests.factories import IssueFactory, NewsletterListFactory, SubscriberFactory
from testing.mail import deliver_queued_mail

pytestmark = pytest.mark.django_db


def _confirmed(email="lena@example.org", name="Lena Leserin"):
    newsletter_list = NewsletterListFactory()
    services.subscriber_signup(newsletter_list=newsletter_list, email=email, name=name)
    pending = Subscriber.objects.get(email=email)
    return services.subscriber_confirm(value=confirmation_value(pending))


# --- the welcome mail ------------------------------------------------------------------------------


def test_a_confirmed_subscriber_gets_a_welcome_mail_with_their_preferences_link(mailoutbox):
    subscriber = _confirmed()
    mail = OutgoingMail.objects.get(template="newsletter_welcome")
    preferences = settings.SITE_URL + reverse("newsletter:preferences", args=[subscriber.token])
    assert mail.to_email == "lena@example.org" and "Industrie-Newsletter" in mail.subject
    assert preferences in mail.body_text and preferences in mail.body_html
    assert reverse("newsletter:unsubscribe", args=[subscriber.token]) in mail.body_text
    deliver_queued_mail()
    welcome = next(message for message in mailoutbox if "Willkommen" in message.subject)
    assert welcome.alternatives and "Guten Tag Lena Leserin" in welcome.body


def test_the_confirmation_mail_itself_carries_no_management_link():
    newsletter_list = NewsletterListFactory()
    services.subscriber_signup(newsletter_list=newsletter_list, email="lena@example.org")
    pending = Subscriber.objects.get()
    mail = OutgoingMail.objects.get(template="newsletter_confirm")
    assert pending.token not in mail.body_text  # the welcome mail is the first to carry it


# --- the personal area -----------------------------------------------------------------------------


def _section(email):
    return next(items for section, items in personal_sections_for(email) if section.key == "newsletter")


def test_a_subscription_shows_with_its_consent_and_the_actions_it_allows(client):
    subscriber = _confirmed()
    (item,) = _section("LENA@example.org")
    assert item.title == "Industrie-Newsletter" and item.status == "aktiv"
    assert item.detail.startswith(f"Einwilligung vom {timezone.localdate():%d.%m.%Y}")
    actions = {action.label: action for action in item.actions}
    assert actions["Einstellungen"].url == reverse("newsletter:preferences", args=[subscriber.token])
    assert actions["Meine Daten (JSON)"].download
    assert actions["Abmelden"].method == "post"
    client.post(actions["Abmelden"].url)
    (item,) = _section("lena@example.org")
    assert item.status == "abgemeldet"
    assert [action.label for action in item.actions] == ["Wieder abonnieren"]


def test_an_unconfirmed_sign_up_shows_no_management_link():
    newsletter_list = NewsletterListFactory()
    services.subscriber_signup(newsletter_list=newsletter_list, email="lena@example.org")
    pending = Subscriber.objects.get()
    (item,) = _section("lena@example.org")
    assert item.status == "unbestätigt" and item.actions == () and item.url == ""
    assert pending.token not in repr(item)


def test_the_newsletter_section_reads_in_one_query(django_assert_num_queries):
    for slug in ("industrie", "energie", "portal"):
        SubscriberFactory(newsletter_list=NewsletterListFactory(slug=slug, name=slug), email="lena@example.org")
    from newsletter.personal import subscriptions

    with django_assert_num_queries(1):
        assert len(subscriptions("lena@example.org")) == 3


# --- the home page's sign-up -------------------------------------------------------------------------


def _home() -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return "".join(home_blocks_for(request))


def test_the_home_page_sign_up_posts_to_the_lists_own_sign_up(client):
    newsletter_list = NewsletterListFactory()
    html = _home()
    action = reverse("newsletter:subscribe", args=[newsletter_list.slug])
    assert f'action="{action}"' in html and newsletter_list.consent_wording in html
    names = set(re.findall(r'name="([a-z_]+)"', html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]))
    assert names == {"csrfmiddlewaretoken", "email", "language", "consent"}
    response = client.post(action, {"email": "neu@example.org", "language": "de", "consent": "on"})
    assert response.status_code == 302
    assert Subscriber.objects.get(email="neu@example.org").status == Subscriber.Status.PENDING
    assert OutgoingMail.objects.filter(template="newsletter_confirm", to_email="neu@example.org").exists()


def test_a_home_page_sign_up_without_consent_gets_the_sign_up_page_with_the_reason(client):
    newsletter_list = NewsletterListFactory()
    response = client.post(reverse("newsletter:subscribe", args=[newsletter_list.slug]), {"email": "neu@example.org"})
    assert response.status_code == 400
    assert "Ohne Ihre Einwilligung können wir Sie nicht eintragen." in response.content.decode()
    assert not Subscriber.objects.exists()


def test_no_sign_up_block_without_a_public_list():
    NewsletterListFactory(is_public=False)
    assert "abonnieren" not in _home()


# --- the staff start page ---------------------------------------------------------------------------


def test_staff_see_issues_scheduled_or_sending_and_imports_waiting(staff):
    newsletter_list = NewsletterListFactory()
    when = timezone.now() + datetime.timedelta(days=2)
    scheduled = IssueFactory(newsletter_list=newsletter_list, status=Issue.Status.SCHEDULED, scheduled_at=when)
    sending = IssueFactory(newsletter_list=newsletter_list, status=Issue.Status.SENDING, subject="Im Versand")
    for n, status in enumerate(["sent", "sent", "queued"]):
        subscriber = SubscriberFactory(newsletter_list=newsletter_list)
        Delivery.objects.create(issue=sending, subscriber=subscriber, email=subscriber.email, status=status,
                                message_id=f"<{n}@x>")  # fmt: skip
    batch = SubscriberImport.objects.create(newsletter_list=newsletter_list, filename="messe.csv", proof="Karten",
                                            created_by=staff)  # fmt: skip
    request = RequestFactory().get("/start/")
    request.user = staff
    html = "".join(start_blocks_for(request))
    assert reverse("newsletter:issue_detail", args=[scheduled.pk]) in html
    assert f"geplant für {timezone.localtime(when):%d.%m.%Y %H:%M} Uhr" in html
    assert "wird versandt, 2 von 3 Empfängern erreicht" in html
    assert "1 Import wartet auf Bestätigung" in html and reverse("newsletter:import_preview", args=[batch.pk]) in html


# --- pages without inline styles and scripts (Content-Security-Policy) -------------------------------

PAGE_TEMPLATES = [
    path
    for app in ("advisory", "events", "newsletter")
    for path in (Path(settings.BASE_DIR) / app / "templates").rglob("*.html")
    if "mail" not in path.parts  # mails need inline styles; no browser applies the site's CSP to them
]


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=lambda path: f"{path.parts[-3]}/{path.name}")
def test_pages_have_no_inline_style_script_or_event_handler(path):
    text = path.read_text()
    assert " style=" not in text
    assert not re.search(r"<script(?![^>]*\bsrc=)", text)
    assert not re.search(r"\son[a-z]+=", text)
