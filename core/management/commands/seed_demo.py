import random

from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import demo_builders


class Command(BaseCommand):
    help = "Load the demo region (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--only", default="", help="Comma-separated builder names, e.g. contacts,accounts")

    def handle(self, *args, only="", **options):
        wanted = {name.strip() for name in only.split(",") if name.strip()}
        for builder in demo_builders():
            if wanted and builder.name not in wanted:
                continue
            # Each builder gets its own fixed seed so adding a module never
            # reshuffles the demo data of another.
            rng = random.Random(f"kammerwerk-demo-{builder.name}")
            with transaction.atomic():
                summary = builder.build(rng=rng)
            self.stdout.write(f"{builder.name}: {summary or 'ok'}")
