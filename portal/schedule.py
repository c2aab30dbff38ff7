from datetime import timedelta

from core.scheduler import register_recurring
from portal.tasks import remind_stale_editors, send_search_alerts, tidy_search_alerts

register_recurring("portal.remind_stale_editors", every=timedelta(hours=24), task=remind_stale_editors)
# Hourly, so a new offer reaches an alert within a day's limit soon after it appears.
register_recurring("portal.send_search_alerts", every=timedelta(hours=1), task=send_search_alerts)
register_recurring("portal.tidy_search_alerts", every=timedelta(hours=24), task=tidy_search_alerts)
