"""A connection the database server dropped (a restart, a terminated backend) is replaced before
the next request uses it (``CONN_HEALTH_CHECKS``), so the visitor sees the page, not an error."""

import time

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import close_old_connections, connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _second_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname=settings["NAME"],
        password=settings["PASSWORD"] or None, autocommit=True,
    )  # fmt: skip


def _terminate(pid: int) -> None:
    """What a database restart does to a worker's connection, from a second connection."""
    with _second_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                return
            time.sleep(0.05)
    raise AssertionError(f"backend {pid} still there")


def _backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def test_the_next_request_after_the_server_dropped_the_connection_still_gets_its_data():
    pid = _backend_pid()
    expected = ContentType.objects.count()
    _terminate(pid)
    for _ in range(100):  # the server's farewell reaches the socket a moment after the backend ends
        if not connection.is_usable():
            break
        time.sleep(0.05)
    assert not connection.is_usable()

    close_old_connections()  # what Django does when the next request starts
    assert ContentType.objects.count() == expected  # a new connection, no error page
    assert _backend_pid() != pid
