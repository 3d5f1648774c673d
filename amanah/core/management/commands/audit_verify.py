import json

from django.core.management.base import BaseCommand, CommandError

from amanah.core import audit


def _published(value: str) -> tuple[int, str]:
    """``SEQ:HASH``, or the JSON ``amanah audit head`` prints (``{"seq": …, "hash": …}``)."""
    try:
        if value.lstrip().startswith("{"):
            data = json.loads(value)
            return int(data["seq"]), str(data["hash"])
        seq, _sep, hash_ = value.partition(":")
        if not hash_:
            raise ValueError
        return int(seq), hash_
    except (ValueError, KeyError, TypeError):
        raise CommandError(
            f"--published {value!r}: give SEQ:HASH, or the JSON that `amanah audit head` prints"
        ) from None


class Command(BaseCommand):
    help = (
        "Recompute the audit chains; exit non-zero naming the first entry that was tampered with. With "
        "--published, also check that heads published earlier are in the chain (after a restore, say)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--published",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="a head published earlier (repeatable); the chain must hold it",
        )

    def handle(self, *args, **options):
        published = [_published(value) for value in options["published"]]
        result = audit.verify()
        if not result.ok:
            raise CommandError(f"AUDIT CHAIN BROKEN: {result.message}")
        for seq, hash_ in published:
            problem = audit.check_published(seq, hash_)
            if problem:
                raise CommandError(f"PUBLISHED HEAD NOT IN THE CHAIN: {problem}")
        self.stdout.write(result.message)
        if published:
            self.stdout.write(
                f"published head(s) in the chain: {', '.join(f'#{seq}' for seq, _h in published)}"
            )
