"""Every selector reads in a fixed number of queries, however many rows there are."""

import datetime

import pytest
from django.utils import timezone

from newsletter import selectors
from newsletter.models import Delivery, Issue, SubscriberImport, SubscriptionEvent
from newsletter.tests.factories import IssueFactory, ItemFactory, NewsletterListFactory, active_subscribers

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(staff):
    """A public list with 12 subscribers (two of them left), three sent issues of three items each, a draft."""
    newsletter_list = NewsletterListFactory()
    subscribers = active_subscribers(newsletter_list, 12)
    now = timezone.now()
    for subscriber in subscribers:
        SubscriptionEvent.objects.create(
            newsletter_list=newsletter_list, subscriber=subscriber, kind="join", at=now - datetime.timedelta(days=40)
        )
        SubscriptionEvent.objects.create(
            newsletter_list=newsletter_list, subscriber=subscriber, kind="confirm", at=now - datetime.timedelta(days=40)
        )
    for number in range(3):
        issue = IssueFactory(
            newsletter_list=newsletter_list,
            status=Issue.Status.SENT,
            sent_at=now - datetime.timedelta(days=30 - number * 10),
        )
        for _n in range(3):
            ItemFactory(issue=issue)
        Delivery.objects.bulk_create(
            Delivery(issue=issue, subscriber=s, email=s.email, status="sent", message_id=f"<{issue.pk}.{s.pk}@x>")
            for s in subscribers
        )
    for subscriber in subscribers[:2]:
        SubscriptionEvent.objects.create(
            newsletter_list=newsletter_list, subscriber=subscriber, kind="leave", at=now - datetime.timedelta(days=15)
        )
    ItemFactory(issue=IssueFactory(newsletter_list=newsletter_list))
    batch = SubscriberImport.objects.create(
        newsletter_list=newsletter_list, filename="b.csv", proof="Nachweis der Einwilligung", created_by=staff,
        rows=[{"line": n, "data": {"email": f"i{n}@example.org", "name": "", "language": "de", "consent_date": "2020-09-01"},
               "errors": [], "duplicate": False} for n in range(2, 30)],
    )  # fmt: skip
    return newsletter_list, subscribers, batch


def test_every_selector_reads_in_a_fixed_number_of_queries(filled, django_assert_num_queries):
    newsletter_list, subscribers, batch = filled
    today = timezone.localdate()
    with django_assert_num_queries(1):
        assert len(selectors.public_lists()) == 1
    with django_assert_num_queries(1):
        assert selectors.lists_overview()[0].active == 12
    with django_assert_num_queries(1):
        assert selectors.active_subscribers_at(timezone.now(), newsletter_list) == 10
    with django_assert_num_queries(2):
        assert selectors.subscriber_series(newsletter_list, today - datetime.timedelta(days=60), today)[-1].total == 10
    with django_assert_num_queries(2):
        assert selectors.monthly_series(newsletter_list, today - datetime.timedelta(days=60), today)[-1].total == 10
    # issues, delivery counts, item counts; for the sent ones: the lists' sent issues, leaves, who received what
    with django_assert_num_queries(6):
        issues = selectors.issues_with_stats()
    assert sorted((i.n_sent, i.n_items) for i in issues) == [(0, 1), (12, 3), (12, 3), (12, 3)]
    assert [i.n_unsubscribed_after for i in sorted(issues, key=lambda i: i.number)][:3] == [0, 2, 0]
    sent = min((issue for issue in issues if issue.sent_at), key=lambda issue: issue.sent_at)  # leaves came after it
    with django_assert_num_queries(6):
        assert selectors.issue_with_stats(sent).n_sent == 12
    with django_assert_num_queries(1):
        assert len(selectors.issue_items(sent)) == 3
    with django_assert_num_queries(1):
        assert selectors.active_count(newsletter_list.pk) == 12
    with django_assert_num_queries(1):
        assert len(selectors.archive_issues()) == 3
    with django_assert_num_queries(1):
        assert len(selectors.archive_issues(2)) == 2
    with django_assert_num_queries(1):
        assert len(list(selectors.subscribers_filtered(newsletter_list))) == 12
    with django_assert_num_queries(1):
        assert len(list(selectors.subscriber_export_rows(newsletter_list))) == 12
    # subscriptions, their events, the issues received
    with django_assert_num_queries(3):
        assert len(selectors.subscriber_export(subscribers[0])["issues_received"]) == 3
    with django_assert_num_queries(1):
        assert selectors.first_event_day(newsletter_list) == timezone.localdate(
            timezone.now() - datetime.timedelta(days=40)
        )
    with django_assert_num_queries(0):
        assert selectors.import_summary(batch).ok == 28
    delivery = Delivery.objects.filter(issue=sent).first()
    item = sent.items.first()
    with django_assert_num_queries(1):
        assert selectors.tracked_item_link(delivery, item.pk) == item.link
    with django_assert_num_queries(5):
        block = selectors.start_block()
    assert block["active"] == 12 and block["imports"] == [batch] and block["next_draft"] is not None
    with django_assert_num_queries(1):
        assert selectors.signup_list() == newsletter_list
    with django_assert_num_queries(1):
        assert len(selectors.subscriptions_for_email(subscribers[0].email.upper())) == 1
    with django_assert_num_queries(1):
        assert selectors.default_list() == newsletter_list
    with django_assert_num_queries(1):
        assert selectors.figures_subscribers(today.year) == 10
    left_in = timezone.localtime(timezone.now() - datetime.timedelta(days=15)).year
    with django_assert_num_queries(1):
        assert selectors.event_count(left_in, "leave") == 2
