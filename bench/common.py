"""Helpers shared by the benchmark scripts: free ports, throw-away PostgreSQL databases, running
Amanah's commands and waiting for a server on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


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


def run(cmd: list[str], env: dict) -> float:
    """Run a command in the project folder; returns how many seconds it took."""
    started = time.monotonic()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)
    return time.monotonic() - started


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
