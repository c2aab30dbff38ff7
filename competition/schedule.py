from datetime import timedelta

from competition.tasks import erase_after_retention, send_reminders
from core.scheduler import register_recurring

# a week and two days before the written-work deadline (at most once in 20 hours per project)
register_recurring("competition.reminders", every=timedelta(hours=6), task=send_reminders)
# participants' data after the edition's retention date, unless a parent allowed keeping it
register_recurring("competition.retention", every=timedelta(hours=12), task=erase_after_retention)
