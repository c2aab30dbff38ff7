"""Run in a subprocess by the crash test and the benchmark (needs DJANGO_SETTINGS_MODULE and DATABASE_URL).

python -m newsletter.tests.crash_helper setup N      → creates a list with N active subscribers and an issue, starts sending
python -m newsletter.tests.crash_helper status ISSUE → prints the delivery counts as JSON
"""

import json
import sys


def setup(count: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from newsletter.models import Issue, Item, NewsletterList, Subscriber
    from newsletter.services import issue_send

    newsletter_list, _ = NewsletterList.objects.get_or_create(
        slug="crash", defaults={"name": "Crash-Test", "consent_wording": "Ja, bitte."}
    )
    now = timezone.now()
    Subscriber.objects.bulk_create(
        [
            Subscriber(newsletter_list=newsletter_list, email=f"leser{n}@example.org", status="active",
                       created_at=now, confirmed_at=now)
            for n in range(count)
        ],
        batch_size=2000,
    )  # fmt: skip
    number = Issue.objects.filter(newsletter_list=newsletter_list).count() + 1
    issue = Issue.objects.create(newsletter_list=newsletter_list, number=number, subject="Absturz-Ausgabe")
    for position in (1, 2):
        Item.objects.create(
            issue=issue, position=position, title=f"Meldung {position} der Industrie-Initiative",
            teaser="Wärme, Wasserstoff & Fachkräfte", text="Text\n" * 20, link="https://example.org/",
            source="Industrie-Initiative",
        )  # fmt: skip
    with transaction.atomic():
        queued = issue_send(issue=issue)
    return {"issue": issue.pk, "queued": queued}


def status(issue_id: int) -> dict:
    from django.conf import settings
    from django.db.models import Count

    from newsletter.models import Delivery, DeliveryBatch, Issue

    counts = dict(
        Delivery.objects.filter(issue_id=issue_id)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    # the messages of each open batch whose progress was committed last (the round: one per
    # connection, the last rows the progress covers): their final "." may or may not have left
    # before the kill (README: "the remaining window")
    window = settings.NEWSLETTER_CONNECTIONS
    in_doubt = []
    for claim, sent_upto in DeliveryBatch.objects.filter(issue_id=issue_id).values_list("claim", "sent_upto"):
        covered = Delivery.objects.filter(claim=claim, status="sending", pk__lte=sent_upto or 0).order_by("-pk")
        in_doubt += list(covered.values_list("email", flat=True)[:window])
    return {"deliveries": counts, "issue_status": Issue.objects.get(pk=issue_id).status, "in_doubt": in_doubt}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, value = argv[0], int(argv[1])
    result = setup(value) if command == "setup" else status(value)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
