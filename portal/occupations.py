"""The official list of industrial training occupations, shipped in ``data/``."""

import csv
from pathlib import Path

from portal.text import german_slug

CSV_PATH = Path(__file__).resolve().parent / "data" / "ausbildungsberufe_industrie.csv"


def occupation_rows(path: Path = CSV_PATH) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            rows.append(
                {
                    "number": int(record["id"]),
                    "name": record["name_short"].strip(),
                    "name_official": record["name_official"].strip(),
                    "slug": german_slug(record["name_short"].replace("/-", " ").replace("/", " "), 110),
                    "duration_months": int(record["duration_months"]),
                    "field": record["field"].strip(),
                    "ordinance": record["ordinance"].strip()[:120],
                }
            )
    return rows


def occupations_sync() -> int:
    """Create or update the occupations from the shipped CSV; returns how many there are.

    The migration does this once; tests that flush the database (browser tests) call it again.
    """
    from portal.models import Occupation

    for row in occupation_rows():
        Occupation.objects.update_or_create(number=row["number"], defaults=row)
    return Occupation.objects.count()
