import json as jsonlib

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.figures import all_figures


class Command(BaseCommand):
    help = "Print the registered yearly figures (the annual report's numbers)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")
        parser.add_argument("--prefix", default="", help="Only keys starting with this, e.g. 'advisory.'")

    def handle(self, *args, year, as_json, prefix, **options):
        figures = [figure for figure in all_figures() if figure.key.startswith(prefix)]
        values = {figure.key: figure.compute(year) for figure in figures}
        if as_json:
            self.stdout.write(_dumps(values))
            return
        width = max((len(figure.key) for figure in figures), default=10)
        self.stdout.write(f"{'Kennzahl'.ljust(width)}  {'Wert':>12}  Bezeichnung ({year})")
        for figure in figures:
            value = values[figure.key]
            shown = "–" if value is None else f"{value}"
            self.stdout.write(f"{figure.key.ljust(width)}  {shown:>12}  {figure.label}")


def _dumps(values):
    return jsonlib.dumps(values, default=str, ensure_ascii=False, indent=2, sort_keys=True)
