"""Queueing background tasks from inside a service's transaction.

A task that follows a change (an e-mail, a rollup sync) must run only if the change commits. With the
database task backend (``django_tasks_db``, the default) the task row is written inside the change's own
transaction: workers see it exactly when the change commits, it disappears with a rollback, and nothing
is lost if the process dies between the commit and the enqueue (a transactional outbox). It also costs no
extra commit. Any other backend (the immediate backend of the tests, a broker) gets the task from
``transaction.on_commit`` instead.

A service that queues several tasks in one transaction (the intake: the rollup sync and the acknowledgement
e-mail) wraps its writes in :func:`batch`: the rows are then written together with one ``INSERT`` when the
block ends, still inside the transaction.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, router, transaction

from .rows import insert_many

_local = threading.local()


def _in_transaction_backend(task, using: str) -> bool:
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the backend is a dependency
        return False
    return (
        isinstance(task.get_backend(), DatabaseBackend)
        and router.db_for_write(DBTaskResult) == using
    )


def after_commit(task, *args, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` to run once the current transaction on ``using`` commits (at once
    when there is no transaction)."""
    conn = transaction.get_connection(using)
    if conn.in_atomic_block and _in_transaction_backend(task, using):
        gathered = _gathering(conn, task)
        if gathered is not None:
            gathered.append((task, args, kwargs))
        else:
            task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs), using=using)


def _gathering(conn, task) -> list | None:
    """The open batch of ``conn`` that may take ``task``: None outside a batch, inside a savepoint opened
    after the batch (the row must then roll back with that savepoint, so it is written at once), or when the
    backend makes its own ids (``id_function``)."""
    open_batch = getattr(_local, "batches", {}).get(conn.alias)
    if (
        open_batch is None
        or conn.savepoint_ids != open_batch["savepoints"]
        or task.get_backend().options.get("id_function")
    ):
        return None
    return open_batch["tasks"]


@contextmanager
def batch(using: str = DEFAULT_DB_ALIAS):
    """Gather the task rows that :func:`after_commit` writes inside this block and write them with one
    ``INSERT`` at its end (database task backend; other backends are unaffected). Must run inside the
    transaction whose commit the tasks wait for; if the block raises, nothing is written (the transaction
    is rolled back anyway). A nested batch joins the outer one."""
    conn = transaction.get_connection(using)
    batches = _local.__dict__.setdefault("batches", {})
    if using in batches or not conn.in_atomic_block:
        yield
        return
    batches[using] = {"savepoints": list(conn.savepoint_ids), "tasks": []}
    try:
        yield
        gathered = batches[using]["tasks"]
    finally:
        del batches[using]
    if gathered:
        _write_rows(gathered, using)


def _write_rows(gathered, using: str) -> None:
    """What ``DatabaseBackend.enqueue`` does for each task (validate, save the row, send ``task_enqueued``),
    with the rows written by one ``INSERT`` (:func:`amanah.core.rows.insert_many`, which sends
    ``pre_save``/``post_save`` as ``save()`` would: the backend fills ``run_after`` in a ``pre_save``
    receiver)."""
    from django.tasks.signals import task_enqueued
    from django.utils.json import normalize_json
    from django_tasks_db.models import DBTaskResult

    rows = []
    for task, args, kwargs in gathered:
        backend = task.get_backend()
        backend.validate_task(task)
        row = DBTaskResult(
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=backend.alias,
        )
        rows.append((backend, row))
    insert_many(DBTaskResult, [row for _backend, row in rows], using)
    for backend, row in rows:
        task_enqueued.send(type(backend), task_result=row.task_result)
