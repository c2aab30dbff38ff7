"""Settings for the portal benchmark: the real settings plus two reference views (see portal_urls.py)."""

from kammerwerk.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.portal_urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
