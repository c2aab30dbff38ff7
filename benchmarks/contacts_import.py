"""Import benchmark: preview and confirm of a 20,000-row CSV (the upload limit), plus a CSV/XLSX export.

How to run (uses a throw-away test database, never the dev data):

    .venv/bin/pytest -q -s -p no:logging benchmarks/contacts_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_contacts TEST_DATABASE_NAME=test_kw_contacts \
        .venv/bin/pytest -q -s -p no:logging benchmarks/contacts_import.py

Prints the seconds per step; figures go to benchmarks/RESULTS-contacts.md.
"""

import time

import pytest
from django.db import connection
from django.test import Client

from contacts.importing import batch_summary, import_confirm, import_preview
from contacts.models import Organisation
from contacts.tests.helpers import csv_bytes, organisation_row
from testing.factories import DistrictFactory, UserFactory

ROWS = 20_000


@pytest.mark.django_db
def test_import_20000_rows():
    from core.roles import Role

    DistrictFactory(name="Münster")
    staff = UserFactory(email="bench@example.org", roles=[Role.STAFF])
    data = csv_bytes([organisation_row(number) for number in range(1, ROWS + 1)])
    timings = {}

    started = time.perf_counter()
    batch = import_preview(data=data, filename="bench.csv", user=staff)
    timings["preview (read, check, duplicates, store)"] = time.perf_counter() - started
    assert batch_summary(batch).new == ROWS

    client = Client()
    client.force_login(staff)
    started = time.perf_counter()
    assert client.get(f"/kontakte/organisationen/import/{batch.pk}/").status_code == 200
    timings["preview page"] = time.perf_counter() - started

    started = time.perf_counter()
    import_confirm(batch=batch, user=staff)
    timings["confirm (one transaction, with history and tags)"] = time.perf_counter() - started
    assert Organisation.objects.count() == ROWS

    started = time.perf_counter()
    second = import_preview(data=data, filename="bench.csv", user=staff)
    timings["second preview (all duplicates)"] = time.perf_counter() - started
    assert batch_summary(second).duplicates == ROWS

    for file_format in ("csv", "xlsx"):
        started = time.perf_counter()
        response = client.get("/kontakte/organisationen/export/", {"format": file_format})
        size = len(b"".join(response.streaming_content) if response.streaming else response.content)
        timings[f"export {file_format} ({size / 1e6:.1f} MB)"] = time.perf_counter() - started

    print(f"\n{connection.vendor}, {ROWS} rows, file {len(data) / 1e6:.1f} MB")
    for step, seconds in timings.items():
        print(f"  {step}: {seconds:.2f} s")
