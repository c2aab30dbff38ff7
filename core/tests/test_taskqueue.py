"""core.taskqueue: django-tasks-db's backend with the task row written through core.prepared."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult, get_date_max

from core.taskqueue import DatabaseBackend
from core.tasks import deliver_mail

pytestmark = pytest.mark.django_db


def test_the_backend_in_use_is_ours():
    assert isinstance(deliver_mail.get_backend(), DatabaseBackend)


def test_enqueue_writes_the_row_django_tasks_db_would_write(django_assert_num_queries):
    announced = []

    def record(sender, task_result, **kwargs):
        announced.append(task_result)

    task_enqueued.connect(record)
    try:
        with django_assert_num_queries(1):
            result = deliver_mail.enqueue(41)
    finally:
        task_enqueued.disconnect(record)
    row = DBTaskResult.objects.get(pk=result.id)
    assert announced == [result]  # once, the result the caller gets
    assert (row.status, row.args_kwargs, row.task_path, row.queue_name, row.backend_name, row.priority) == (
        "READY", {"args": [41], "kwargs": {}}, "core.tasks.deliver_mail", "mail", "default", 0,
    )  # fmt: skip
    assert row.run_after == get_date_max()  # django-tasks-db's pre_save default: run at once
    assert row.enqueued_at is not None and row.worker_ids == [] and row.return_value is None
    assert result.args == [41] and result.task.name == "deliver_mail"
    assert list(DBTaskResult.objects.ready().filter(pk=result.id)) == [row]


def test_a_task_for_later_keeps_its_time_and_a_rollback_keeps_nothing():
    later = timezone.now() + datetime.timedelta(minutes=5)
    result = deliver_mail.using(run_after=later).enqueue(42)
    assert DBTaskResult.objects.get(pk=result.id).run_after == later
    assert not DBTaskResult.objects.ready().filter(pk=result.id).exists()
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = deliver_mail.enqueue(43)
        raise RuntimeError
    assert not DBTaskResult.objects.filter(pk=rolled_back.id).exists()
