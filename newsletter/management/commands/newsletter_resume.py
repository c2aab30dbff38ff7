"""Resume issues a dead worker left half-sent (the worker's scheduler also does this every minute).

manage.py newsletter_resume [--stale-after SECONDS]
"""

from django.core.management.base import BaseCommand

from newsletter import services


class Command(BaseCommand):
    help = "Settle the batches a dead worker left in 'sending' (sent up to its progress, the rest queued) and restart their issues."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-after", type=int, default=None,
            help="Seconds after which a claim counts as abandoned (default NEWSLETTER_STALE_AFTER, 300). "
            "Use 0 only when no worker is running.",
        )  # fmt: skip

    def handle(self, *args, stale_after, **options):
        result = services.deliveries_resume(stale_after=stale_after)
        self.stdout.write(
            f"requeued: {result['requeued']}, recorded as sent: {result['sent']}, issues restarted: {result['issues']}"
        )
