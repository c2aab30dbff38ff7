"""Loaded with ``-p kammerwerk.pytest_env`` before Django's settings are read.

Tests run without DEBUG (as production does), so they need a throwaway key and
plain static storage (no collected manifest).
"""

import os

os.environ.setdefault("KAMMERWERK_INSECURE_DEV_KEY", "1")
os.environ.setdefault("KAMMERWERK_PLAIN_STATIC", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Playwright's sync API runs an event loop in the test thread; Django's ORM
# would refuse to run next to it. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
