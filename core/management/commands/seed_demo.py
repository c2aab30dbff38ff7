import random

from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import demo_builders


class Command(BaseCommand):
    help = "Load the demo region (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        for builder in demo_builders():
            # Each builder gets its own fixed seed so adding a module never
            # reshuffles the demo data of another.
            rng = random.Random(f"kammerwerk-demo-{builder.name}")
            with transaction.atomic():
                summary = builder.build(rng=rng)
            self.stdout.write(f"{builder.name}: {summary or 'ok'}")
