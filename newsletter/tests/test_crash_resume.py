"""Exactly-once delivery across a crash: a real worker process is killed with SIGKILL mid-issue,
the resume runs, a new worker finishes; every subscriber has exactly one copy at the SMTP server."""

import collections
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from testing.smtp import SMTPSink

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SUBSCRIBERS = 400

pytestmark = pytest.mark.django_db(transaction=True)


def _env(database_url: str, smtp_port: int, connections: int) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kammerwerk.settings",
        "DATABASE_URL": database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "NEWSLETTER_MAX_PER_SECOND": "250",  # slow enough to kill it half-way
        "NEWSLETTER_BATCH_SIZE": "40",
        "NEWSLETTER_CONNECTIONS": str(connections),
        "KAMMERWERK_INSECURE_DEV_KEY": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def _run(args, env, timeout=120) -> str:
    started = time.monotonic()
    result = subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)  # noqa: S603
    assert result.returncode == 0, result.stderr[-3000:]
    print(f"{' '.join(args[:2])}: {time.monotonic() - started:.1f} s")
    return result.stdout


def _database_url(tmp_path) -> tuple[str, bool]:
    """PostgreSQL: the test database itself (this test commits); SQLite: a file of its own."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}", False
    return f"sqlite:///{tmp_path / 'crash.sqlite3'}", True


@pytest.mark.parametrize("connections", [1, 4])
def test_worker_killed_mid_issue_resumes_with_exactly_one_copy_each(tmp_path, connections):
    """With one connection and with four side by side (one progress commit per round of four)."""
    database_url, needs_migrate = _database_url(tmp_path)
    with SMTPSink() as sink:
        env = _env(database_url, sink.port, connections)
        if needs_migrate:
            _run(["manage.py", "migrate", "--no-input", "-v", "0"], env, timeout=300)
        setup = json.loads(_run(["-m", "newsletter.tests.crash_helper", "setup", str(SUBSCRIBERS)], env))
        issue_id = setup["issue"]
        assert setup["queued"] == SUBSCRIBERS

        worker = subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "worker", "--queues", "bulk", "--no-scheduler", "--interval", "0.2"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while len(sink.handler.messages) < SUBSCRIBERS // 2 + 17:  # mid-batch, not at a batch boundary
                assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "the worker did not get half-way"
                time.sleep(0.01)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        at_kill = len(sink.handler.messages)
        assert 0 < at_kill < SUBSCRIBERS, "killed before the end of the issue"
        time.sleep(0.3)  # let the sink settle whatever was in flight

        before = json.loads(_run(["-m", "newsletter.tests.crash_helper", "status", str(issue_id)], env))
        assert before["issue_status"] == "sending"
        assert before["deliveries"].get("sent", 0) < SUBSCRIBERS

        _run(["manage.py", "newsletter_resume", "--stale-after", "0"], env)
        _run(["manage.py", "worker", "--batch", "--queues", "bulk", "--no-scheduler"], env, timeout=120)

        after = json.loads(_run(["-m", "newsletter.tests.crash_helper", "status", str(issue_id)], env))
        messages = sink.messages

    by_recipient = collections.Counter(message["To"] for message in messages)
    by_message_id = collections.Counter(message["Message-ID"] for message in messages)
    duplicates = sum(count - 1 for count in by_recipient.values() if count > 1)
    losses = SUBSCRIBERS - len(by_recipient)
    print(f"killed after {at_kill} messages; before resume {before}; after {after}; "
          f"duplicates {duplicates}, losses {losses}")  # fmt: skip
    assert duplicates == 0
    # At most the message whose progress was committed when the kill came can be missing: its final
    # "." was one send() away (README: "the remaining window"); CI once hit exactly that.
    lost = {f"leser{n}@example.org" for n in range(SUBSCRIBERS)} - set(by_recipient)
    assert lost <= set(before["in_doubt"]), (lost, before["in_doubt"])
    assert len(by_message_id) == SUBSCRIBERS - losses
    assert after == {"deliveries": {"sent": SUBSCRIBERS}, "issue_status": "sent", "in_doubt": []}
