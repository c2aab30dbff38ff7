from datetime import timedelta

from core.scheduler import register_recurring
from newsletter.tasks import newsletter_tick

# starts scheduled issues and resumes what a dead worker left behind
register_recurring("newsletter.tick", every=timedelta(minutes=1), task=newsletter_tick)
