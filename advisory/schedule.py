from datetime import timedelta

from advisory.tasks import erase_descriptions, expire_offers, send_reminders
from core.scheduler import register_recurring

register_recurring("advisory.reminders", every=timedelta(minutes=15), task=send_reminders)
register_recurring("advisory.expire_offers", every=timedelta(minutes=5), task=expire_offers)
register_recurring("advisory.erase_descriptions", every=timedelta(hours=6), task=erase_descriptions)
