from datetime import timedelta

from core.scheduler import register_recurring
from portal.tasks import remind_stale_editors

register_recurring("portal.remind_stale_editors", every=timedelta(hours=24), task=remind_stale_editors)
