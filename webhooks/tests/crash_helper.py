"""Run in a subprocess by the crash test (needs DJANGO_SETTINGS_MODULE and DATABASE_URL).

python -m webhooks.tests.crash_helper setup URL N  → an endpoint for URL and N events (one transaction each)
python -m webhooks.tests.crash_helper status       → delivery counts and cut-off attempts as JSON
python -m webhooks.tests.crash_helper requeue      → what the recurring job does once the leases ran out
"""

import json
import sys


def setup(url: str, count: int) -> dict:
    from django.db import transaction

    from core.hooks import emit
    from webhooks.services import endpoint_save

    endpoint = endpoint_save(name="Absturz-Test", url=url, event_types=["registration.created"])
    event_ids = []
    for number in range(1, count + 1):
        with transaction.atomic():
            event = emit("registration.created", {"registration_id": number, "event_id": 1, "status": "confirmed"})
        event_ids.append(str(event.id))
    return {"secret": endpoint.secret, "event_ids": event_ids}


def status() -> dict:
    from django.db.models import Count

    from webhooks.models import Attempt, Delivery

    counts = dict(Delivery.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {
        "deliveries": counts,
        "claimed": Delivery.objects.filter(claimed_until__isnull=False).count(),
        "cut_off_attempts": Attempt.objects.filter(finished_at__isnull=True).count(),
    }


def requeue() -> dict:
    from django.utils import timezone

    from webhooks.services import LEASE, deliveries_requeue

    # As the recurring job will find it once the lease has run out (without waiting two minutes).
    return {"queued": deliveries_requeue(now=timezone.now() + LEASE + timezone.timedelta(seconds=1))}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command = argv[0]
    if command == "setup":
        result = setup(argv[1], int(argv[2]))
    elif command == "status":
        result = status()
    else:
        result = requeue()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
