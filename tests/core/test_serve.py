"""``amanah serve`` in production starts only where collectstatic has run for this release: STATIC_ROOT is
each machine's own folder, and without its manifest every page fails while the health check stays 200."""

import json

from amanah import cli

from .test_settings import _production, _run


def _manifest_storage(settings, root):
    settings.STATIC_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }


def _write_manifest(root, paths):
    manifest = {"paths": {p: p for p in paths}, "version": "1.1", "hash": "test"}
    (root / "staticfiles.json").write_text(json.dumps(manifest))


def test_production_serve_refuses_to_start_before_collectstatic(tmp_path):
    env = {**_production(tmp_path), "AMANAH_STATIC_ROOT": str(tmp_path / "static")}
    result = _run(env, "serve", "--bind", "127.0.0.1:0", "--workers", "1")
    assert result.returncode == 1
    assert "collectstatic --noinput" in result.stderr
    assert "Booting worker" not in result.stderr  # gunicorn never started


def test_the_static_check_names_what_the_manifest_lacks(settings, tmp_path):
    _manifest_storage(settings, tmp_path)
    assert "amanah/site.css" in cli.static_not_collected()  # nothing collected on this machine

    from django.contrib.staticfiles import finders

    release = {path for finder in finders.get_finders() for path, _ in finder.list([])}
    _write_manifest(tmp_path, release)
    assert cli.static_not_collected() == []

    _write_manifest(tmp_path, release - {"amanah/site.css"})  # collected for an older release
    assert cli.static_not_collected() == ["amanah/site.css"]


def test_outside_production_nothing_needs_collecting(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    assert cli.static_not_collected() == []


def test_the_demo_stops_at_once_when_its_port_is_taken(tmp_path):
    """Another server on the port: the demo says so and how to choose another port, before it migrates
    and loads anything (it used to load the data, announce the other server's address and run its
    worker beside it)."""
    import socket

    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = _run({"AMANAH_DATA_DIR": str(tmp_path)}, "demo", "--port", str(port))
    assert result.returncode == 1
    assert f"Port {port}" in result.stderr and "PORT=8080" in result.stderr
    assert not (tmp_path / "amanah.sqlite3").exists() and "Loading demo data" not in result.stdout
