"""Seats taken and people waiting per audience, kept by triggers on the registrations (events.seat_counters)."""

from django.db import migrations, models


def install(apps, schema_editor):
    from events.seat_counters import install as install_triggers

    install_triggers(schema_editor.connection)  # and counts what is there already


def uninstall(apps, schema_editor):
    from events.seat_counters import uninstall as uninstall_triggers

    uninstall_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("events", "0002_venue_fields_partners_invitations")]

    operations = [
        migrations.AddField(
            model_name="audience",
            name="seats_taken",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="Plätze vergeben"),
        ),
        migrations.AddField(
            model_name="audience",
            name="people_waiting",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="auf der Warteliste"),
        ),
        migrations.RunPython(install, uninstall),
    ]
