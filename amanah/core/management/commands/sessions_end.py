"""Sign everyone out: delete every staff session and every whistleblowing reporter session.

Needed after a database restore (the sessions of the backup's day come back with it, those ended since
included, such as a sign-out on a shared computer) and after an incident in which session cookies may have
been read. Staff sign in again; a reporter opens their report again with the receipt. Audited (how many
were ended, never whose).
"""

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Sign everyone out: delete all staff sessions and all whistleblowing reporter sessions."

    def handle(self, *args, **options):
        from amanah.core import audit

        with transaction.atomic():
            staff, _ = Session.objects.all().delete()
            reporters = 0
            if apps.is_installed("amanah.integrity"):
                reporters, _ = apps.get_model("integrity", "ReporterSession").objects.all().delete()
            audit.record(
                "cli", "core.sessions_ended", None, {"staff": staff, "reporters": reporters}
            )
        self.stdout.write(f"signed out: {staff} staff session(s), {reporters} reporter session(s)")
