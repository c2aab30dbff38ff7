from django.db import migrations


def load(apps, schema_editor):
    from advisory.catalogue import load_catalogue

    load_catalogue(apps)


class Migration(migrations.Migration):
    dependencies = [("advisory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
