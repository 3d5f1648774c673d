"""The ``amanah`` command: demo, serve, worker, migrate, createsuperuser, token, open311-key, audit,
keys, seed and ``manage`` (anything else goes to Django's management commands)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amanah.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amanah", *argv])


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amanah.settings")
    import django

    django.setup()


def _port_taken(port: int) -> bool:
    """True when something already listens on 127.0.0.1:``port`` (or it cannot be bound)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _stop_on_sigterm(signum, frame):
    """``kill`` (SIGTERM) stops the demo like Ctrl+C: its server and worker are stopped with it."""
    raise KeyboardInterrupt


#: gunicorn's options shared by ``demo`` and ``serve``. Without its control socket, two servers on one
#: machine (a demo beside a test run, two releases) do not share and remove each other's socket file.
GUNICORN_OPTIONS = [
    "--threads",
    "4",
    "--timeout",
    "60",
    "--error-logfile",
    "-",
    "--no-control-socket",
    # Its error log names a failed request's path; this logger masks tracking codes and tokens in it.
    "--logger-class",
    "amanah.core.logmask.GunicornLogger",
]


def cmd_demo(args) -> int:
    if _port_taken(args.port):
        print(
            f"Port {args.port} di 127.0.0.1 sudah dipakai / is already in use. Pilih port lain / choose "
            f"another port: make demo PORT=8080 (or: amanah demo --port 8080).",
            file=sys.stderr,
        )
        return 1
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if args.data_dir:
        os.environ["AMANAH_DATA_DIR"] = args.data_dir
    os.environ.setdefault("AMANAH_DEBUG", "0")
    # Before settings load: the demo's own mails and links (written while loading the demo data) point
    # at the port it serves on, unless a site address is configured.
    os.environ.setdefault("AMANAH_SITE_URL", f"http://127.0.0.1:{args.port}")
    # Short messages to complainants' phones are printed by the demo's worker, like its e-mails.
    os.environ.setdefault("AMANAH_SMS_URL", "console")
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from amanah.core import demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("compilemessages_if_needed", verbosity=0)
    if demo.is_empty():
        print("Memuat data demo … / Loading demo data …", flush=True)
        demo.load_all()
        demo.drop_story_backlog()
    url = f"http://127.0.0.1:{args.port}/"
    print(f"\nAmanah berjalan di / is running at {url}")
    print(f"Data: {settings.DATA_DIR}")
    print("Akun demo / demo logins (kata sandi / password: amanah-demo):")
    for email, role in demo.DEMO_ACCOUNTS:
        print(f"  {email:<34} {role}")
    print("Tekan Ctrl+C untuk berhenti / press Ctrl+C to stop.\n", flush=True)
    env = dict(os.environ, AMANAH_DATA_DIR=str(settings.DATA_DIR))
    worker = subprocess.Popen([sys.executable, "-m", "amanah.cli", "worker"], env=env)
    try:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "amanah.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                "2",
                *GUNICORN_OPTIONS,
            ],
            env=env,
        )
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in (locals().get("server"), worker):
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()


def static_not_collected() -> list[str]:
    """The static files of this release that the manifest in STATIC_ROOT lacks (production's storage looks
    every file up there, and a page naming a file the manifest lacks fails with a server error). Empty
    when the storage keeps no manifest (outside production the files are served from the apps)."""
    from django.apps import apps
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    try:
        collected, _ = staticfiles_storage.load_manifest()
    except ValueError:  # a manifest Django cannot read is as good as none
        collected = {}
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    found = {path for finder in finders.get_finders() for path, _ in finder.list(ignore)}
    return sorted(found - collected.keys())


def cmd_serve(args) -> int:
    # STATIC_ROOT is each machine's own folder: refuse to start (rather than answer every page with a
    # server error while the health check stays green) until collectstatic has run here for this release.
    _setup()
    missing = static_not_collected()
    if missing:
        from django.conf import settings

        print(
            f"amanah serve: {len(missing)} static file(s) of this release (e.g. {missing[0]}) are not "
            f"collected in {settings.STATIC_ROOT}, and every page would fail. Run "
            "'amanah manage collectstatic --noinput' on this machine, then start again.",
            file=sys.stderr,
        )
        return 1
    bind = args.bind or os.environ.get("AMANAH_BIND", "127.0.0.1:8000")
    workers = str(args.workers or os.environ.get("AMANAH_WORKERS", "4"))
    os.execvp(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "amanah.wsgi",
            "--bind",
            bind,
            "--workers",
            workers,
            *GUNICORN_OPTIONS,
        ],
    )


