"""How much the public intake page weighs at national scale: bytes of HTML (raw and gzip-compressed, as a
proxy would send it) and the number of ``<option>`` elements, on an organisation of ``--agencies`` agencies ×
``--units`` units × 2 services, with the working tree's code and, in the same run on the same database, with
the code of ``--before`` (a ``git worktree``; by default the commit before the intake page stopped listing
an arbitrary cut of the national catalogue).

    .venv/bin/python bench/page_weight.py [--agencies 550 --units 4] [--before f663121] [--write]

SQLite in a temporary data folder (the page's size does not depend on the database). With ``--write`` the
table is appended to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from common import amanah_env, append_results, child_json, migrate_and_seed

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "complaint intake, nothing chosen": "/pengaduan/",
    "complaint intake, one agency chosen": "/pengaduan/?instansi={agency}",
    "complaint intake, a search": "/pengaduan/?cari=layanan+1",
}


def child() -> None:
    import gzip

    import django

    django.setup()
    from django.test import Client

    from amanah.core.models import Agency

    agency = Agency.objects.order_by("pk").first().code
    out = {}
    for name, path in PAGES.items():
        body = Client().get(path.format(agency=agency)).content
        out[name] = {
            "raw": len(body),
            "gzip": len(gzip.compress(body, 6)),
            "options": body.count(b"<option"),
        }
    print(json.dumps(out))


def measure(tree: Path, env: dict) -> dict:
    return child_json(
        [sys.executable, str(Path(__file__).resolve()), "--child"],
        {**env, "PYTHONPATH": str(tree)},
        tree,
    )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--agencies", type=int, default=550)
    p.add_argument("--units", type=int, default=4)
    p.add_argument("--before", default="f663121")
    p.add_argument("--write", action="store_true")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child()
        return 0
    data_dir = tempfile.mkdtemp(prefix="amanah-bench-weight-")
    env = amanah_env("", data_dir, DJANGO_SETTINGS_MODULE="amanah.settings")
    migrate_and_seed(sys.executable, env, args.agencies, args.units)
    before_tree = Path(tempfile.mkdtemp(prefix="amanah-bench-weight-before-")) / "tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(before_tree), args.before],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    try:
        # The older code only reads the same database (its migrations are the same or fewer).
        before, after = measure(before_tree, env), measure(ROOT, env)
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(before_tree)], cwd=ROOT, check=False
        )
    lines = [
        f"| Page | `{args.before}`: KB raw / gzip, options | this code: KB raw / gzip, options |",
        "|---|---:|---:|",
    ]
    for name in after:
        cells = [
            f"{s['raw'] / 1024:.1f} / {s['gzip'] / 1024:.1f}, {s['options']:,}"
            for s in (before[name], after[name])
        ]
        lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        services = args.agencies * args.units * 2
        append_results(
            f"## Intake page weight at {args.agencies} agencies, {services:,} services — {stamp}\n\n"
            f"Command: `.venv/bin/python bench/page_weight.py --agencies {args.agencies} --units "
            f"{args.units} --write`\n\nHTML of the page as served (Django test client), and gzip level 6 "
            "as a compressing proxy would send it; both columns in the same run on the same data (the "
            f"`{args.before}` column from a `git worktree` of that commit).\n\n"
            f"{table}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
