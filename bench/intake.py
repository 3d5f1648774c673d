"""Benchmark (issue 3): public complaint intake over HTTP against a bare one-INSERT Django view, in one run.

The script creates a fresh PostgreSQL database (``amanah_bench_intake``), migrates it, loads a small synthetic
organisation with ``amanah seed`` (5 agencies × 5 units × 2 services by default) and serves Amanah with gunicorn
on 127.0.0.1 only. The server runs with the bench-only settings ``bench/baseline_settings.py``: Amanah's
settings with ``ROOT_URLCONF`` pointing at ``bench/baseline_urls.py``, which is every Amanah URL plus
``POST /bench/insert/`` — a bare Django view (same middleware) that parses the same JSON body and does one
raw-SQL INSERT into a bench table. That view is the baseline; it is not part of the shipped URLs.

Both endpoints are served by the same gunicorn process (same workers, threads, database and cache), and are
measured alternately in several rounds (baseline first in odd rounds, intake first in even rounds) so that
noise from other jobs on the machine falls on both. Each phase sends a bounded number of requests
(``--requests`` intakes, ``--baseline-requests`` baseline requests, split over ``--clients`` client processes using ``http.client``, one connection per request)
and stops early at ``--phase-seconds``. The complaint is realistic: a service code (rotating over the seeded
services), a description of about 600 characters, incident date and place, loss, remedy, name, e-mail and
phone (so the acknowledgement e-mail task is queued too) and ``publish``.

Every intake must answer 201 and every baseline request 201: any other status (or a connection error) is
counted, printed and makes the run fail with exit status 1. At the end the number of complaints in the
database is checked against the number of 201 answers.

The public intake is rate limited per client address (``AMANAH_PUBLIC_FORM_RATE_COUNT`` per
``AMANAH_PUBLIC_FORM_RATE_SECONDS``, default 20 per 600 s); all benchmark clients come from 127.0.0.1, so the
script raises the limit to 1 000 000 000 per 600 s for the server it starts. The rate-limit check itself
still runs on every request. The cache is Redis on 127.0.0.1:6379 (database 15) when a Redis server answers
there, as in the production set-up of ``docs/deploy.md``; otherwise Amanah's default file-based cache under the
data directory. ``--cache-url`` picks one explicitly (``file`` for the file cache, ``locmem``, or a
``redis://`` URL).

Reported: throughput (requests/s, median over rounds), median and p90 latency (over all timed requests) for
both, and the ratio intake/baseline throughput. The goal is at least 0.5.

    .venv/bin/python bench/intake.py [--write]
    .venv/bin/python bench/intake.py --rounds 5 --requests 1000 --baseline-requests 3000 --clients 8 --workers 2 --threads 4 \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres --write

With ``--write`` the results are appended to ``bench/RESULTS.md`` (section "Complaint intake (issue 3)").
The database (and the temporary data folder) are removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import (
    add_database_url,
    admin_conn,
    amanah_env,
    append_results,
    drop_database,
    migrate_and_seed,
    recreate_database,
    require_local_database,
    start_gunicorn,
    stop,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
DB_NAME = "amanah_bench_intake"
INTAKE_PATH = "/api/v1/complaints"
BASELINE_PATH = "/bench/insert/"
TABLE_SQL = (  # the baseline's table (see bench/baseline_urls.py)
    "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, title text NOT NULL, body text NOT NULL, "
    "created_at timestamptz NOT NULL DEFAULT now())"
)

DESCRIPTION = (
    "Pada hari Senin pagi saya datang ke loket pelayanan pukul 08.00 untuk mengurus perubahan data "
    "kartu keluarga. Petugas meminta saya kembali esok hari karena jaringan sedang gangguan, padahal "
    "pemohon lain yang datang setelah saya tetap dilayani. Keesokan harinya saya diminta melengkapi "
    "surat pengantar dari kelurahan yang tidak tercantum dalam persyaratan di papan informasi maupun "
    "di situs resmi. Saya sudah tiga kali bolak-balik dan kehilangan upah harian. Mohon penjelasan "
    "persyaratan yang benar dan perbaikan antrean agar pemohon dilayani sesuai urutan kedatangan."
)


def complaint_payload(i: int, agencies: int, units: int) -> bytes:
    a, u, s = i % agencies, (i // agencies) % units, (i // (agencies * units)) % 2
    incident = dt.date.today() - dt.timedelta(days=3 + i % 20)
    return json.dumps(
        {
            "kind": "pengaduan",
            "service": f"syn-{a}-u{u}-s{s}",
            "title": f"Pelayanan kartu keluarga berbelit-belit (antrean {i % 97})",
            "description": DESCRIPTION,
            "incident_date": incident.isoformat(),
            "incident_place": "Loket 3, Kantor Pelayanan Terpadu, Jl. Magelang Km 10",
            "loss": "Tiga hari kerja tidak masuk, ongkos transportasi sekitar Rp150.000.",
            "remedy": "Penjelasan tertulis persyaratan dan pelayanan sesuai nomor antrean.",
            "identity_mode": "biasa",
            "name": "Siti Rahmawati",
            "email": f"warga{i % 50}@example.org",
            "phone": "+62 812 3456 7890",
            "publish": True,
        }
    ).encode()


# --- Database and server ---------------------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# --- Load generator ----------------------------------------------------------------------------------


def post(port: int, path: str, body: bytes) -> tuple[int, float, bytes]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/json", "Connection": "close"},
        )
        r = conn.getresponse()
        data = r.read()
        status = r.status
    except OSError as exc:
        status, data = 0, repr(exc).encode()
    finally:
        conn.close()
    return status, time.perf_counter() - started, data


def client(job: tuple) -> dict:
    """One client process's share of a phase: sequential requests until ``count`` or ``deadline``."""
    port, path, bodies, count, deadline = job
    out, errors = [], []
    t0 = time.monotonic()
    for i in range(count):  # bounded loop
        if time.monotonic() > deadline:
            break
        status, seconds, data = post(port, path, bodies[i % len(bodies)])
        out.append((status, seconds))
        if status != 201 and len(errors) < 3:
            errors.append(f"{status}: {data[:300]!r}")
    return {"results": out, "start": t0, "end": time.monotonic(), "errors": errors}