def cmd_worker(args, extra) -> int:
    """Background tasks, plus the scheduler thread that runs the deadline sweeps (see schedule.py)."""
    _setup()
    import threading

    from django.conf import settings

    from amanah.core import schedule

    stop = threading.Event()
    if settings.SCHEDULE_ENABLED and not args.no_schedule:
        threading.Thread(
            target=schedule.loop,
            args=(stop, settings.SCHEDULE_POLL_SECONDS),
            name="amanah-schedule",
            daemon=True,
        ).start()
    try:
        _django(["db_worker", "--queue-name", "*", "--no-reload", *extra])
    finally:
        stop.set()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        prog="amanah", description="Amanah — platform integritas pelayanan publik"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="run with demo data on SQLite")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--data-dir")
    p = sub.add_parser("serve", help="serve with gunicorn (production)")
    p.add_argument("--bind")
    p.add_argument("--workers", type=int)
    p = sub.add_parser("worker", help="run background tasks and the periodic sweeps")
    p.add_argument(
        "--no-schedule", action="store_true", help="do not run the periodic sweeps in this worker"
    )
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("createsuperuser", help="create a platform admin")
    p = sub.add_parser("token", help="API tokens")
    p.add_argument("action", choices=["create"])
    p.add_argument("email")
    p = sub.add_parser("open311-key", help="Open311 api_key values of integrations")
    p.add_argument("action", choices=["create", "list", "revoke"])
    p.add_argument("target", nargs="?", default="", help="create: integration name; revoke: prefix")
    p.add_argument("--agency", default="", help="create: limit the key to this agency code")
    p = sub.add_parser("audit", help="audit chain")
    p.add_argument("action", choices=["verify", "head"])
    p = sub.add_parser("sessions", help="sign everyone out (after a restore or an incident)")
    p.add_argument("action", choices=["end"])
    p = sub.add_parser("keys", help="encryption and hash keys")
    p.add_argument("action", choices=["rotate", "generate", "rehash"])
    p = sub.add_parser("seed", help="synthetic data for benchmarks")
    p.add_argument("--agencies", type=int, default=20)
    p.add_argument("--units", type=int, default=10, help="units per agency")
    p.add_argument("--employees", type=int, default=20, help="employees per unit")
    p.add_argument("--complaints", type=int, default=0)
    p.add_argument("--survey-answers", type=int, default=0)
    p = sub.add_parser("manage", help="any Django management command", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    args, extra = parser.parse_known_args(argv)

    if args.command == "demo":
        return cmd_demo(args)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "worker":
        return cmd_worker(args, extra)
    elif args.command == "migrate":
        _django(["migrate", *extra])
    elif args.command == "createsuperuser":
        _django(["createsuperuser", *extra])
    elif args.command == "token":
        _django(["amanah_token", args.email])
    elif args.command == "open311-key":
        _django(["open311_key", args.action, args.target, "--agency", args.agency])
    elif args.command == "audit":
        _django(["audit_verify" if args.action == "verify" else "audit_head", *extra])
    elif args.command == "sessions":
        _django(["sessions_end"])
    elif args.command == "keys":
        _django(
            [{"rotate": "keys_rotate", "rehash": "keys_rehash"}.get(args.action, "keys_generate")]
        )
    elif args.command == "seed":
        _django(
            [
                "seed",
                "--agencies",
                str(args.agencies),
                "--units",
                str(args.units),
                "--employees",
                str(args.employees),
                "--complaints",
                str(args.complaints),
                "--survey-answers",
                str(args.survey_answers),
                *extra,
            ]
        )
    elif args.command == "manage":
        _django([*args.rest, *extra])
    return 0


if __name__ == "__main__":
    sys.exit(main())
