from datetime import timedelta

from advisory.tasks import erase_descriptions, expire_offers, resume_booking_mails, send_reminders
from core.scheduler import register_recurring

register_recurring("advisory.reminders", every=timedelta(minutes=15), task=send_reminders)
register_recurring("advisory.expire_offers", every=timedelta(minutes=5), task=expire_offers)
register_recurring("advisory.erase_descriptions", every=timedelta(hours=6), task=erase_descriptions)
register_recurring("advisory.resume_booking_mails", every=timedelta(minutes=10), task=resume_booking_mails)
