from django.core.management.base import BaseCommand, CommandError

from climate.models import CO2Price, EmissionFactor, ReferenceTableVersion
from climate.reference import clear_cache, load_version_from_files


class Command(BaseCommand):
    help = "Load climate/data/*.csv as a new version of the reference tables (after the files were updated)."

    def add_arguments(self, parser):
        parser.add_argument("--label", required=True, help="Name of the new version, e.g. 'BEHG 3. ÄndG'")
        parser.add_argument("--valid-from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--source", required=True)
        parser.add_argument("--note", default="")

    def handle(self, *args, label, valid_from, source, note, **options):
        import datetime

        if ReferenceTableVersion.objects.filter(label=label).exists():
            raise CommandError(f"version {label!r} exists")
        try:
            day = datetime.date.fromisoformat(valid_from)
        except ValueError as error:
            raise CommandError(str(error)) from None
        version = load_version_from_files(ReferenceTableVersion, CO2Price, EmissionFactor, label=label,
                                          source=source, valid_from=day, note=note)  # fmt: skip
        clear_cache()
        self.stdout.write(f"version {version.pk} {version.label}: {version.prices.count()} prices, "
                          f"{version.factors.count()} factors")  # fmt: skip
