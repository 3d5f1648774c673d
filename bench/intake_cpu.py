"""Where an intake's time goes (issue 3): CPU per request of the complaint intake and of the one-INSERT baseline,
in-process (Django test client, no HTTP), split into the Django process's own CPU and the CPU of its PostgreSQL
backend, with the number of SQL statements each request sends.

``bench/intake.py`` measures throughput over HTTP; this script explains it. Both endpoints run in one process
against a fresh PostgreSQL database (``amanah_bench_intake_cpu``, seeded like ``bench/intake.py``) with the
cache ``bench/intake.py`` uses (Redis on 127.0.0.1 when one answers, else the local-memory cache), alternately
in ``--rounds`` rounds of ``--requests`` requests (the baseline gets three times as many); medians are reported.
The PostgreSQL backend's CPU is read from ``/proc/<pid>/stat`` (Linux, database on this machine).

    .venv/bin/python bench/intake_cpu.py [--rounds 3] [--requests 300] [--profile 40]

``--profile N`` also prints the N functions with the most cumulative time of one extra intake round under cProfile.
Nothing is written to ``bench/RESULTS.md``; the figures are quoted there by hand.
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
import time
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
DB_NAME = "amanah_bench_intake_cpu"


def child(args) -> None:
    """Runs inside the prepared environment: Django set up on the bench settings."""
    import cProfile
    import pstats

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from intake import BASELINE_PATH, INTAKE_PATH, TABLE_SQL, complaint_payload

    with connection.cursor() as cur:
        cur.execute(TABLE_SQL)
    client = Client()
    bodies = [complaint_payload(i, 5, 5) for i in range(200)]

    def one_round(path: str, n: int) -> dict:
        statements = []

        def count(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        backend_cpu(connection)  # connect before timing
        p0, w0, g0 = time.process_time(), time.perf_counter(), backend_cpu(connection)
        with connection.execute_wrapper(count):
            for i in range(n):
                r = client.post(path, bodies[i % len(bodies)], content_type="application/json")
                if r.status_code != 201:
                    raise SystemExit(f"{path}: {r.status_code} {r.content[:300]!r}")
        p1, w1, g1 = time.process_time(), time.perf_counter(), backend_cpu(connection)
        return {
            "wall": (w1 - w0) / n * 1000,
            "python": (p1 - p0) / n * 1000,
            "postgres": (g1 - g0) / n * 1000,
            "statements": len(statements) / n,  # BEGIN and COMMIT are not counted
        }

    for path in (INTAKE_PATH, BASELINE_PATH):  # warm-up
        one_round(path, 30)
    rounds = {"intake": [], "baseline": []}
    for r in range(args.rounds):
        order = [("intake", INTAKE_PATH), ("baseline", BASELINE_PATH)]
        for name, path in order if r % 2 == 0 else reversed(order):
            n = args.requests if name == "intake" else args.requests * 3
            rounds[name].append(one_round(path, n))
    out = {
        name: {k: statistics.median(x[k] for x in rs) for k in rs[0]} for name, rs in rounds.items()
    }
    print(json.dumps(out))
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        one_round(INTAKE_PATH, args.requests)
        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(args.profile)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--requests", type=int, default=300, help="intakes per round")
    p.add_argument("--profile", type=int, default=0, help="print the top N functions of one round")
    add_database_url(p)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args)
        return 0
    require_local_database(p, args)
    db_url = recreate_database(args.database_url, DB_NAME)
    data_dir = tempfile.mkdtemp(prefix="amanah-bench-intake-cpu-")
    cache_url = REDIS_URL if redis_answers() else "locmem"  # the cache of bench/intake.py
    env = amanah_env(
        db_url, data_dir, AMANAH_PUBLIC_FORM_RATE_COUNT="1000000000", AMANAH_CACHE_URL=cache_url
    )
    try:
        migrate_and_seed(sys.executable, env, 5, 5)
        child_env = dict(
            env,
            DJANGO_SETTINGS_MODULE="baseline_settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(BENCH), str(ROOT)])),
        )
        given = list(argv if argv is not None else sys.argv[1:])
        result = subprocess.run(
            [sys.executable, str(Path(__file__)), "--child", *given],
            env=child_env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
    finally:
        drop_database(args.database_url, DB_NAME)
        shutil.rmtree(data_dir, ignore_errors=True)
    out = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"Cache: {cache_url}\n")
    print(
        "| Endpoint | wall (ms) | Django process CPU (ms) | PostgreSQL backend CPU (ms) | SQL statements |"
    )
    print("|---|---:|---:|---:|---:|")
    for name in ("intake", "baseline"):
        r = out[name]
        print(
            f"| {name} | {r['wall']:.2f} | {r['python']:.2f} | {r['postgres']:.2f} | {r['statements']:.0f} |"
        )
    i, b = out["intake"], out["baseline"]
    print(
        f"\nCPU ratio baseline/intake: {(b['python'] + b['postgres']) / (i['python'] + i['postgres']):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
