"""Helpers shared by the benchmark scripts: free ports, throw-away PostgreSQL databases, running
Amanah's commands and waiting for a server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def add_database_url(parser) -> None:
    """``--database-url``: the PostgreSQL server to create the bench database on (default
    ``AMANAH_BENCH_DATABASE_URL`` or postgres@127.0.0.1:5432)."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "AMANAH_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
    )


def require_local_database(parser, args) -> None:
    """Stop with a usage error unless ``--database-url`` points at this machine (benchmarks load it hard)."""
    if urlsplit(args.database_url).hostname not in ("127.0.0.1", "localhost"):
        parser.error("the benchmark only talks to a database on 127.0.0.1")


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) process ``pid`` of this machine has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_cpu(connection) -> float:
    """:func:`process_cpu` of the PostgreSQL backend serving ``connection`` (a Django connection)."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return process_cpu(cur.fetchone()[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(admin_url: str, name: str) -> str:
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


def admin_conn(admin_url: str):
    import psycopg

    return psycopg.connect(admin_url, autocommit=True)


def recreate_database(admin_url: str, name: str) -> str:
    """Drop (even with open connections) and create ``name``; returns its URL."""
    with admin_conn(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    with admin_conn(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def amanah_env(db_url: str, data_dir: str, **extra: str) -> dict:
    """This process's environment without any ``AMANAH_*`` or ``DJANGO_SETTINGS_MODULE`` of the caller, pointed
    at ``db_url`` and ``data_dir`` (debug off), plus the variables in ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AMANAH_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(AMANAH_DATABASE_URL=db_url, AMANAH_DATA_DIR=data_dir, AMANAH_DEBUG="0", **extra)
    return env


def migrate_and_seed(python: str, env: dict, agencies: int, units: int, cwd: Path = ROOT) -> None:
    """Migrate a fresh database and load the synthetic organisation (``agencies`` × ``units`` × 2 services),
    with the code of the checkout at ``cwd`` (``python -m`` imports from its working directory first)."""
    amanah = [python, "-m", "amanah.cli"]
    run([*amanah, "migrate", "--verbosity", "0"], env, cwd)
    run(
        [*amanah, "seed", "--agencies", str(agencies), "--units", str(units), "--employees", "1"],
        env,
        cwd,
    )


def run(cmd: list[str], env: dict, cwd: Path = ROOT) -> float:
    """Run a command in the project folder (or ``cwd``); returns how many seconds it took."""
    started = time.monotonic()
    subprocess.run(cmd, env=env, cwd=cwd, check=True)
    return time.monotonic() - started


def start_gunicorn(python: str, env: dict, workers: int, threads: int, timeout: int) -> tuple:
    """Serve Amanah with gunicorn on a free port of 127.0.0.1 and wait for its health check; returns
    ``(process, port)``. Stop it with :func:`stop`."""
    port = free_port()
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "amanah.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            str(timeout),
            "--error-logfile",
            "-",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/v1/health")
    except BaseException:
        stop(server)
        raise
    return server, port


def stop(server) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not start: {url}")


