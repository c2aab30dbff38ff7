"""The database session store with its one read per request compiled once per process.

``SESSION_ENGINE = "core.sessions"``: Django's ``db`` store, except that loading a session (the first
query of every logged-in request) runs SQL compiled once (``core.prepared.PreparedQuery``) instead
of building ``Session.objects.get(…)`` each time. Same rows, same expiry test, read on every request;
saving, deleting and cycling keys are Django's.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.prepared import SAMPLE_TIME, PreparedQuery

_SESSION = PreparedQuery(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values(
        "session_key", "session_data", "expire_date"
    ),
    key="-",  # no session key has this character
    now=SAMPLE_TIME,
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        rows = _SESSION.rows(key=self.session_key, now=timezone.now())
        if not rows:
            self._session_key = None
            return None
        return Session(**rows[0])
