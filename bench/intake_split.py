"""Where the machine's CPU goes per request over HTTP (issue 3): the complaint intake and the one-INSERT baseline
served by gunicorn, split into the gunicorn workers, the PostgreSQL backends, Redis and the client processes.

``bench/intake.py`` gives the throughput ratio; on this two-core machine both endpoints are CPU-bound, so the
ratio is close to the ratio of the CPU each request costs the whole machine. This script measures that cost
directly: it serves a fresh PostgreSQL database (``amanah_bench_intake_split``, seeded like ``bench/intake.py``,
same bench settings and cache) with gunicorn on 127.0.0.1, sends ``--requests`` requests from each of
``--clients`` client processes per phase (intake, then baseline, ``--rounds`` times), and reads the CPU time
of every process of each group from ``/proc`` before and after the phase (Linux; database and Redis on this
machine). The sum per request bounds the throughput: two cores give at most 2000 / sum requests per second.

    .venv/bin/python bench/intake_split.py [--rounds 2] [--requests 150] [--clients 8]

Nothing is written to ``bench/RESULTS.md``; quote the figures there by hand with the command.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import (
    add_database_url,
    admin_conn,
    amanah_env,
    drop_database,
    migrate_and_seed,
    recreate_database,
    require_local_database,
    start_gunicorn,
    stop,
)
from intake import (
    BASELINE_PATH,
    INTAKE_PATH,
    REDIS_URL,
    TABLE_SQL,
    complaint_payload,
    post,
    redis_answers,
)

BENCH = Path(__file__).resolve().parent
DB_NAME = "amanah_bench_intake_split"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_by_group(server_pid: int) -> dict:
    """Seconds of CPU used so far by the gunicorn master and workers, PostgreSQL and Redis processes."""
    out = {"gunicorn": 0.0, "postgres": 0.0, "redis": 0.0}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            stat = (p / "stat").read_text()
            cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        seconds = (
            int(fields[11]) + int(fields[12])
        ) / TICK  # as common.process_cpu, one read per process
        if int(p.name) == server_pid or int(fields[1]) == server_pid:
            out["gunicorn"] += seconds
        elif cmd.startswith("postgres"):
            out["postgres"] += seconds
        elif "redis-server" in cmd:
            out["redis"] += seconds
    return out


def client(job: tuple) -> float:
    """Sequential requests of one client process; returns the CPU it used."""
    port, path, bodies, n = job
    started = time.process_time()
    for i in range(n):
        status, _s, data = post(port, path, bodies[i % len(bodies)])
        if status != 201:
            raise SystemExit(f"{path}: {status} {data[:300]!r}")
    return time.process_time() - started


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--requests", type=int, default=150, help="intakes per client and round")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4)
    add_database_url(p)
    args = p.parse_args(argv)
    require_local_database(p, args)
    db_url = recreate_database(args.database_url, DB_NAME)
    data_dir = tempfile.mkdtemp(prefix="amanah-bench-split-")
    cache_url = REDIS_URL if redis_answers() else "locmem"
    env = amanah_env(
        db_url, data_dir, AMANAH_PUBLIC_FORM_RATE_COUNT="1000000000", AMANAH_CACHE_URL=cache_url
    )
    server = None
    results: dict[str, list[dict]] = {"intake": [], "baseline": []}
    try:
        migrate_and_seed(sys.executable, env, 5, 5)
        with admin_conn(db_url) as conn:
            conn.execute(TABLE_SQL)
        server_env = dict(env, DJANGO_SETTINGS_MODULE="baseline_settings", PYTHONPATH=str(BENCH))
        server, port = start_gunicorn(sys.executable, server_env, args.workers, args.threads, 120)
        bodies = [complaint_payload(i, 5, 5) for i in range(500)]
        phases = (
            ("intake", INTAKE_PATH, args.requests),
            ("baseline", BASELINE_PATH, args.requests * 3),
        )
        with multiprocessing.get_context("fork").Pool(args.clients) as pool:
            for _round in range(args.rounds):
                for name, path, n in phases:
                    pool.map(client, [(port, path, bodies, 10)] * args.clients)  # warm-up
                    before, wall = cpu_by_group(server.pid), time.perf_counter()
                    clients = sum(pool.map(client, [(port, path, bodies, n)] * args.clients))
                    wall = time.perf_counter() - wall
                    after = cpu_by_group(server.pid)
                    total = n * args.clients
                    parts = {k: (after[k] - before[k]) / total * 1000 for k in after}
                    parts["clients"] = clients / total * 1000
                    parts["rps"] = total / wall
                    results[name].append(parts)
    finally:
        if server is not None:
            stop(server)
        drop_database(args.database_url, DB_NAME)
        shutil.rmtree(data_dir, ignore_errors=True)
    keys = ("gunicorn", "postgres", "redis", "clients")
    print(
        f"Cache: {cache_url}; gunicorn {args.workers} workers × {args.threads} threads; {args.clients} clients; "
        f"median of {args.rounds} rounds; CPU per request (ms).\n"
    )
    print("| Endpoint | req/s | gunicorn | PostgreSQL | Redis | clients | sum |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    sums = {}
    for name, rows in results.items():
        med = {k: statistics.median(r[k] for r in rows) for k in (*keys, "rps")}
        sums[name] = sum(med[k] for k in keys)
        cells = " | ".join(f"{med[k]:.2f}" for k in keys)
        print(f"| {name} | {med['rps']:.0f} | {cells} | {sums[name]:.2f} |")
    print(f"\nCPU ratio baseline/intake: {sums['baseline'] / sums['intake']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
