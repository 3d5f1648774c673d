"""Benchmark: the transparency dashboard at two data sizes, in one run.

For each size the script creates a fresh PostgreSQL database, migrates it, runs ``amanah seed`` (timed),
serves Amanah with gunicorn on 127.0.0.1 only, and requests each page a bounded number of times. The large
size's median latency is reported as a ratio to the small size's, measured in the same run on the same
machine, so the figure does not depend on how fast the machine is. The goal is a ratio of at most 1.5.

    .venv/bin/python bench/dashboard.py --small 10000 --large 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres

Results are printed and, with ``--write``, appended to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import (
    add_database_url,
    amanah_env,
    database_url,
    recreate_database,
    require_local_database,
    run,
    start_gunicorn,
    stop,
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def seeded_complaints(admin_url: str, name: str) -> int | None:
    """The number of complaints in an existing benchmark database, or None when there is none (or it
    was never seeded completely)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return None
    try:
        with psycopg.connect(database_url(admin_url, name), autocommit=True) as conn:
            if not conn.execute(
                "SELECT 1 FROM transparency_rollup WHERE measure = 'received' LIMIT 1"
            ).fetchone():
                return None
            return conn.execute("SELECT count(*) FROM complaints_complaint").fetchone()[0]
    except psycopg.Error:
        return None


def measure(url: str, warmup: int, repeats: int) -> dict:
    times = []
    for i in range(warmup + repeats):  # bounded loop
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as r:
            body = r.read()
            assert r.status == 200, (url, r.status)
        if i >= warmup:
            times.append(time.perf_counter() - started)
    times.sort()
    return {
        "median_ms": statistics.median(times) * 1000,
        "p90_ms": times[int(len(times) * 0.9) - 1] * 1000,
        "bytes": len(body),
    }


def one_size(label: str, complaints: int, args, admin_url: str) -> dict:
    name = f"amanah_bench_{label}"
    reused = args.reuse and seeded_complaints(admin_url, name) == complaints
    db_url = database_url(admin_url, name) if reused else recreate_database(admin_url, name)
    data_dir = tempfile.mkdtemp(prefix=f"amanah-bench-{label}-")
    env = amanah_env(db_url, data_dir, AMANAH_CACHE_URL="locmem")
    amanah = [PYTHON, "-m", "amanah.cli"]
    run([*amanah, "migrate", "--verbosity", "0"], env)
    answers = complaints * args.answers_per_complaint
    if reused:
        print(f"{label}: reusing the seeded database {name}", flush=True)
        seed_seconds = None
        if args.rebuild:
            # bring the facts and rollups up to date with the current code
            rebuild_seconds = run([*amanah, "manage", "transparency_rebuild"], env)
            print(f"{label}: transparency_rebuild took {rebuild_seconds:.1f} s", flush=True)
    else:
        seed_seconds = run(
            [
                *amanah,
                "seed",
                "--agencies",
                str(args.agencies),
                "--units",
                str(args.units),
                "--employees",
                "1",
                "--complaints",
                str(complaints),
                "--survey-answers",
                str(answers),
            ],
            env,
        )
    server, port = start_gunicorn(PYTHON, env, 1, 1, 300)
    try:
        base = f"http://127.0.0.1:{port}"
        agency = "syn-0"
        pages = {
            "national dashboard": "/transparansi/",
            "agency dashboard": f"/transparansi/i/{agency}/",
            "summary API (national)": "/api/v1/transparency/summary",
            "summary API (agency)": f"/api/v1/transparency/summary?agency={agency}",
            "agencies CSV": "/api/v1/transparency/agencies?format=csv",
        }
        results = {
            page: measure(base + path, args.warmup, args.repeats) for page, path in pages.items()
        }
    finally:
        stop(server)
    return {
        "complaints": complaints,
        "answers": answers,
        "seed_seconds": seed_seconds,
        "pages": results,
    }


def seed_time(result: dict) -> str:
    seconds = result["seed_seconds"]
    return "reused" if seconds is None else f"{seconds:.1f} s"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--small", type=int, default=10_000)
    p.add_argument("--large", type=int, default=1_000_000)
    p.add_argument("--answers-per-complaint", type=int, default=1)
    p.add_argument("--agencies", type=int, default=100)
    p.add_argument("--units", type=int, default=50, help="units per agency")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repeats", type=int, default=15)
    add_database_url(p)
    p.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database seeded by an earlier run with the same number of complaints "
        "(no seed time is reported then); for profiling, not for recorded results",
    )
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="with --reuse: run `amanah manage transparency_rebuild` on a reused database first",
    )
    p.add_argument("--write", action="store_true", help="append the results to bench/RESULTS.md")
    args = p.parse_args(argv)
    require_local_database(p, args)
    small = one_size("small", args.small, args, args.database_url)
    large = one_size("large", args.large, args, args.database_url)
    lines = [
        f"## Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `.venv/bin/python bench/dashboard.py --small {args.small} --large {args.large} "
        f"--answers-per-complaint {args.answers_per_complaint} --agencies {args.agencies} --units {args.units} "
        f"--repeats {args.repeats}{' --reuse' if args.reuse else ''}{' --rebuild' if args.rebuild else ''}"
        f"{' --write' if args.write else ''}`",
        "",
        f"Organisation: {args.agencies} agencies × {args.units} units (× 2 services). PostgreSQL, one gunicorn "
        f"worker with one thread on 127.0.0.1; {args.warmup} warm-up and {args.repeats} timed requests per page.",
        "",
        "| Size | Complaints | SKM answers | `amanah seed` |",
        "|---|---:|---:|---:|",
        f"| small | {small['complaints']:,} | {small['answers']:,} | {seed_time(small)} |",
        f"| large | {large['complaints']:,} | {large['answers']:,} | {seed_time(large)} |",
        "",
        "| Page | small median (ms) | large median (ms) | large p90 (ms) | ratio large/small |",
        "|---|---:|---:|---:|---:|",
    ]
    for page, s in small["pages"].items():
        lg = large["pages"][page]
        lines.append(
            f"| {page} | {s['median_ms']:.1f} | {lg['median_ms']:.1f} | {lg['p90_ms']:.1f} | "
            f"{lg['median_ms'] / s['median_ms']:.2f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        path = Path(__file__).with_name("RESULTS.md")
        head = (
            ""
            if path.exists()
            else "# Benchmark results\n\nSee `bench/dashboard.py` for what is measured.\n\n"
        )
        with path.open("a") as f:
            f.write(head + text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
