"""Staff: lists, issues with items (order by numbers or buttons), pulling items in, preview, test send, import, figures."""

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import OutgoingMail
from newsletter import demo, selectors
from newsletter.models import Issue
from newsletter.tests.factories import (
    IssueFactory,
    ItemFactory,
    NewsletterListFactory,
    SubscriberFactory,
    active_subscribers,
)

pytestmark = pytest.mark.django_db


def test_issue_create_items_reorder_and_preview(login, staff):
    client = login(staff)
    newsletter_list = NewsletterListFactory()
    response = client.post(
        "/newsletter/verwaltung/ausgaben/neu/", {"newsletter_list": newsletter_list.pk, "subject": "Juni", "intro": ""}
    )
    issue = Issue.objects.get()
    assert response["Location"] == f"/newsletter/verwaltung/ausgaben/{issue.pk}/" and issue.number == 1
    for title in ("Erste", "Zweite", "Dritte"):
        client.post(
            f"/newsletter/verwaltung/ausgaben/{issue.pk}/meldung/neu/",
            {"title": title, "source": "Industrie-Initiative"},
        )
    first, second, third = issue.items.all()
    client.post(
        f"/newsletter/verwaltung/ausgaben/{issue.pk}/reihenfolge/",
        {f"position-{third.pk}": 1, f"position-{first.pk}": 2, f"position-{second.pk}": 3},
    )
    assert [i.title for i in issue.items.all()] == ["Dritte", "Erste", "Zweite"]
    client.post(f"/newsletter/verwaltung/meldungen/{second.pk}/verschieben/", {"direction": "up"})
    assert [i.title for i in issue.items.all()] == ["Dritte", "Zweite", "Erste"]
    page = client.get(f"/newsletter/verwaltung/ausgaben/{issue.pk}/vorschau/").content.decode()
    assert "Dritte" in page and 'src="?roh=html"' in page and "Textteil" in page
    assert "style=" not in page  # the page itself has no inline styles (the platform's CSP forbids them)
    raw = client.get(f"/newsletter/verwaltung/ausgaben/{issue.pk}/vorschau/?roh=html")
    assert "Dritte" in raw.content.decode()
    assert "sandbox" in raw["Content-Security-Policy"] and "script" not in raw["Content-Security-Policy"]
    assert raw["X-Frame-Options"] == "SAMEORIGIN"  # the preview page may frame it, nobody else


