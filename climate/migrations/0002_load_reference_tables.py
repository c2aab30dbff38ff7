"""Load the reference tables (BEHG price path, EBeV factors) from climate/data/ as the first version."""

from django.db import migrations


def load(apps, schema_editor):
    from climate.reference import load_version_from_files

    version_model = apps.get_model("climate", "ReferenceTableVersion")
    if version_model.objects.exists():
        return
    load_version_from_files(
        version_model, apps.get_model("climate", "CO2Price"), apps.get_model("climate", "EmissionFactor")
    )


def unload(apps, schema_editor):
    apps.get_model("climate", "ReferenceTableVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("climate", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
