"""Queueing background tasks from inside a service's transaction.

A task that follows a change (an e-mail, a rollup sync) must run only if the change commits. With the
database task backend (``django_tasks_db``, the default) the task row is written inside the change's own
transaction: workers see it exactly when the change commits, it disappears with a rollback, and nothing
is lost if the process dies between the commit and the enqueue (a transactional outbox). It also costs no
extra commit. Any other backend (the immediate backend of the tests, a broker) gets the task from
``transaction.on_commit`` instead.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, router, transaction


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
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs), using=using)
