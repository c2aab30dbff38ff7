# Intentionally empty. Two makemigrations runs at the same second produced two identical
# "0003" migrations for ImportBatch.notices/finished_at, and other apps' initial migrations
# depend on each name. The fields are added by 0003_importbatch_finished_at_importbatch_notices;
# this node only keeps the graph linear so both references resolve.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("contacts", "0003_importbatch_finished_at_importbatch_notices")]

    operations = []