def add_complaints(total: int) -> None:
    """Inside a Django process on PostgreSQL: file one complaint through the intake, then add ``total - 1``
    copies of it with one ``INSERT … SELECT generate_series`` — spread over every service, statuses of a
    mature installation (mostly closed), two minutes apart going back from now, one in seven asking for
    publication and one in fourteen published, identity modes mixed."""
    from django.db import connection

    from amanah.complaints import services
    from amanah.core.models import Service

    template_pk = services.submit(
        None,
        {
            "service": Service.objects.order_by("pk").first(),
            "title": "KTP-el belum jadi",
            "description": "Sudah tiga bulan KTP-el belum dicetak.",
            "name": "Siti",
        },
        channel="web",
    ).pk
    rows = total - 1

    fixed = (
        "id tracking_code agency_id unit_id service_id status received_at publish_requested "
        "publish_approved identity_mode"
    ).split()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'complaints_complaint' AND NOT (column_name = ANY(%s))",
            [fixed],
        )
        copied = [r[0] for r in cur.fetchall()]
        cols = ", ".join(copied)
        cur.execute(
            f"""
            WITH svc AS (
                SELECT s.id, s.unit_id, u.agency_id, row_number() OVER (ORDER BY s.id) AS rn
                FROM core_service s JOIN core_unit u ON u.id = s.unit_id)
            INSERT INTO complaints_complaint (tracking_code, agency_id, unit_id, service_id, status,
                received_at, publish_requested, publish_approved, identity_mode, {cols})
            SELECT substr(md5(g::text), 1, 19), svc.agency_id, svc.unit_id, svc.id,
                (ARRAY['selesai','selesai','selesai','selesai','selesai','selesai','selesai',
                       'diterima','diteruskan','diproses','dijawab','ditolak'])[1 + g %% 12],
                now() - g * interval '2 minutes', g %% 7 = 0, g %% 14 = 0,
                (ARRAY['biasa','biasa','rahasia','anonim'])[1 + g %% 4],
                {", ".join("t." + c for c in copied)}
            FROM generate_series(1, %s) g
            JOIN svc ON svc.rn = 1 + (g * 7919) %% (SELECT count(*) FROM core_service)
            CROSS JOIN (SELECT * FROM complaints_complaint WHERE id = %s) t
            """,
            [rows, template_pk],
        )


def add_inbox_complaints(total: int):
    """:func:`add_complaints`, then a quarter of them (every fourth id) moved into the first agency's
    first unit (the busy agency), and each stage's due date set a few days after receipt as the intake
    and the workflow would have set them (the copies all carry the template's); vacuumed and analysed.
    Returns the busy agency, its unit and the last agency (a small one)."""
    from django.db import connection

    from amanah.core.models import Agency, Unit

    add_complaints(total)
    with connection.cursor() as cur:
        busy = Agency.objects.order_by("pk").first()
        busy_unit = Unit.objects.filter(agency=busy).order_by("pk").first()
        cur.execute(
            "UPDATE complaints_complaint SET agency_id = %s, unit_id = %s WHERE id %% 4 = 0",
            [busy.pk, busy_unit.pk],
        )
        cur.execute(
            "UPDATE complaints_complaint SET verification_due = received_at::date + 1 + mod(id, 5)::int, "
            "response_due = received_at::date + 6 + mod(id, 7)::int, "
            "resolution_due = received_at::date + 12 + mod(id, 30)::int"
        )
        cur.execute("VACUUM ANALYZE complaints_complaint")
    return busy, busy_unit, Agency.objects.order_by("-pk").first()


def bench_user(email: str, role: str, agency=None, unit=None):
    """A user holding ``role`` (in ``agency``/``unit``), read back as a page would find it."""
    from amanah.core.models import RoleAssignment, User

    u = User.objects.create(email=email, full_name=email)
    RoleAssignment.objects.create(user=u, role=role, agency=agency, unit=unit)
    return User.objects.get(pk=u.pk)


def complaint_copy_columns(cur) -> str:
    """The complaint table's columns but ``id`` and ``tracking_code``, comma-separated: what a copy of a
    row takes (with a new tracking code)."""
    cur.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'complaints_complaint' AND column_name NOT IN ('id', 'tracking_code')"
    )
    return ", ".join(r[0] for r in cur.fetchall())


def insert_copies(cur, cols: str, count: int) -> float:
    """Milliseconds (wall time) to add ``count`` copies of the first complaints in one statement; the
    caller rolls it back."""
    started = time.perf_counter()
    cur.execute(
        f"INSERT INTO complaints_complaint (tracking_code, {cols}) "
        f"SELECT 'bench' || id, {cols} FROM complaints_complaint ORDER BY id LIMIT %s",
        [count],
    )
    return (time.perf_counter() - started) * 1000


