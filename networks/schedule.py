from datetime import timedelta

from core.scheduler import register_recurring
from networks.tasks import flag_dormant_networks, remind_due_prospects

register_recurring("networks.flag_dormant", every=timedelta(hours=24), task=flag_dormant_networks)
register_recurring("networks.remind_due_prospects", every=timedelta(hours=24), task=remind_due_prospects)
