"""A/B comparison of the intake's CPU cost (issue 3) between the working tree and an earlier commit, in one run.

This machine's speed drifts by ±15 % within minutes, more than most single changes to the intake are worth, so
two whole runs of ``bench/intake_cpu.py`` one after the other cannot tell them apart. This script starts two
long-lived processes side by side — one on the working tree, one on a ``git worktree`` of ``--before``
(default ``HEAD``) — each with its own fresh PostgreSQL database seeded like ``bench/intake.py`` and the same
cache (Redis on 127.0.0.1 when one answers, else local memory), and then alternates short rounds between them
(``--rounds`` rounds of ``--requests`` intakes and as many baseline requests, in-process through Django's test
client). Drift then falls on both sides alike. Reported per side: median CPU per request of the Django process
and of its PostgreSQL backend (``/proc``), for the intake and for the one-``INSERT`` baseline, and the ratio
baseline/intake of their sums.

    .venv/bin/python bench/intake_ab.py [--before REV] [--rounds 12] [--requests 150]

Nothing is written to ``bench/RESULTS.md``; quote the figures there by hand with the command.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import (
    add_database_url,
    amanah_env,
    backend_cpu,
    drop_database,
    migrate_and_seed,
    recreate_database,
    require_local_database,
)
from intake import REDIS_URL, redis_answers

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent


def child() -> None:
    """Runs in a prepared environment; answers ``<path> <n>`` lines on stdin with one JSON line of CPU ms."""
    import time

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from intake import BASELINE_PATH, INTAKE_PATH, TABLE_SQL, complaint_payload

    with connection.cursor() as cur:
        cur.execute(TABLE_SQL)
    client = Client()
    bodies = [complaint_payload(i, 5, 5) for i in range(200)]
    paths = {"intake": INTAKE_PATH, "baseline": BASELINE_PATH}

    sent = 0
    print("ready", flush=True)
    for line in sys.stdin:
        name, n = line.split()
        n = int(n)
        backend_cpu(connection)
        p0, g0 = time.process_time(), backend_cpu(connection)
        for _ in range(n):
            r = client.post(
                paths[name], bodies[sent % len(bodies)], content_type="application/json"
            )
            sent += 1
            if r.status_code != 201:
                raise SystemExit(f"{name}: {r.status_code} {r.content[:300]!r}")
        p1, g1 = time.process_time(), backend_cpu(connection)
        print(
            json.dumps({"python": (p1 - p0) / n * 1000, "postgres": (g1 - g0) / n * 1000}),
            flush=True,
        )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", default="HEAD", help="the commit to compare the working tree with")
    p.add_argument("--rounds", type=int, default=12)
    p.add_argument("--requests", type=int, default=150, help="requests per round and endpoint")
    add_database_url(p)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child()
        return 0
    require_local_database(p, args)
    work = Path(tempfile.mkdtemp(prefix="amanah-bench-ab-"))
    before_tree = work / "before"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(before_tree), args.before],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    cache_url = REDIS_URL if redis_answers() else "locmem"
    sides = {"before": before_tree, "after": ROOT}
    procs, dbs = {}, []
    try:
        for name, tree in sides.items():
            db = f"amanah_bench_ab_{name}"
            dbs.append(db)
            env = amanah_env(
                recreate_database(args.database_url, db),
                str(work / f"data-{name}"),
                AMANAH_PUBLIC_FORM_RATE_COUNT="1000000000",
                AMANAH_CACHE_URL=cache_url,
            )
            # Each side's own migrations: the schema must be the one its code writes to.
            migrate_and_seed(sys.executable, {**env, "PYTHONPATH": str(tree)}, 5, 5, cwd=tree)
            env = dict(
                env,
                DJANGO_SETTINGS_MODULE="baseline_settings",
                PYTHONPATH=os.pathsep.join([str(tree / "bench"), str(tree)]),
            )
            procs[name] = subprocess.Popen(
                [sys.executable, str(Path(__file__)), "--child"],
                env=env,
                cwd=tree,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert procs[name].stdout.readline().strip() == "ready"

        def ask(side: str, endpoint: str, n: int) -> dict:
            proc = procs[side]
            proc.stdin.write(f"{endpoint} {n}\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
            if not line:
                raise SystemExit(f"the {side} process stopped")
            return json.loads(line)

        for side in sides:  # warm-up
            ask(side, "intake", 30)
            ask(side, "baseline", 30)
        results = {(s, e): [] for s in sides for e in ("intake", "baseline")}
        for r in range(args.rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))
            for side in order:
                for endpoint in ("intake", "baseline"):
                    results[side, endpoint].append(ask(side, endpoint, args.requests))
    finally:
        for proc in procs.values():
            proc.stdin.close()
            proc.wait(timeout=60)
        for db in dbs:
            drop_database(args.database_url, db)
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(before_tree)], cwd=ROOT, check=False
        )
        shutil.rmtree(work, ignore_errors=True)

    def med(side, endpoint, key):
        return statistics.median(x[key] for x in results[side, endpoint])

    print(
        f"Before: {args.before}; after: the working tree. Cache: {cache_url}. {args.rounds} alternating rounds of"
    )
    print(f"{args.requests} requests per endpoint; median CPU per request (ms).\n")
    print(
        "| Side | intake Django | intake PostgreSQL | baseline Django | baseline PostgreSQL | ratio baseline/intake |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for side in sides:
        i = med(side, "intake", "python") + med(side, "intake", "postgres")
        b = med(side, "baseline", "python") + med(side, "baseline", "postgres")
        print(
            f"| {side} | {med(side, 'intake', 'python'):.2f} | {med(side, 'intake', 'postgres'):.2f} | "
            f"{med(side, 'baseline', 'python'):.2f} | {med(side, 'baseline', 'postgres'):.2f} | {b / i:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
