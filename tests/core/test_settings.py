"""Configuration through AMANAH_* variables: production passes Django's deployment checks and refuses
to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AMANAH = str(Path(sys.executable).parent / "amanah")


def _run(env, *args):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AMANAH_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [AMANAH, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def _production(tmp_path):
    from cryptography.fernet import Fernet

    return {
        "AMANAH_PRODUCTION": "true",
        "AMANAH_SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-deploy-check-1234567890",
        "AMANAH_ALLOWED_HOSTS": "amanah.example.go.id",
        "AMANAH_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "AMANAH_HASH_KEY": "h" * 40,
        "AMANAH_EMAIL_HOST": "smtp.example.go.id",
        "AMANAH_EMAIL_FROM": "Amanah <amanah@example.go.id>",
        "AMANAH_SITE_URL": "https://amanah.example.go.id",
        "AMANAH_DATA_DIR": str(tmp_path),
    }


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = _run(_production(tmp_path), "manage", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_mail_server_fails_the_deploy_check(tmp_path):
    """Deadline warnings and escalations are e-mails: a production site must have an SMTP server."""
    env = _production(tmp_path)
    del env["AMANAH_EMAIL_HOST"]
    result = _run(env, "manage", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "variable, value, check",
    [
        ("AMANAH_SITE_URL", None, "amanah.E001"),
        ("AMANAH_SITE_URL", "http://amanah.example.go.id", "amanah.E001"),
        ("AMANAH_SITE_URL", "https://127.0.0.1:8000", "amanah.E001"),
        ("AMANAH_EMAIL_FROM", None, "amanah.E002"),
    ],
)
def test_production_needs_its_public_addresses(tmp_path, variable, value, check):
    """Links in e-mails, receipts and QR codes are built from the site address: a production site left on
    the development default would send every complainant to 127.0.0.1."""
    env = _production(tmp_path)
    if value is None:
        del env[variable]
    else:
        env[variable] = value
    result = _run(env, "manage", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert check in result.stdout + result.stderr


@pytest.mark.parametrize("value", [None, ""])
def test_production_needs_its_own_hash_key(tmp_path, value):
    """Without AMANAH_HASH_KEY the keyed hashes are taken under the secret key, and rotating that would
    change every receipt and whistleblowing exclusion with it: the deploy check fails (amanah.E004)."""
    env = _production(tmp_path)
    if value is None:
        del env["AMANAH_HASH_KEY"]
    else:
        env["AMANAH_HASH_KEY"] = value
    result = _run(env, "manage", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "amanah.E004" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production(tmp_path)
    del env["AMANAH_SECRET_KEY"]
    result = _run(env, "manage", "check")
    assert result.returncode != 0
    assert "AMANAH_SECRET_KEY" in result.stderr


def test_demo_secret_key_is_generated_once_and_kept(tmp_path):
    env = {"AMANAH_DATA_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run(env, "manage", "shell", "-c", code)
    second = _run(env, "manage", "shell", "-c", code)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == second.stdout.strip() and len(first.stdout.strip()) >= 50


def _storage_backend(env, hide_boto3=False, pythonpath=None):
    """The default storage backend a fresh process configures from ``env`` (boto3 hidden on request)."""
    code = (
        "import sys\n"
        + ("sys.modules['boto3'] = None\n" if hide_boto3 else "")
        + "from django.conf import settings\n"
        + "print(settings.STORAGES['default']['BACKEND'])\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AMANAH_")}
    extra = {"PYTHONPATH": str(pythonpath)} if pythonpath else {}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "amanah.settings", **extra, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_s3_storage_refuses_to_start_without_boto3(tmp_path):
    """django-storages reaches S3 through boto3, which only the 's3' extra installs: without it Amanah
    stops at start and says how to install it, instead of failing at the first upload."""
    env = {"AMANAH_DATA_DIR": str(tmp_path), "AMANAH_STORAGE": "s3", "AMANAH_S3_BUCKET": "bukti"}
    result = _storage_backend(env, hide_boto3=True)
    assert result.returncode != 0
    assert "boto3" in result.stderr and "bootstrap.sh --extra s3" in result.stderr


def test_s3_storage_is_configured_when_boto3_is_there(tmp_path):
    fake = tmp_path / "site"
    (fake / "boto3").mkdir(parents=True)
    (fake / "boto3" / "__init__.py").write_text("")
    env = {"AMANAH_DATA_DIR": str(tmp_path), "AMANAH_STORAGE": "S3", "AMANAH_S3_BUCKET": "bukti"}
    result = _storage_backend(env, pythonpath=fake)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "storages.backends.s3.S3Storage"


def test_an_unknown_storage_is_refused(tmp_path):
    result = _storage_backend({"AMANAH_DATA_DIR": str(tmp_path), "AMANAH_STORAGE": "s4"})
    assert result.returncode != 0
    assert "AMANAH_STORAGE is 's4'" in result.stderr


def _skm_freeze_batch(tmp_path, value):
    """What a fresh process's SKM sweep takes per run with AMANAH_SKM_FREEZE_BATCH set to ``value``."""
    code = "import django\ndjango.setup()\nfrom amanah.surveys import services\nprint(services.freeze_batch())\n"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AMANAH_")}
    env = {"AMANAH_DATA_DIR": str(tmp_path), "AMANAH_SKM_FREEZE_BATCH": value}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "amanah.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_skm_sweep_batch_is_set_by_its_variable(tmp_path):
    result = _skm_freeze_batch(tmp_path, "7")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "7"


def test_an_skm_sweep_batch_below_one_is_refused(tmp_path):
    result = _skm_freeze_batch(tmp_path, "0")
    assert result.returncode != 0
    assert "AMANAH_SKM_FREEZE_BATCH is 0" in result.stderr
