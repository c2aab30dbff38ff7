"""Dates and times read from PostgreSQL are the instants stored, in UTC, parsed by psycopg's compiled
loader (``core.database``) rather than Django's pure-Python one."""

import datetime
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.db import connection, transaction
from psycopg.pq import Format

from core.database import TIMESTAMPTZ_OID, UtcTimestampLoader
from core.models import WorkerHeartbeat

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_time_saved_in_berlin_summer_and_winter_time_is_read_back_as_the_same_instant_in_utc():
    summer = datetime.datetime(2026, 3, 29, 3, 30, 15, 123456, tzinfo=BERLIN)  # an hour after the clocks went forward
    winter = datetime.datetime(2026, 12, 4, 14, 0, tzinfo=BERLIN)
    WorkerHeartbeat.objects.create(worker_id="w1", seen_at=summer, started_at=winter)

    stored = WorkerHeartbeat.objects.get(worker_id="w1")

    assert stored.seen_at == summer and stored.started_at == winter
    assert stored.seen_at.tzinfo is datetime.UTC
    assert stored.seen_at.hour == 1 and stored.started_at.hour == 13


def test_a_session_in_another_time_zone_still_reads_the_stored_instant():
    """Django's own loader only swaps the time zone of what it parses, which shifts the instant when the
    session's time zone is not UTC (``SET TIME ZONE`` by a pooler or a raw query): ours converts."""
    started = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)
    WorkerHeartbeat.objects.create(worker_id="w2", seen_at=started, started_at=started)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL TIME ZONE 'Europe/Berlin'")
        stored = WorkerHeartbeat.objects.get(worker_id="w2")
    assert stored.seen_at == started
    assert stored.seen_at.tzinfo is datetime.UTC


def test_the_connection_parses_times_with_psycopgs_compiled_loader():
    connection.ensure_connection()
    assert connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT) is UtcTimestampLoader
    if psycopg.pq.__impl__ == "binary":  # the compiled loader comes with psycopg-binary (requirements.txt)
        fast = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        assert fast.__module__.startswith("psycopg_binary")
        assert isinstance(UtcTimestampLoader(TIMESTAMPTZ_OID, connection.connection)._load.__self__, fast)