def explain_median(cur, qs, repeat: int) -> float:
    """The median server execution time (ms) of ``repeat`` runs of queryset ``qs``, from
    ``EXPLAIN (ANALYZE)``."""
    import statistics

    sql, params = qs.query.sql_with_params()
    runs = []
    for _ in range(repeat):  # bounded
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        runs.append(cur.fetchone()[0][0]["Execution Time"])
    return statistics.median(runs)


def source_at(commit: str, path: str) -> str:
    """The text of ``path`` (relative to the repository root) at ``commit``, read with ``git show``
    (``subprocess.CalledProcessError`` or ``OSError`` without git or the commit)."""
    return subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def section_head(title: str, script: str, argv, load: tuple, setup: str) -> list[str]:
    """The first lines of a bench/RESULTS.md section: ``title`` with the time (UTC), the command that
    made it (``script`` and its arguments ``argv``, or the process's, less ``--write``), and the machine:
    its cores, the load average ``load`` taken at the start and the one now, then ``setup``."""
    given = argv if argv is not None else sys.argv[1:]
    cmd = " ".join([script, *(a for a in given if a != "--write")])
    now = dt.datetime.now(dt.UTC)
    return [
        f"## {title} — {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `.venv/bin/python {cmd}` (`--write` appends this section here)",
        "",
        f"Machine: {os.cpu_count()} cores, shared with other jobs (load average {load[0]:.1f} at the "
        f"start, {os.getloadavg()[0]:.1f} at the end). {setup}",
    ]


def append_results(text: str) -> None:
    """Add a section at the end of bench/RESULTS.md in one append (other sections are left alone)."""
    path = ROOT / "bench" / "RESULTS.md"
    with path.open("a", encoding="utf-8") as f:
        f.write(("\n" if path.stat().st_size else "") + text.lstrip("\n"))


def child_json(cmd: list[str], env: dict, cwd: Path = ROOT) -> dict:
    """Run a bench script's ``--child`` part and return the JSON object its last line prints."""
    out = subprocess.run(cmd, env=env, cwd=cwd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


@contextlib.contextmanager
def seeded_database(admin_url: str, name: str, agencies: int, units: int):
    """A fresh PostgreSQL database ``name``, migrated and seeded (see :func:`migrate_and_seed`); yields the
    environment for the child process (``PYTHONPATH`` at the project) and drops the database afterwards."""
    data_dir = tempfile.mkdtemp(prefix=f"{name}-")
    try:
        url = recreate_database(admin_url, name)
        env = amanah_env(url, data_dir, DJANGO_SETTINGS_MODULE="amanah.settings")
        migrate_and_seed(sys.executable, env, agencies, units)
        yield {**env, "PYTHONPATH": str(ROOT)}
    finally:
        drop_database(admin_url, name)


def seeded_bench(doc: str, argv, child, script: str, db_name: str, **defaults):
    """The frame of a bench on a seeded PostgreSQL database with ``--rows`` complaints: parses ``--rows``,
    ``--agencies``, ``--units``, ``--repeat``, ``--write`` and ``--database-url`` (``defaults`` for the
    first four); as the ``--child`` part runs ``child(rows, repeat)`` and returns ``(args, None)``;
    otherwise creates and seeds ``db_name``, runs ``script --child`` in it and returns ``(args, result)``
    with the JSON the child printed."""
    import argparse

    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name in ("rows", "agencies", "units", "repeat"):
        p.add_argument(f"--{name}", type=int, default=defaults[name])
    p.add_argument("--write", action="store_true")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    add_database_url(p)
    args = p.parse_args(argv)
    if args.child:
        child(args.rows, args.repeat)
        return args, None
    require_local_database(p, args)
    with seeded_database(args.database_url, db_name, args.agencies, args.units) as env:
        cmd = [
            sys.executable,
            script,
            "--child",
            "--rows",
            str(args.rows),
            "--repeat",
            str(args.repeat),
        ]
        return args, child_json(cmd, env)
