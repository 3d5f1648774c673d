"""Delete the results of finished background tasks once they are old enough to be of no more use.

Every e-mail and every rollup sync leaves one row in the database task backend's table; nothing else ever
deletes them, so a national installation would keep millions of rows the worker no longer reads. Successful
results are kept ``TASK_RESULT_DAYS`` days, failed ones ``TASK_FAILED_RESULT_DAYS`` (long enough to
investigate). Queued and running tasks are never touched. Backends other than the database one keep no rows,
so there is nothing to do for them. Run nightly by the worker's scheduler (``core/schedule.py``).
"""

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.tasks import task_backends


class Command(BaseCommand):
    help = "Delete old results of finished background tasks (database task backend only)."

    def handle(self, *args, **options):
        from django_tasks_db.backend import DatabaseBackend

        for alias in settings.TASKS:
            if not isinstance(task_backends[alias], DatabaseBackend):
                continue
            call_command(
                "prune_db_task_results",
                "--backend",
                alias,
                "--queue-name",
                "*",
                "--min-age-days",
                str(settings.TASK_RESULT_DAYS),
                "--failed-min-age-days",
                str(settings.TASK_FAILED_RESULT_DAYS),
                verbosity=options["verbosity"],
                stdout=self.stdout,
            )
