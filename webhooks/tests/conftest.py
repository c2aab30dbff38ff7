import pytest
from django.core.management import call_command

from webhooks.tests.receiver import Receiver


@pytest.fixture
def allow_private(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def receiver(allow_private):
    with Receiver() as server:
        yield server


@pytest.fixture
def run_worker():
    """Run what is queued on the default queue, as ``manage.py worker`` does, then return."""

    def run():
        call_command("worker", "--batch", "--queues", "default", "--no-scheduler", verbosity=0)

    return run
