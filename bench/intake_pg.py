"""What an intake costs PostgreSQL, part by part (issue 3).

The script files one complaint through the API in-process (Django test client, bench settings, a fresh database
``amanah_bench_intake_pg`` seeded like ``bench/intake.py``) and records the SQL it sends, exactly as sent
(client-side binding). It then replays those statements directly with psycopg, ``--requests`` transactions per
variant and ``--rounds`` rounds, each transaction with fresh unique values (tracking code, task ids, audit
sequence number), and reads the backend's CPU time from ``/proc`` (Linux, database on this machine):

* every part (complaint, timeline step, task rows, audit append), as an intake writes them;
* each part left out in turn, and each part alone in its own transaction;
* an empty transaction (``BEGIN``/``COMMIT``) and the one-``INSERT`` baseline's statement (autocommit, as
  the baseline view sends it).

The audit head table is vacuumed before each variant so that dead versions of its single row left by earlier
variants do not weigh on later ones.

    .venv/bin/python bench/intake_pg.py [--rounds 3] [--requests 400]

Nothing is written to ``bench/RESULTS.md``; quote the figures there by hand with the command.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import (
    add_database_url,
    amanah_env,
    drop_database,
    migrate_and_seed,
    process_cpu,
    recreate_database,
    require_local_database,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
DB_NAME = "amanah_bench_intake_pg"
TICK = os.sysconf("SC_CLK_TCK")
UUID = re.compile(r"'[0-9a-f]{32}'::uuid")
PARTS = ("complaint", "event", "tasks", "audit")


def capture() -> None:
    """Child: file two complaints (the first warms the process up) and print the second one's statements."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from intake import INTAKE_PATH, complaint_payload

    client = Client()
    client.post(INTAKE_PATH, complaint_payload(1, 5, 5), content_type="application/json")
    sent = []

    def keep(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        sent.append(context["cursor"].cursor._query.query.decode())
        return result

    with connection.execute_wrapper(keep):
        r = client.post(INTAKE_PATH, complaint_payload(2, 5, 5), content_type="application/json")
    if r.status_code != 201:
        raise SystemExit(f"intake failed: {r.status_code} {r.content[:300]!r}")
    print(json.dumps({"code": r.json()["tracking_code"], "statements": sent}))


def classify(statements: list[str]) -> dict:
    out = {}
    for sql in statements:
        if sql.startswith('INSERT INTO "complaints_complaint"'):
            out["complaint"] = sql
        elif sql.startswith('INSERT INTO "complaints_complaintevent"'):
            out["event"] = sql
        elif sql.startswith('INSERT INTO "django_tasks_database_dbtaskresult"'):
            out["tasks"] = sql
        elif 'INSERT INTO "core_auditentry"' in sql:
            out["audit_append"] = sql
        elif '"core_audithead"' in sql:
            out["audit_head"] = sql
    missing = {"complaint", "event", "tasks", "audit_append", "audit_head"} - set(out)
    if missing:
        raise SystemExit(f"the intake's statements were not recognised: {sorted(missing)}")
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--requests", type=int, default=400, help="transactions per variant and round")
    add_database_url(p)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        capture()
        return 0
    require_local_database(p, args)
    import psycopg
    from intake import TABLE_SQL

    db_url = recreate_database(args.database_url, DB_NAME)
    data_dir = tempfile.mkdtemp(prefix="amanah-bench-pg-")
    env = amanah_env(
        db_url, data_dir, AMANAH_PUBLIC_FORM_RATE_COUNT="1000000000", AMANAH_CACHE_URL="locmem"
    )
    results: dict[str, list[float]] = {}
    try:
        migrate_and_seed(sys.executable, env, 5, 5)
        child_env = dict(
            env,
            DJANGO_SETTINGS_MODULE="baseline_settings",
            PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT)]),
        )
        out = subprocess.run(
            [sys.executable, str(Path(__file__)), "--child"],
            env=child_env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        captured = json.loads(out.strip().splitlines()[-1])
        code, sql = captured["code"], classify(captured["statements"])
        conn = psycopg.connect(db_url)
        conn.execute(TABLE_SQL)
        conn.commit()
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        conn.commit()

        def cpu() -> float:
            return process_cpu(pid)

        counter = [0]

        def transaction(parts) -> None:
            counter[0] += 1
            if parts == {"baseline"}:  # as the baseline view runs it: one statement, autocommit
                conn.execute(
                    "INSERT INTO bench_insert (title, body) VALUES (%s, %s) RETURNING id",
                    ["Judul", "Isi pengaduan " * 40],
                )
                return
            with conn.transaction():
                if "complaint" in parts:
                    fresh = f"B{counter[0]}-{time.time_ns() % 10**12}"[:24]
                    conn.execute(sql["complaint"].replace(code, fresh))
                if "event" in parts:
                    conn.execute(sql["event"])
                if "tasks" in parts:
                    conn.execute(UUID.sub(lambda m: f"'{uuid.uuid4().hex}'::uuid", sql["tasks"]))
                if "audit" in parts:
                    seq = conn.execute(sql["audit_head"]).fetchone()[0]
                    conn.execute(
                        re.sub(r"VALUES \(\d+,", f"VALUES ({seq},", sql["audit_append"], count=1)
                    )

        variants = {"intake (all parts)": set(PARTS)}
        variants |= {f"without {part}": set(PARTS) - {part} for part in PARTS}
        variants |= {f"{part} alone": {part} for part in PARTS}
        variants |= {"empty transaction": set(), "baseline INSERT": {"baseline"}}
        results = {name: [] for name in variants}
        for _round in range(args.rounds):
            for name, parts in variants.items():
                conn.autocommit = True
                conn.execute("VACUUM core_audithead")
                conn.autocommit = parts == {"baseline"}
                before = cpu()
                for _ in range(args.requests):
                    transaction(parts)
                results[name].append((cpu() - before) / args.requests * 1000)
                conn.autocommit = False
        conn.close()
    finally:
        drop_database(args.database_url, DB_NAME)
        shutil.rmtree(data_dir, ignore_errors=True)
    print(
        f"PostgreSQL backend CPU per transaction (ms), median of {args.rounds} rounds of "
        f"{args.requests}; /proc ticks are {1000 / TICK:.0f} ms, so figures are averages over many.\n"
    )
    print("| Transaction | PostgreSQL CPU (ms) |")
    print("|---|---:|")
    for name, values in results.items():
        print(f"| {name} | {statistics.median(values):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