def test_test_send_goes_through_the_mail_queue_with_the_unsubscribe_headers(login, staff, smtp_server):
    from testing.mail import deliver_queued_mail

    issue = ItemFactory().issue
    subscriber = SubscriberFactory(newsletter_list=issue.newsletter_list, email="ich@example.org")
    response = login(staff).post(
        f"/newsletter/verwaltung/ausgaben/{issue.pk}/test/", {"addresses": "ich@example.org, kollege@example.org"}
    )
    assert response.status_code == 302
    assert OutgoingMail.objects.filter(reference=f"newsletter.issue_test:{issue.pk}").count() == 2
    deliver_queued_mail()
    mine = next(m for m in smtp_server.messages if m["To"] == "ich@example.org")
    assert mine["Subject"].startswith("[TEST]")
    # core.mail lets Django fold the long header; the parsed value then starts with the fold's blank
    assert mine["List-Unsubscribe"].strip() == f"<http://127.0.0.1:8000/newsletter/abmelden/{subscriber.token}/>"
    assert mine["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mine.get_body(("html",)) and mine.get_body(("plain",))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT  # a test send is not the send


def test_bad_test_addresses_and_sending_without_items(login, staff):
    client = login(staff)
    issue = IssueFactory()
    response = client.post(f"/newsletter/verwaltung/ausgaben/{issue.pk}/test/", {"addresses": "kaputt"})
    assert response.status_code == 400 and "keine gültige E-Mail-Adresse" in response.content.decode()
    response = client.post(f"/newsletter/verwaltung/ausgaben/{issue.pk}/senden/", {"confirm": "ja"}, follow=True)
    assert "ohne Meldungen" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_pull_an_upcoming_event_in(login, staff):
    from events.tests.factories import EventFactory

    event = EventFactory(title="Meet-the-Boss Münster", summary="Unternehmer treffen Studierende")
    issue = IssueFactory()
    login(staff).post(
        f"/newsletter/verwaltung/ausgaben/{issue.pk}/uebernehmen/", {"origin": f"events.event:{event.pk}"}
    )
    item = issue.items.get()
    assert (item.title, item.source, item.origin) == (
        "Meet-the-Boss Münster",
        "Veranstaltungen",
        f"events.event:{event.pk}",
    )
    assert "Unternehmer treffen Studierende" in item.teaser and item.link.endswith(event.get_absolute_url())


def test_bounce_reports_suppress_hard_bouncing_addresses(tmp_path):
    from newsletter.models import Delivery

    issue = ItemFactory().issue
    hard = SubscriberFactory(newsletter_list=issue.newsletter_list, email="weg@example.org")
    soft = SubscriberFactory(newsletter_list=issue.newsletter_list, email="voll@example.org")
    delivery = Delivery.objects.create(
        issue=issue, subscriber=hard, email=hard.email, status="sent", message_id="<nl.1.x.5@kammerwerk.example>"
    )

    def dsn(recipient, status, action):
        return (
            "From: MAILER-DAEMON@mx.example\r\nTo: industrie@kammerwerk.example\r\nSubject: Undelivered\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n"
            "--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
            "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
            f"Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n"
            "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
            "--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <nl.1.x.5@kammerwerk.example>\r\nSubject: x\r\n"
            "--B--\r\n"
        ).encode()

    (tmp_path / "hard.eml").write_bytes(dsn("weg@example.org", "5.1.1", "failed"))
    (tmp_path / "soft.eml").write_bytes(
        dsn("voll@example.org", "4.2.2", "delayed").replace(b"Message-ID: <nl.1.x.5@", b"Message-ID: <other@")
    )
    (tmp_path / "spam.eml").write_bytes(b"Subject: hello\r\n\r\nnot a report\r\n")
    out = io.StringIO()
    call_command(
        "newsletter_bounces",
        str(tmp_path / "hard.eml"),
        str(tmp_path / "soft.eml"),
        str(tmp_path / "spam.eml"),
        stdout=out,
    )
    assert "hard: 1" in out.getvalue() and "soft: 1" in out.getvalue() and "not a DSN: 1" in out.getvalue()
    hard.refresh_from_db()
    soft.refresh_from_db()
    delivery.refresh_from_db()
    assert hard.status == "bounced" and delivery.status == "bounced"
    assert soft.status == "active" and soft.soft_bounces == 1


def test_demo_figures_2020_and_idempotent():
    # the whole seed_demo is slow; contacts (small) and ours:
    from contacts import demo as contacts_demo

    contacts_demo.DEMO_ORGANISATIONS, saved = 40, contacts_demo.DEMO_ORGANISATIONS
    try:
        contacts_demo.build(rng=random.Random(1))
    finally:
        contacts_demo.DEMO_ORGANISATIONS = saved
    summary = demo.build(rng=random.Random("kammerwerk-demo-newsletter"))
    assert "Ausgaben" in summary
    assert demo.build(rng=random.Random("kammerwerk-demo-newsletter")) == "0 Abonnenten, 0 Ausgaben angelegt"
    out = io.StringIO()
    call_command("figures", "--year", "2020", "--prefix", "newsletter.", "--json", stdout=out)
    import json

    figures = json.loads(out.getvalue())
    assert figures["newsletter.subscribers"] > 400
    assert figures["newsletter.issues"] == 4  # September to December 2020
    assert figures["newsletter.items_initiative"] == 8  # two per issue
    assert figures["newsletter.first_issue_month"] == 202009
    assert figures["newsletter.mails_sent"] > 1000
    later = json.loads(
        (
            call_command("figures", "--year", "2025", "--prefix", "newsletter.", "--json", stdout=(o := io.StringIO())),
            o.getvalue(),
        )[1]
    )
    assert later["newsletter.subscribers"] > figures["newsletter.subscribers"]  # keeps growing
    newsletter_list = Issue.objects.first().newsletter_list
    series = selectors.subscriber_series(newsletter_list, datetime.date(2020, 9, 1), datetime.date(2020, 12, 31))
    assert series[-1].total == figures["newsletter.subscribers"]
    assert sum(row.confirmations for row in series) == figures["newsletter.subscribers_new"]
    issue = selectors.issues_with_stats(Issue.objects.filter(status="sent").order_by("sent_at"))[0]
    assert issue.n_sent > 100 and issue.n_items >= 3


def test_start_page_block_for_staff_only(login, staff, public_user):
    from django.urls import reverse

    ItemFactory(issue__subject="Dezember-Ausgabe")
    assert "Dezember-Ausgabe" in login(staff).get(reverse("core:start")).content.decode()
    assert "Dezember-Ausgabe" not in login(public_user).get(reverse("core:start")).content.decode()


# --- exports neutralise formulas, never cap (issue 12, item 5) ----------------------------------


def test_a_subscriber_named_like_a_formula_comes_out_neutralised_in_csv_and_as_text_in_xlsx(client, login, staff):
    import io

    from openpyxl import load_workbook

    newsletter_list = NewsletterListFactory()
    client.post(
        "/newsletter/industrie/",
        {"email": "angreifer@example.org", "name": '=HYPERLINK("http://evil","x")', "language": "de", "consent": "on"},
    )
    staff_client = login(staff)
    url = f"/newsletter/verwaltung/verteiler/{newsletter_list.pk}/abonnenten/export/"
    response = staff_client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    row = text.splitlines()[1].split(";")
    assert row[0] == "angreifer@example.org"
    assert row[1] == '"\'=HYPERLINK(""http://evil"",""x"")"'  # a leading apostrophe: text, not a formula
    response = staff_client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet["B2"]
    assert cell.value == '=HYPERLINK("http://evil","x")' and cell.data_type == "s"


def test_the_export_holds_every_subscriber_of_the_filter_not_one_page(login, staff):
    newsletter_list = NewsletterListFactory()
    active_subscribers(newsletter_list, 120)
    SubscriberFactory(newsletter_list=newsletter_list, email="weg@example.org", status="unsubscribed")
    client = login(staff)
    url = f"/newsletter/verwaltung/verteiler/{newsletter_list.pk}/abonnenten/export/"
    lines = b"".join(client.get(url).streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 121
    lines = b"".join(client.get(url, {"status": "unsubscribed"}).streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("weg@example.org;")


def test_the_subscriber_list_shows_the_selectors_rows_and_changes_on_the_next_request(login, staff):
    """Count and pages run compiled SQL (core.prepared.CompiledPages) per list and status: the same rows in the
    same order as ``subscribers_filtered``, and a new subscriber, a changed status or a renamed person shows
    on the very next request; a search is read the ORM's way."""
    import re

    from testing.factories import PersonFactory

    newsletter_list = NewsletterListFactory()
    other = NewsletterListFactory(name="Anderer", slug="anderer")
    active_subscribers(newsletter_list, 60)
    SubscriberFactory(newsletter_list=other, email="anderswo@example.org")
    person = PersonFactory(first_name="Paula", last_name="Person")
    gone = SubscriberFactory(
        newsletter_list=newsletter_list, email="aaa@example.org", status="unsubscribed", person=person
    )
    client = login(staff)
    url = f"/newsletter/verwaltung/verteiler/{newsletter_list.pk}/abonnenten/"

    def emails(**params):
        return re.findall(r'<th scope="row">([^< ]+)', client.get(url, params).content.decode())

    expected = [s.email for s in selectors.subscribers_filtered(newsletter_list)]
    assert emails() == expected[:50] and emails(seite=2) == expected[50:] and emails(seite=7) == expected[50:]
    assert emails(status="unsubscribed") == ["aaa@example.org"] and emails(status="quatsch") == expected[:50]
    page = client.get(url).content.decode()
    assert "61 Einträge" in page and f'<a href="/kontakte/personen/{person.pk}/">Paula Person</a>' in page
    assert "anderswo@example.org" not in page
    person.last_name = "Neuname"
    person.save()
    assert "Paula Neuname" in client.get(url).content.decode()
    SubscriberFactory(newsletter_list=newsletter_list, email="aaaa@example.org")
    assert emails()[:2] == ["aaa@example.org", "aaaa@example.org"] and "62 Einträge" in client.get(url).content.decode()
    gone.status = "active"
    gone.save()
    assert emails(status="unsubscribed") == [] and "aaa@example.org" in emails(status="active")
    assert emails(q="aaaa") == ["aaaa@example.org"]


# --- delivery counts (issue 12, also found) ---------------------------------------------------------


def test_staff_pages_count_each_delivery_once_for_an_issue_with_several_items(login, staff):
    from newsletter.models import Delivery

    issue = IssueFactory(subject="Vier Meldungen", status=Issue.Status.SENT, sent_at=timezone.now())
    for _n in range(4):
        ItemFactory(issue=issue)
    for subscriber in active_subscribers(issue.newsletter_list, 7):
        Delivery.objects.create(
            issue=issue, subscriber=subscriber, email=subscriber.email, message_id=f"<{subscriber.pk}@x>",
            status="failed" if subscriber.email == "leser0@example.org" else "sent",
        )  # fmt: skip
    client = login(staff)

    def sent_and_failed(url):  # the issue's row in the table of issues: sent, failed
        row = client.get(url).content.decode().split("Vier Meldungen", 1)[1].split("</tr>", 1)[0]
        return [cell.rsplit(">", 1)[-1] for cell in row.split("</td>")[3:5]]  # after number, status, date

    assert sent_and_failed("/newsletter/verwaltung/") == ["6", "1"]  # not 24 and 4
    assert sent_and_failed(f"/newsletter/verwaltung/verteiler/{issue.newsletter_list_id}/zahlen/") == ["6", "1"]
    detail = client.get(f"/newsletter/verwaltung/ausgaben/{issue.pk}/").content.decode()
    assert "6 gesendet, 0 in Warteschlange, 1 fehlgeschlagen" in detail
