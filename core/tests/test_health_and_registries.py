import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import WorkerHeartbeat
from core.scheduler import RecurringJob, _claim_run, beat


@pytest.mark.django_db
@pytest.mark.smoke
def test_healthz_reports_database_and_missing_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["worker"] == "missing"


@pytest.mark.django_db
def test_healthz_ok_with_a_fresh_heartbeat_and_stale_with_an_old_one(client):
    beat("w1", timezone.now())
    assert client.get("/healthz").json() | {"worker_last_seen": None} == {
        "status": "ok", "database": "ok", "worker": "ok", "worker_last_seen": None,
    }  # fmt: skip
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timezone.timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["worker"].startswith("stale")


@pytest.mark.django_db
def test_a_recurring_job_is_claimed_once_per_interval():
    job = RecurringJob(name="test.job", every=timezone.timedelta(minutes=5), task=None)
    now = timezone.now()
    assert _claim_run(job, now) is True
    assert _claim_run(job, now + timezone.timedelta(minutes=1)) is False
    assert _claim_run(job, now + timezone.timedelta(minutes=6)) is True


@pytest.mark.django_db
@pytest.mark.smoke
def test_figures_command_prints_table_and_json():
    from testing.factories import OrganisationFactory

    OrganisationFactory.create_batch(3, member_number="")
    out = io.StringIO()
    call_command("figures", "--year", str(timezone.now().year), "--json", stdout=out)
    values = json.loads(out.getvalue())
    assert values["contacts.organisations"] == 3
    assert values["contacts.organisations_new"] == 3
    assert values["contacts.organisations"] == 3
    table = io.StringIO()
    call_command("figures", "--year", "2020", stdout=table)
    assert "contacts.organisations" in table.getvalue()


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    """The shared part of the demo; each module tests its own builder the same way."""
    from accounts.models import User
    from contacts.models import Organisation, Person

    call_command("seed_demo", "--only", "contacts,accounts", stdout=io.StringIO())
    counts = (Organisation.objects.count(), Person.objects.count(), User.objects.count())
    call_command("seed_demo", "--only", "contacts,accounts", stdout=io.StringIO())
    assert (Organisation.objects.count(), Person.objects.count(), User.objects.count()) == counts
    assert counts[0] >= 300


@pytest.mark.django_db
@pytest.mark.smoke
def test_german_is_the_default_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "de"
    assert "Anmelden" in response.content.decode()
    client.post("/sprache/", {"language": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Language"] == "en"
