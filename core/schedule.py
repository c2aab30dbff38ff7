from datetime import timedelta

from core.scheduler import register_recurring
from core.tasks import requeue_stuck_mail

register_recurring("core.requeue_stuck_mail", every=timedelta(minutes=10), task=requeue_stuck_mail)
