"""The task backend: django-tasks-db's, with each task's row written through ``core.prepared``.

``enqueue`` stores one ``DBTaskResult`` row, as django-tasks-db does; building and compiling that
INSERT through the ORM cost a registration more CPU than the rest of its commit, so the row goes
through ``PreparedInsert`` (the same values, the same ``pre_save``/``post_save`` signals, so
django-tasks-db's own ``run_after`` default applies), and the task's result is built once for the
``task_enqueued`` signal and the caller instead of twice. The worker, the rows and their meaning
are django-tasks-db's unchanged.
"""

from functools import cache

from django_tasks_db.backend import DatabaseBackend as _DatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued

from core.prepared import PreparedInsert


@cache
def _row_insert() -> PreparedInsert:
    from django_tasks_db.models import DBTaskResult

    return PreparedInsert(DBTaskResult)


class DatabaseBackend(_DatabaseBackend):
    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        row = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        return _row_insert().create(row)

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = self._task_to_db_task(task, args, kwargs).task_result
        task_enqueued.send(type(self), task_result=result)
        return result
