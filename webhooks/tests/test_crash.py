"""A real worker process is killed with SIGKILL in the middle of a POST. After the lease runs out the
delivery is sent again with the same Webhook-Id: the receiver, deduping on it, has every event exactly
once (no loss), and we hold exactly one delivery per event (no duplicate)."""

import collections
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from webhooks.signing import verify
from webhooks.tests.receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
EVENTS = 5
KILLED_AT = 3  # the worker dies while the 3rd POST is open

pytestmark = pytest.mark.django_db(transaction=True)


def _env(database_url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kammerwerk.settings",
        "DATABASE_URL": database_url,
        "WEBHOOKS_ALLOW_PRIVATE": "1",
        "KAMMERWERK_INSECURE_DEV_KEY": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def _run(args, env, timeout=120) -> str:
    result = subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)  # noqa: S603
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _helper(env, *args) -> dict:
    return json.loads(_run(["-m", "webhooks.tests.crash_helper", *args], env))


def _database_url(tmp_path) -> tuple[str, bool]:
    """PostgreSQL: the test database itself (this test commits); SQLite: a file of its own."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}", False
    return f"sqlite:///{tmp_path / 'crash.sqlite3'}", True


def test_a_worker_killed_mid_delivery_gives_no_duplicate_and_no_loss(tmp_path):
    database_url, needs_migrate = _database_url(tmp_path)
    env = _env(database_url)
    if needs_migrate:
        _run(["manage.py", "migrate", "--no-input", "-v", "0"], env, timeout=600)
    with Receiver(hold_at=KILLED_AT) as receiver:
        setup = _helper(env, "setup", receiver.url, str(EVENTS))
        worker = subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "worker", "--queues", "default", "--no-scheduler", "--interval", "0.2"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            assert receiver.held.wait(90), "the worker did not reach the 3rd delivery"
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        receiver.release()  # the held POST's answer goes nowhere: the worker is gone

        before = _helper(env, "status")
        assert before["deliveries"] == {"delivered": KILLED_AT - 1, "pending": EVENTS - KILLED_AT + 1}
        assert before["claimed"] == 1 and before["cut_off_attempts"] == 1  # the one in flight holds its lease

        assert _helper(env, "requeue")["queued"] >= 1
        _run(["manage.py", "worker", "--batch", "--queues", "default", "--no-scheduler"], env)
        after = _helper(env, "status")
        received = list(receiver.requests)

    assert after["deliveries"] == {"delivered": EVENTS}
    assert after["claimed"] == 0
    ids = collections.Counter(request.webhook_id for request in received)
    assert set(ids) == set(setup["event_ids"])  # no loss
    # on the wire: only the POST cut off by the kill came twice, with the same Webhook-Id
    assert sorted(ids.values()) == [1] * (EVENTS - 1) + [2]
    for request in received:
        assert verify(setup["secret"], request.headers, request.body) == request.webhook_id
    # the receiver that dedupes on Webhook-Id handles each registration once
    handled = {request.webhook_id: request.document["data"]["registration_id"] for request in received}
    assert sorted(handled.values()) == list(range(1, EVENTS + 1))
