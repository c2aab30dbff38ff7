from core.roles import Role
from testing.access import Access, Public

STAFF = Role.STAFF

URL_ACCESS = {
    # public
    "newsletter:index": Public(),
    "newsletter:archive": Public(),
    "newsletter:archive_detail": Public(kwargs=lambda w: {"pk": w.nl_sent_issue.pk}),
    "newsletter:subscribe": Public(kwargs=lambda w: {"slug": w.nl_list.slug}),
    "newsletter:subscribe_thanks": Public(kwargs=lambda w: {"slug": w.nl_list.slug}),
    "newsletter:confirm": Public(kwargs=lambda w: {"value": w.nl_confirm_value}),
    "newsletter:unsubscribe": Public(kwargs=lambda w: {"token": w.nl_subscriber.token}),
    "newsletter:preferences": Public(kwargs=lambda w: {"token": w.nl_subscriber.token}),
    "newsletter:export": Public(kwargs=lambda w: {"token": w.nl_subscriber.token}, page=False),
    "newsletter:track_open": Public(kwargs=lambda w: {"value": "x"}, page=False),
    "newsletter:track_click": Public(
        kwargs=lambda w: {"value": w.nl_track_value, "item_pk": w.nl_sent_item.pk}, page=False
    ),
    # staff
    "newsletter:staff_home": Access(STAFF),
    "newsletter:list_create": Access(STAFF),
    "newsletter:list_edit": Access(STAFF, kwargs=lambda w: {"pk": w.nl_list.pk}),
    "newsletter:subscriber_list": Access(STAFF, kwargs=lambda w: {"pk": w.nl_list.pk}),
    "newsletter:subscriber_export": Access(STAFF, kwargs=lambda w: {"pk": w.nl_list.pk}, page=False),
    "newsletter:subscriber_import": Access(STAFF, kwargs=lambda w: {"pk": w.nl_list.pk}),
    "newsletter:figures": Access(STAFF, kwargs=lambda w: {"pk": w.nl_list.pk}),
    "newsletter:import_preview": Access(STAFF, kwargs=lambda w: {"pk": w.nl_import.pk}),
    "newsletter:issue_create": Access(STAFF),
    "newsletter:issue_detail": Access(STAFF, kwargs=lambda w: {"pk": w.nl_issue.pk}),
    "newsletter:item_create": Access(STAFF, kwargs=lambda w: {"pk": w.nl_issue.pk}),
    "newsletter:items_reorder": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.nl_issue.pk}),
    "newsletter:item_pull": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.nl_issue.pk}),
    "newsletter:issue_preview": Access(STAFF, kwargs=lambda w: {"pk": w.nl_issue.pk}),
    "newsletter:issue_test": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.nl_issue.pk}),
    "newsletter:issue_schedule": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.nl_issue.pk}),
    "newsletter:issue_send": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.nl_issue.pk}),
    "newsletter:item_edit": Access(STAFF, kwargs=lambda w: {"pk": w.nl_item.pk}),
    "newsletter:item_delete": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.nl_sent_item.pk}),
    "newsletter:item_move": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.nl_sent_item.pk}),
}


def build(world):
    from django.utils import timezone

    from newsletter.access import confirmation_value
    from newsletter.models import Delivery, Issue, SubscriberImport
    from newsletter.rendering import tracking_value
    from newsletter.tests.factories import IssueFactory, ItemFactory, NewsletterListFactory, SubscriberFactory

    world.nl_list = NewsletterListFactory()
    world.nl_subscriber = SubscriberFactory(newsletter_list=world.nl_list, email="leserin@example.org")
    pending = SubscriberFactory(
        newsletter_list=world.nl_list, email="neu@example.org", status="pending", confirmed_at=None,
        confirm_key="matrix-key",
    )  # fmt: skip
    world.nl_confirm_value = confirmation_value(pending)
    world.nl_issue = IssueFactory(newsletter_list=world.nl_list)
    world.nl_item = ItemFactory(issue=world.nl_issue)
    world.nl_sent_issue = IssueFactory(newsletter_list=world.nl_list, status=Issue.Status.SENT, sent_at=timezone.now())
    world.nl_sent_item = ItemFactory(
        issue=world.nl_sent_issue, link="/newsletter/archiv/"
    )  # the click redirect stays local
    delivery = Delivery.objects.create(
        issue=world.nl_sent_issue, subscriber=world.nl_subscriber, email=world.nl_subscriber.email,
        status=Delivery.Status.SENT, message_id="<nl.matrix@example.org>",
    )  # fmt: skip
    world.nl_track_value = tracking_value(delivery.pk)
    world.nl_import = SubscriberImport.objects.create(
        newsletter_list=world.nl_list, filename="bestand.csv", proof="Anmeldekarten Messe 2020, Ordner 3",
        rows=[{"line": 2, "data": {"email": "a@example.org", "name": "", "language": "de", "consent_date": ""},
               "errors": [], "duplicate": False}],
    )  # fmt: skip
