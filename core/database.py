"""Reading PostgreSQL's ``timestamptz`` through psycopg's compiled loader.

Django 5.2 registers its own loader for ``timestamptz`` on every PostgreSQL connection (to set the
time zone of each value it reads). It subclasses psycopg's pure-Python loader, because the compiled
one of ``psycopg-binary`` cannot be subclassed, so every date and time Django reads is parsed in
Python: 6–11 µs a value on these machines against 1.3–2.2 µs compiled, a few per cent of a day's
page and a third of reading 25 rows with four dates each (Django ticket #36960, psycopg issue #1273). ``UtcTimestampLoader`` wraps the compiled loader instead and returns the same values: aware
datetimes in UTC, the instant PostgreSQL stored. Django keeps it, because its ``timezone`` is the
connection's (``DatabaseWrapper.create_cursor`` only replaces a loader whose ``timezone`` differs).

Only public API is used: psycopg's ``adapters.get_loader`` (the compiled class where
``psycopg-binary`` is installed, the pure-Python one otherwise) and Django's ``connection_created``.
"""

import datetime

import psycopg
from psycopg.adapt import Loader
from psycopg.pq import Format

TIMESTAMPTZ_OID = psycopg.postgres.types["timestamptz"].oid
_PSYCOPG_LOADER = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)


class UtcTimestampLoader(Loader):
    """A ``timestamptz`` as an aware datetime in UTC, parsed by psycopg's fastest loader."""

    timezone = datetime.UTC  # what Django compares with its connection's time zone

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._load = _PSYCOPG_LOADER(oid, context).load

    def load(self, data):
        value = self._load(data)  # in the session's time zone: Django sets it to UTC on connecting
        return value if value.tzinfo is datetime.UTC else value.astimezone(datetime.UTC)


def use_compiled_timestamp_loader(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: read ``timestamptz`` with ``UtcTimestampLoader`` where Django
    reads it in UTC (``USE_TZ`` on, no ``TIME_ZONE`` of the database's own); elsewhere Django's stays."""
    if connection.vendor == "postgresql" and connection.timezone == datetime.UTC:
        connection.connection.adapters.register_loader(TIMESTAMPTZ_OID, UtcTimestampLoader)
