"""Benchmark (issue 5): SKM results of a period with one million answers against a raw SQL ``GROUP BY``.

This is ``amanah manage skm_bench`` run in a fresh database and with more statistics. For each backend (by
default PostgreSQL, then SQLite; ``--backends`` picks) the script creates a fresh database (PostgreSQL:
``amanah_bench_skm``; SQLite: a file in a temporary folder), migrates it, and runs itself as a child process
with Amanah's settings pointed at that database. The child loads the data with the ``skm_bench`` command's own
loader (a bench agency and unit, one period with ``--answers`` answers and a second period with a tenth as many
so that the period filter and the index matter; COPY on PostgreSQL, batched inserts on SQLite; then
``ANALYZE``), then times, in the same process and interleaved (alternating which goes first):

* the app: ``amanah.surveys.selectors.results(period)`` — one ORM aggregate (COUNT and nine SUMs over the
  period's answers) plus the exact fractions and serialisation in Python, as the results API computes it;
* the raw SQL: ``SELECT period_id, COUNT(*), SUM(u1) … SUM(u9) FROM surveys_response WHERE period_id = %s
  GROUP BY period_id`` through the same Django connection.

Both answers are checked to agree (respondents and the nine totals). Reported: median, min and p90 of each and
the ratio of the medians, app/raw; the goal is at most 1.5. The PostgreSQL database is dropped at the end
(and the SQLite folder removed) unless ``--keep``.

    .venv/bin/python bench/skm.py [--write]
    .venv/bin/python bench/skm.py --answers 1000000 --repeat 15 --backends postgresql,sqlite \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres --write

With ``--write`` the results are appended to ``bench/RESULTS.md`` (section "SKM results (issue 5)").
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
from urllib.parse import urlsplit

from common import (
    add_database_url,
    amanah_env,
    append_results,
    drop_database,
    recreate_database,
    section_head,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
DB_NAME = "amanah_bench_skm"
RESULT_PREFIX = "SKM-BENCH-RESULT "


# --- Child: runs with Django set up against the fresh database ------------------------------------------


def child(answers: int, repeat: int, seed: int) -> dict:

    import django

    django.setup()
    from django.db import connection

    from amanah.surveys.management.commands.skm_bench import Command, load_periods, time_queries
    from amanah.surveys.models import SurveyPeriod

    t0 = time.perf_counter()
    period, _other = load_periods(answers, seed, insert=Command()._insert)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    load_seconds = time.perf_counter() - t0

    # The period as the results API has it (one query, with its unit and service).
    period = SurveyPeriod.objects.select_related("unit", "service").get(pk=period.pk)
    t_app, t_raw, res = time_queries(period, repeat, answers)
    return {
        "vendor": connection.vendor,
        "version": _version(connection),
        "answers": answers,
        "other": answers // 10,
        "load_seconds": load_seconds,
        "app": t_app,
        "raw": t_raw,
        "ikm": res["ikm"],
        "mutu": res["mutu"],
    }


def _version(connection) -> str:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            return "PostgreSQL " + cur.fetchone()[0].split()[0]
        cur.execute("SELECT sqlite_version()")
        return "SQLite " + cur.fetchone()[0]


# --- Parent: databases, child processes, report ---------------------------------------------------------


def run_backend(backend: str, args) -> dict:
    data_dir = tempfile.mkdtemp(prefix=f"amanah-bench-skm-{backend}-")
    if backend == "postgresql":
        db_url = recreate_database(args.database_url, DB_NAME)
    else:
        db_url = f"sqlite:///{data_dir}/skm.sqlite3"
    env = amanah_env(db_url, data_dir, DJANGO_SETTINGS_MODULE="amanah.settings")
    try:
        subprocess.run(
            [PYTHON, "-m", "amanah.cli", "migrate", "--verbosity", "0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        out = subprocess.run(
            [
                PYTHON,
                str(Path(__file__).resolve()),
                "--child",
                "--answers",
                str(args.answers),
                "--repeat",
                str(args.repeat),
                "--seed",
                str(args.seed),
            ],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    finally:
        if not args.keep:
            if backend == "postgresql":
                drop_database(args.database_url, DB_NAME)
            shutil.rmtree(data_dir, ignore_errors=True)
    line = next(x for x in out.splitlines() if x.startswith(RESULT_PREFIX))
    return json.loads(line[len(RESULT_PREFIX) :])


def p90(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(0.9 * len(values)) - 1))]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--answers", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=15, help="timed runs of each query")
    p.add_argument("--seed", type=int, default=2017)
    p.add_argument(
        "--backends", default="postgresql,sqlite", help="comma-separated: postgresql, sqlite"
    )
    add_database_url(p)
    p.add_argument("--keep", action="store_true", help="keep the database(s)")
    p.add_argument("--write", action="store_true", help="append the results to bench/RESULTS.md")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        result = child(args.answers, args.repeat, args.seed)
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if set(backends) - {"postgresql", "sqlite"}:
        p.error("--backends takes postgresql and/or sqlite")
    if "postgresql" in backends and urlsplit(args.database_url).hostname not in (
        "127.0.0.1",
        "localhost",
    ):
        p.error("the benchmark only talks to a database on 127.0.0.1")

    load = os.getloadavg()
    started = time.monotonic()
    results = {}
    for backend in backends:
        results[backend] = r = run_backend(backend, args)
        print(
            f"{r['version']}: loaded {r['answers']:,} + {r['other']:,} answers in "
            f"{r['load_seconds']:.1f} s; results() median {statistics.median(r['app']) * 1000:.1f} ms, "
            f"raw GROUP BY median {statistics.median(r['raw']) * 1000:.1f} ms",
            flush=True,
        )

    lines = section_head(
        "SKM results (issue 5)",
        "bench/skm.py",
        argv,
        load,
        f"One period with {args.answers:,} answers and a second with {args.answers // 10:,} in a fresh "
        f"database, loaded by `skm_bench`'s loader; {args.repeat} timed runs of each query, "
        f"interleaved, after 2 warm-ups. Whole run {time.monotonic() - started:.0f} s.",
    )
    lines += [
        "",
        "| Database | load (s) | `results()` median (ms) | min | p90 | raw `GROUP BY` median (ms) | min | p90 "
        "| ratio app/raw (medians) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results.values():
        ma, mr = statistics.median(r["app"]), statistics.median(r["raw"])
        lines.append(
            f"| {r['version']} | {r['load_seconds']:.1f} | {ma * 1000:.1f} | {min(r['app']) * 1000:.1f} | "
            f"{p90(r['app']) * 1000:.1f} | {mr * 1000:.1f} | {min(r['raw']) * 1000:.1f} | "
            f"{p90(r['raw']) * 1000:.1f} | **{ma / mr:.2f}** |"
        )
    lines += ["", "Goal: ratio ≤ 1.5.", ""]
    text = "\n".join(lines)
    print()
    print(text)
    if args.write:
        append_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
