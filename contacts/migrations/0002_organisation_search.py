from django.db import migrations

from core.search import fulltext_operations


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = fulltext_operations("contacts_organisation", ["name", "city", "postcode", "member_number"])