def phase(
    pool, port: int, path: str, bodies: list[bytes], total: int, clients: int, seconds: float
):
    deadline = time.monotonic() + seconds
    shares = [total // clients + (1 if k < total % clients else 0) for k in range(clients)]
    jobs = [
        (port, path, bodies[k::clients] or bodies, n, deadline) for k, n in enumerate(shares) if n
    ]
    parts = pool.map(client, jobs)
    results = [r for p in parts for r in p["results"]]
    elapsed = max(p["end"] for p in parts) - min(p["start"] for p in parts)
    ok = [s for st, s in results if st == 201]
    return {
        "sent": len(results),
        "ok": len(ok),
        "failed": len(results) - len(ok),
        "truncated": len(results) < total,
        "elapsed": elapsed,
        "rps": len(results) / elapsed,
        "latencies": [s for _st, s in results],
        "errors": [e for p in parts for e in p["errors"]],
    }


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(q * len(values)) - 1))]


# --- Main ---------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--agencies", type=int, default=5)
    p.add_argument("--units", type=int, default=5, help="units per agency (2 services each)")
    p.add_argument("--requests", type=int, default=1000, help="intake requests per round")
    p.add_argument(
        "--baseline-requests", type=int, default=3000, help="baseline requests per round"
    )
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--warmup", type=int, default=60, help="untimed requests per endpoint first")
    p.add_argument("--clients", type=int, default=8, help="concurrent client processes")
    p.add_argument("--phase-seconds", type=float, default=40, help="time bound of one phase")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    p.add_argument(
        "--cache-url",
        default="auto",
        help="AMANAH_CACHE_URL for the server: auto (Redis on 127.0.0.1:6379/15 if it answers), file, "
        "locmem or a redis:// URL",
    )
    add_database_url(p)
    p.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    p.add_argument("--write", action="store_true", help="append the results to bench/RESULTS.md")
    args = p.parse_args(argv)
    require_local_database(p, args)

    load = os.getloadavg()
    db_url = recreate_database(args.database_url, DB_NAME)
    data_dir = tempfile.mkdtemp(prefix="amanah-bench-intake-")
    env = amanah_env(
        db_url,
        data_dir,
        AMANAH_PUBLIC_FORM_RATE_COUNT="1000000000",
        AMANAH_PUBLIC_FORM_RATE_SECONDS="600",
        AMANAH_SITE_URL="http://127.0.0.1:8000",
    )
    if args.cache_url == "auto":
        args.cache_url = REDIS_URL if redis_answers() else "file"
    if args.cache_url != "file":
        env["AMANAH_CACHE_URL"] = args.cache_url
    server = None
    failures: list[str] = []
    try:
        migrate_and_seed(PYTHON, env, args.agencies, args.units)
        with admin_conn(db_url) as conn:
            conn.execute(TABLE_SQL)
        server_env = dict(
            env,
            DJANGO_SETTINGS_MODULE="baseline_settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(BENCH), env.get("PYTHONPATH")])),
        )
        server, port = start_gunicorn(PYTHON, server_env, args.workers, args.threads, 120)

        bodies = [complaint_payload(i, args.agencies, args.units) for i in range(500)]
        status, _s, data = post(port, INTAKE_PATH, bodies[0])
        if status != 201 or b"tracking_code" not in data:
            raise SystemExit(f"intake smoke test failed: {status} {data[:500]!r}")
        status, _s, data = post(port, BASELINE_PATH, bodies[0])
        if status != 201:
            raise SystemExit(f"baseline smoke test failed: {status} {data[:500]!r}")
        expected = {"intake": 1, "baseline": 1}
        endpoints = {"baseline": BASELINE_PATH, "intake": INTAKE_PATH}
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(args.clients) as pool:
            for name, path in endpoints.items():  # warm-up, untimed
                w = phase(pool, port, path, bodies, args.warmup, args.clients, args.phase_seconds)
                expected[name] += w["ok"]
                if w["failed"]:
                    failures.append(f"{name} warm-up: {w['failed']} failed: {w['errors']}")
            rounds = []
            for r in range(args.rounds):
                order = list(endpoints) if r % 2 == 0 else list(reversed(endpoints))
                this = {}
                for name in order:
                    res = phase(
                        pool,
                        port,
                        endpoints[name],
                        bodies,
                        args.requests if name == "intake" else args.baseline_requests,
                        args.clients,
                        args.phase_seconds,
                    )
                    expected[name] += res["ok"]
                    if res["failed"]:
                        failures.append(
                            f"{name} round {r + 1}: {res['failed']} of {res['sent']} not 201: "
                            f"{res['errors']}"
                        )
                    this[name] = res
                    print(
                        f"round {r + 1} {name:8}: {res['sent']} requests in {res['elapsed']:.1f} s, "
                        f"{res['rps']:.1f}/s, median {statistics.median(res['latencies']) * 1000:.1f} ms"
                        f"{' (time bound hit)' if res['truncated'] else ''}",
                        flush=True,
                    )
                rounds.append(this)
        with admin_conn(db_url) as conn:
            complaints = conn.execute("SELECT count(*) FROM complaints_complaint").fetchone()[0]
            inserted = conn.execute("SELECT count(*) FROM bench_insert").fetchone()[0]
            queued = conn.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            ).fetchone()[0]
        if complaints != expected["intake"]:
            failures.append(
                f"{complaints} complaints in the database, {expected['intake']} answered 201"
            )
        if inserted != expected["baseline"]:
            failures.append(f"{inserted} baseline rows, {expected['baseline']} answered 201")
    finally:
        if server is not None:
            stop(server)
        if not args.keep:
            drop_database(args.database_url, DB_NAME)
            shutil.rmtree(data_dir, ignore_errors=True)

    summary = {}
    for name in endpoints:
        lat = [s for r in rounds for s in r[name]["latencies"]]
        summary[name] = {
            "rps": statistics.median(r[name]["rps"] for r in rounds),
            "rps_all": [r[name]["rps"] for r in rounds],
            "median_ms": statistics.median(lat) * 1000,
            "p90_ms": pct(lat, 0.9) * 1000,
            "sent": sum(r[name]["sent"] for r in rounds),
            "failed": sum(r[name]["failed"] for r in rounds),
        }
    ratio = summary["intake"]["rps"] / summary["baseline"]["rps"]
    per_round = [r["intake"]["rps"] / r["baseline"]["rps"] for r in rounds]
    given = argv if argv is not None else sys.argv[1:]
    cmd = " ".join(["bench/intake.py", *(a for a in given if a != "--write")])
    cache = "default file-based cache" if args.cache_url == "file" else f"`{args.cache_url}`"
    lines = [
        f"## Complaint intake (issue 3) — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `.venv/bin/python {cmd}` (`--write` appends this section here)",
        "",
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, shared with other jobs (load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end). PostgreSQL on "
        f"127.0.0.1; gunicorn on 127.0.0.1 with {args.workers} workers × {args.threads} threads serving both "
        f"endpoints; {args.clients} client processes (`http.client`, one connection per request); "
        f"{args.rounds} rounds of {args.requests} intake and {args.baseline_requests} baseline requests, "
        f"alternating which goes first, after {args.warmup} warm-up requests each. Organisation: `amanah seed --agencies {args.agencies} --units "
        f"{args.units}`. Rate limit raised with `AMANAH_PUBLIC_FORM_RATE_COUNT=1000000000` (the check still "
        f"runs); cache: {cache}.",
        "",
        "| Endpoint | requests | non-201 | throughput (req/s, median of rounds) | median (ms) | p90 (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in (
        ("intake", "`POST /api/v1/complaints` (intake)"),
        ("baseline", "`POST /bench/insert/` (one INSERT)"),
    ):
        s = summary[name]
        lines.append(
            f"| {label} | {s['sent']:,} | {s['failed']} | {s['rps']:.1f} | {s['median_ms']:.1f} | "
            f"{s['p90_ms']:.1f} |"
        )
    lines += [
        "",
        f"Ratio intake/baseline throughput: **{ratio:.2f}** (goal ≥ 0.5); per round: "
        + ", ".join(f"{x:.2f}" for x in per_round)
        + f". Database check: {complaints:,} complaints for {expected['intake']:,} answers 201, "
        f"{queued:,} background tasks queued (rollup sync and acknowledgement e-mail; no worker ran).",
        "",
    ]
    text = "\n".join(lines)
    print()
    print(text)
    if failures:
        print("FAILED:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    if args.write:
        append_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
