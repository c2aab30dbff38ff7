from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self):
        from events.seat_counters import reinstall_missing

        post_migrate.connect(reinstall_missing, dispatch_uid="events_seat_counters")
