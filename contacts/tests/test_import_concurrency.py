"""Two imports of the same file confirmed at the same moment create every organisation once."""

import threading

import pytest
from django.db import connection

from contacts.importing import batch_summary, import_confirm, import_preview
from contacts.models import Organisation
from contacts.tests.helpers import csv_bytes, organisation_row


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_confirms_of_the_same_file_do_not_duplicate(staff):
    data = csv_bytes([organisation_row(number, Kreis="") for number in range(1, 201)])
    batches = [import_preview(data=data, filename=f"parallel-{n}.csv", user=staff) for n in range(2)]
    start = threading.Barrier(2)
    errors = []

    def confirm(batch):
        try:
            start.wait()
            import_confirm(batch=batch, user=staff)
        except Exception as error:  # noqa: BLE001 – reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert Organisation.objects.count() == 200
    summaries = sorted(
        (batch_summary(batch.__class__.objects.get(pk=batch.pk)) for batch in batches), key=lambda s: s.created
    )
    assert [(s.created, s.skipped) for s in summaries] == [(0, 200), (200, 0)]
