from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_applicants")]

    operations = [
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                condition=models.Q(("is_active", True), ("profile_published", True)),
                fields=["start_date"],
                name="portal_offer_public_count",
            ),
        ),
    ]
