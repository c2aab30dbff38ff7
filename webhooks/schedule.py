from datetime import timedelta

from core.scheduler import register_recurring
from webhooks.tasks import requeue_stuck_webhooks, tidy_webhook_log

register_recurring("webhooks.requeue_stuck", every=timedelta(minutes=1), task=requeue_stuck_webhooks)
register_recurring("webhooks.tidy_log", every=timedelta(days=1), task=tidy_webhook_log)
