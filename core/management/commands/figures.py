import json as jsonlib

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.figures import all_breakdowns, all_figures, one_computation


class Command(BaseCommand):
    help = "Print the registered yearly figures (the annual report's numbers)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")
        parser.add_argument("--prefix", default="", help="Only keys starting with this, e.g. 'advisory.'")
        parser.add_argument(
            "--breakdowns", action="store_true", help="Also the figures by dimension (district, topic, kind …)."
        )

    def handle(self, *args, year, as_json, prefix, breakdowns, **options):
        figures = [figure for figure in all_figures() if figure.key.startswith(prefix)]
        splits = [entry for entry in all_breakdowns() if entry.key.startswith(prefix)] if breakdowns else []
        with one_computation():
            values = {figure.key: figure.compute(year) for figure in figures}
            rows = {entry.key: entry.compute(year) for entry in splits}
        if as_json:
            self.stdout.write(_dumps({**values, **{key: [list(row) for row in value] for key, value in rows.items()}}))
            return
        width = max((len(figure.key) for figure in figures), default=10)
        self.stdout.write(f"{'Kennzahl'.ljust(width)}  {'Wert':>12}  Bezeichnung ({year})")
        for figure in figures:
            value = values[figure.key]
            shown = "–" if value is None else f"{value}"
            unit = f" [{figure.unit}]" if figure.unit else ""
            self.stdout.write(f"{figure.key.ljust(width)}  {shown:>12}  {figure.label}{unit}")
        for entry in splits:
            self.stdout.write(f"\n{entry.key}  {entry.label} ({entry.dimension})")
            for label, value in rows[entry.key]:
                self.stdout.write(f"  {str(label).ljust(width - 2)}  {'–' if value is None else value!s:>12}")


def _dumps(values):
    return jsonlib.dumps(values, default=str, ensure_ascii=False, indent=2, sort_keys=True)
