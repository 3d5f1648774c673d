from django.core.management.base import BaseCommand, CommandError

from amanah.complaints import open311_keys
from amanah.complaints.models import Open311Key
from amanah.core.models import Agency


class Command(BaseCommand):
    help = (
        "Open311 api_key values of integrations: create (printed once), list, revoke. A key files "
        "service requests through POST /open311/v2/requests only; --agency limits it to one agency."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument(
            "target",
            nargs="?",
            default="",
            help="create: the integration's name; revoke: the prefix",
        )
        parser.add_argument("--agency", default="", help="agency code the key is limited to")

    def handle(self, *args, action, target, agency, **options):
        if action == "list":
            for key in Open311Key.objects.select_related("agency").order_by("created_at"):
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                where = key.agency.code if key.agency else "all agencies"
                self.stdout.write(f"{key.prefix}\t{key.name}\t{where}\t{state}")
            return
        if not target.strip():
            raise CommandError(
                "Name the integration (create) or give the key's prefix (revoke)."
                if action == "create"
                else "Give the prefix of the key to revoke (see: list)."
            )
        if action == "create":
            scope = None
            if agency:
                scope = Agency.objects.filter(code=agency, is_active=True).first()
                if scope is None:
                    raise CommandError(f"No active agency with code {agency}")
            _key, raw = open311_keys.issue("cli", target, agency=scope)
            self.stdout.write(raw)
            return
        keys = list(Open311Key.objects.filter(prefix=target.strip()[:12]))
        if len(keys) != 1:
            raise CommandError(
                f"No Open311 key with prefix {target}" if not keys else "Prefix is ambiguous."
            )
        if not open311_keys.revoke("cli", keys[0]):
            raise CommandError(f"Key {keys[0].prefix} was revoked already.")
        self.stdout.write(f"Revoked {keys[0].prefix} ({keys[0].name}).")
