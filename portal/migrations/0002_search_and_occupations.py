import csv
from pathlib import Path

from django.db import migrations

from core.search import fulltext_operations

CSV = Path(__file__).resolve().parent.parent / "data" / "ausbildungsberufe_industrie.csv"


def load_occupations(apps, schema_editor):
    from portal.occupations import occupation_rows

    Occupation = apps.get_model("portal", "Occupation")
    for row in occupation_rows(CSV):
        Occupation.objects.update_or_create(number=row["number"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [
        *fulltext_operations("portal_offer", ["search_stems"]),
        *fulltext_operations("portal_companyprofile", ["search_stems"]),
        migrations.RunPython(load_occupations, migrations.RunPython.noop),
    ]
