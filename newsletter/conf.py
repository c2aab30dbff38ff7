"""The newsletter's settings: a Django setting of the same name wins, else the environment, else the default.

(They belong in ``kammerwerk/settings.py`` once the lead moves them there; reading them through
these functions keeps ``settings`` overrides in tests working.)
"""

from django.conf import settings

from kammerwerk.env import env_bool, env_int, env_str


def _setting(name: str, reader, default):
    if hasattr(settings, name):
        return getattr(settings, name)
    return reader(name, default)


def max_per_second() -> int:
    """Sending rate per worker; 0 = as fast as the SMTP server takes them."""
    return _setting("NEWSLETTER_MAX_PER_SECOND", env_int, 0)


def batch_size() -> int:
    return max(1, _setting("NEWSLETTER_BATCH_SIZE", env_int, 500))


def parallel_senders() -> int:
    """How many sending tasks one issue gets (each claims its own batches)."""
    return max(1, _setting("NEWSLETTER_PARALLEL", env_int, 1))


def confirm_hours() -> int:
    """How long a confirmation link stays valid."""
    return _setting("NEWSLETTER_CONFIRM_HOURS", env_int, 48)


def store_ip() -> bool:
    """Store the sign-up IP address with the consent (off unless configured)."""
    return _setting("NEWSLETTER_STORE_IP", env_bool, False)


def stale_after_seconds() -> int:
    """A claim older than this belongs to a dead worker and is resumed."""
    return _setting("NEWSLETTER_STALE_AFTER", env_int, 300)


def bounce_address() -> str:
    """Envelope sender (Return-Path) of issues; bounce reports go there."""
    from email.utils import parseaddr

    return _setting("NEWSLETTER_BOUNCE_ADDRESS", env_str, "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def soft_bounce_limit() -> int:
    """Temporary bounces (DSN 4.x.x) in a row after which an address is suppressed."""
    return _setting("NEWSLETTER_SOFT_BOUNCE_LIMIT", env_int, 5)
