from datetime import timedelta

from core.scheduler import register_recurring
from events.tasks import expire_offers, resume_change_notices, resume_registration_mails, send_reminders

register_recurring("events.send_reminders", every=timedelta(minutes=30), task=send_reminders)
register_recurring("events.expire_offers", every=timedelta(minutes=10), task=expire_offers)
register_recurring("events.resume_change_notices", every=timedelta(minutes=15), task=resume_change_notices)
register_recurring("events.resume_registration_mails", every=timedelta(minutes=10), task=resume_registration_mails)
