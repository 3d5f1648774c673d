"""Amanah settings, configured only through environment variables (``AMANAH_*``).

Every variable is documented in ``docs/configuration.md``. With nothing set, Amanah runs as a
self-contained demo: SQLite in WAL mode under ``AMANAH_DATA_DIR`` (default ``./var``), a secret key
generated once and kept in that folder, files stored locally and e-mail printed to the console.
"""

import importlib.util
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent


def env(name, default=None):
    return os.environ.get(f"AMANAH_{name}", default)


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(env(name, str(default)))


DATA_DIR = Path(env("DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Production mode turns on every deployment protection and refuses insecure defaults.
PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)


def _secret_key():
    key = env("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("AMANAH_SECRET_KEY must be set when AMANAH_PRODUCTION is on.")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "ninja",
    "django_htmx",
    "django_tasks_db",
    "amanah.core",
    "amanah.complaints",
    "amanah.integrity",
    "amanah.surveys",
    "amanah.personnel",
    "amanah.forum",
    "amanah.transparency",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside every middleware that answers by itself (a NUL character, the API's JSON 404/405, static
    # files), so that those answers carry the frame and content-security headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amanah.core.middleware.PrivacyMiddleware",
    "amanah.core.middleware.NulByteMiddleware",
    "amanah.core.middleware.ApiErrorMiddleware",
    "amanah.core.middleware.RetryAfterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "amanah.core.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The staff session's idle and absolute limits, and the login page for a form sent after it ended.
    "amanah.core.middleware.StaffSessionMiddleware",
    "amanah.core.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "amanah.urls"
WSGI_APPLICATION = "amanah.wsgi.application"
ASGI_APPLICATION = "amanah.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "amanah.core.context_processors.amanah",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'amanah.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
        # with "database is locked" when a read transaction tries to upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=30000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", "amanah_test")}

# Optional read replica for dashboards and exports (see amanah.core.routers).
if env("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(env("REPLICA_DATABASE_URL"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["amanah.core.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# --- Cache (rate limits, throttles) ----------------------------------------------------------
CACHE_URL = env("CACHE_URL")
if CACHE_URL and CACHE_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "amanah.core.cache.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Shared between every process of one machine, so gunicorn workers throttle together.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# --- Background tasks ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Days the results of finished tasks are kept (``tasks_prune``, nightly): successful, then failed ones.
TASK_RESULT_DAYS = env_int("TASK_RESULT_DAYS", 14)
TASK_FAILED_RESULT_DAYS = env_int("TASK_FAILED_RESULT_DAYS", 90)

# --- Authentication --------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:staff-home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff must enrol and use TOTP two-factor login when this is on (default on in production).
REQUIRE_2FA = env_bool("REQUIRE_2FA", PRODUCTION)
# Failed logins: after LOGIN_FAILURE_LIMIT failures in LOGIN_FAILURE_WINDOW seconds, refuse for the window.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 900)
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 365)


# --- Encryption at rest ----------------------------------------------------------------------
# Comma-separated Fernet keys; the first encrypts, all decrypt (rotation: put the new key first,
# then run `amanah keys rotate`). The demo generates one key and keeps it in the data folder.
def _encryption_keys():
    keys = env_list("ENCRYPTION_KEYS")
    if keys:
        return keys
    if PRODUCTION:
        raise RuntimeError("AMANAH_ENCRYPTION_KEYS must be set when AMANAH_PRODUCTION is on.")
    from cryptography.fernet import Fernet

    path = DATA_DIR / "encryption_keys"
    if not path.exists():
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return [k.strip() for k in path.read_text().split(",") if k.strip()]


ENCRYPTION_KEYS = _encryption_keys()
# Key for keyed hashes (receipts, whistleblowing exclusions, contact keys, rate-limit identifiers).
# Without AMANAH_HASH_KEY it is the secret key, so rotating that would change it: `check --deploy`
# requires it in production (amanah.E004).
HASH_KEY_IS_SET = env("HASH_KEY") is not None
HASH_KEY = env("HASH_KEY", SECRET_KEY)
# Retired hash keys, newest first. Receipts and exclusions hashed under one of them still match;
# `amanah keys rehash` moves what can be recomputed to HASH_KEY. An exclusion hashed under a key that is
# in neither hides its case from everyone (fail closed) until the key is put back here.
OLD_HASH_KEYS = env_list("OLD_HASH_KEYS")

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "amanah_lang"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
if not PRODUCTION:
    # WhiteNoise serves from the finders outside production but warns when the folder is missing.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "files")))
STORAGE_BACKEND = (env("STORAGE") or "local").strip().lower()
if STORAGE_BACKEND not in {"local", "s3"}:
    raise RuntimeError(f"AMANAH_STORAGE is {STORAGE_BACKEND!r}: use 'local' or 's3'.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if STORAGE_BACKEND == "s3":
    # django-storages talks to S3 through boto3, which only the "s3" extra installs: refuse to start
    # without it, rather than fail at the first upload.
    if importlib.util.find_spec("boto3") is None:
        raise RuntimeError(
            "AMANAH_STORAGE=s3 needs boto3, which is not installed: install Amanah with its 's3' extra, "
            "'bash scripts/bootstrap.sh --extra s3' (at every upgrade too)."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL"),
            "access_key": env("S3_ACCESS_KEY"),
            "secret_key": env("S3_SECRET_KEY"),
            "region_name": env("S3_REGION"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
WHITENOISE_USE_FINDERS = not PRODUCTION
# Evidence uploads: size limit per file and number of files per submission.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 5)
# Largest image accepted, in pixels (width × height): checked from the header, before decoding.
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 60_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail ----------------------------------------------------------------------------------
# Django 6.1 mailers: SMTP when AMANAH_EMAIL_HOST is set, otherwise mails are printed to the console.
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "amanah.core.mailer.SmtpBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env("EMAIL_USER", ""),
                "password": env("EMAIL_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_TLS", False),
                "use_ssl": env_bool("EMAIL_SSL", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "Amanah <noreply@amanah.localhost>")
# A mail the server turns away for now (down, or a 4xx answer) is tried again after each of these delays.
MAIL_RETRY_SECONDS = [
    int(s) for s in env_list("MAIL_RETRY_SECONDS", "60,300,1800,7200,21600,86400")
]
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Short messages (SMS/WhatsApp) to complainants' phones through the agency's gateway (amanah/core/sms.py):
# its URL (or "console" to print them, for the demo), bearer token and sender name; unset, none are sent.
SMS_URL = env("SMS_URL", "")
SMS_TOKEN = env("SMS_TOKEN", "")
SMS_SENDER = env("SMS_SENDER", "")
SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 10)
# A message the gateway cannot take now (down, 429, 5xx) is tried again after each of these delays.
SMS_RETRY_SECONDS = [int(s) for s in env_list("SMS_RETRY_SECONDS", "60,300,1800,7200")]
# Longest message: two concatenated SMS of 153 GSM characters each (a message with a character outside the
# GSM alphabet is cut to as many parts); the tracking code and link at its end are never cut.
SMS_MAX_CHARACTERS = env_int("SMS_MAX_CHARACTERS", 306)

# --- Security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A staff session ends after this long without activity (each use moves it on, written at most once
# every few minutes: amanah.core.middleware.StaffSessionMiddleware) …
SESSION_COOKIE_AGE = env_int("SESSION_SECONDS", 2 * 3600)
# … and at the latest this long after signing in, however active.
SESSION_MAX_SECONDS = max(SESSION_COOKIE_AGE, env_int("SESSION_MAX_SECONDS", 12 * 3600))
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    DEBUG = False

# --- Logging: never IP addresses or user agents ----------------------------------------------
# ... nor tracking codes, Open311 ids or tokens: Django names the request's path in its request and
# security warnings ("Forbidden (CSRF cookie not set.): /pengaduan/lacak/<code>/"), and the code opens the
# complaint to whoever reads the log. The filter (amanah/core/logmask.py) masks it on those loggers, whatever
# handler takes the record, and on the console handler for every other logger; `amanah serve` gives gunicorn's
# error log the same filter (its --logger-class).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "amanah.core.logmask.MaskSecretsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's request logger prints the request line only; access logs are off in `amanah serve`.
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
            "filters": ["mask_secrets"],
        },
        "django.server": {
            "handlers": [],
            "level": "CRITICAL",
            "propagate": False,
            "filters": ["mask_secrets"],
        },
        # A logger's filter does not see its children's records: the CSRF refusals are named here.
        "django.security": {"filters": ["mask_secrets"]},
        "django.security.csrf": {"filters": ["mask_secrets"]},
    },
}

# Seconds a process remembers reference data read on every complaint (service catalogue, calendar closures)
# before reading it again; a change made on another app server shows there within this time (0 = off).
REFERENCE_CACHE_SECONDS = env_int("REFERENCE_CACHE_SECONDS", 60)

# --- Django Ninja ----------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
# Long lists (the staff inboxes) count their rows up to this many, then say "more than".
LIST_COUNT_CAP = env_int("LIST_COUNT_CAP", 10_000)

# --- Amanah domain settings (numbers a regulation or an agency may change) -------------------
# Working-day calendar: which `holidays` categories count as non-working days.
HOLIDAY_CATEGORIES = tuple(env_list("HOLIDAY_CATEGORIES", "public,government"))
# Reverse proxies in front of the app that add the client's address to X-Forwarded-For (nginx with
# ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``): rate limits then count each citizen,
# not the proxy. 0: the header is ignored (anyone could write it).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
# Public-form rate limits: (requests, seconds).
PUBLIC_FORM_RATE = (env_int("PUBLIC_FORM_RATE_COUNT", 20), env_int("PUBLIC_FORM_RATE_SECONDS", 600))


def env_rate(name, count, seconds):
    return (env_int(f"{name}_COUNT", count), env_int(f"{name}_SECONDS", seconds))


def env_json(name):
    """A JSON object from the environment, for rule tables an agency or a new regulation may change."""
    raw = env(name)
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise RuntimeError(f"AMANAH_{name} is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise RuntimeError(f"AMANAH_{name} must be a JSON object.")
    return value


# Periodic sweeps run by every `amanah worker` (see core/schedule.py); off to use cron instead.
SCHEDULE_ENABLED = env_bool("SCHEDULE", True)
SCHEDULE_POLL_SECONDS = env_int("SCHEDULE_POLL_SECONDS", 60)

# Complaints: deadline rules overriding complaints/rules.py (agencies may override again).
COMPLAINT_RULES = env_json("COMPLAINT_RULES")
COMPLAINT_TRACK_RATE = env_rate("COMPLAINT_TRACK_RATE", 20, 600)
COMPLAINT_RECEIPT_RATE = env_rate("COMPLAINT_RECEIPT_RATE", 10, 600)
# Reminders of lost tracking codes per contact (e-mail address or phone) per window.
COMPLAINT_RESEND_RATE = env_rate("COMPLAINT_RESEND_RATE", 3, 86400)
# Short messages to one phone number per window (counted under a keyed hash of the number).
SMS_NUMBER_RATE = env_rate("SMS_NUMBER_RATE", 10, 3600)
# Downloads of an answer's attachments from the tracking page and the API, per client and window.
COMPLAINT_ATTACHMENT_RATE = env_rate("COMPLAINT_ATTACHMENT_RATE", 30, 600)
# Service requests one Open311 integration (one api_key) may file per window, wherever they come from.
OPEN311_KEY_RATE = env_rate("OPEN311_KEY_RATE", 60, 600)
# How long a public intake's submission key (the form's token, an API Idempotency-Key) finds its complaint.
SUBMISSION_REPLAY_SECONDS = env_int("SUBMISSION_REPLAY_SECONDS", 24 * 3600)
# The most services an intake page lists; a larger catalogue is narrowed by agency or search first.
INTAKE_SERVICE_LIST_LIMIT = env_int("INTAKE_SERVICE_LIST_LIMIT", 200)
# Most cases one inbox export (XLSX/CSV) may hold; a larger filter is asked to be narrowed.
COMPLAINT_EXPORT_MAX_ROWS = env_int("COMPLAINT_EXPORT_MAX_ROWS", 50_000)
# Whistleblowing: reporter session length, receipt guessing limit, retention, deadline overrides.
INTEGRITY_SESSION_SECONDS = env_int("INTEGRITY_SESSION_SECONDS", 900)  # without activity
INTEGRITY_SESSION_MAX_SECONDS = env_int("INTEGRITY_SESSION_MAX_SECONDS", 2 * 3600)  # from opening
INTEGRITY_RECEIPT_RATE = env_rate("INTEGRITY_RECEIPT_RATE", 5, 600)
# Whistleblowing: the reporter's replies, evidence, retaliation reports and disclosure answers per client.
INTEGRITY_REPLY_RATE = env_rate("INTEGRITY_REPLY_RATE", *PUBLIC_FORM_RATE)
INTEGRITY_RETENTION_DAYS = env_int("INTEGRITY_RETENTION_DAYS", 5 * 365)
# Mails caused by a whistleblower's action (new report, reply, retaliation, disclosure answer) go out the
# next day (UTC), so their queueing time and Date do not tell when the reporter acted.
INTEGRITY_HOLD_REPORTER_NOTICES = env_bool("INTEGRITY_HOLD_REPORTER_NOTICES", True)
INTEGRITY_DEADLINES = env_json("INTEGRITY_DEADLINES")
# With more units than this, the report forms list only the units of the agency chosen.
INTEGRITY_UNIT_LIST_LIMIT = env_int("INTEGRITY_UNIT_LIST_LIMIT", 300)
# Forum: days an asker's e-mail for news of their question is kept at most (forum_sweep erases it).
FORUM_CONTACT_DAYS = env_int("FORUM_CONTACT_DAYS", 90)
# Satisfaction survey: answers accepted per client per window (besides one per device per day).
SKM_ANSWER_RATE = env_rate("SKM_ANSWER_RATE", *PUBLIC_FORM_RATE)
# Satisfaction survey: the fewest respondents a group of a public breakdown (a service, a gender, an age
# band) needs for its IKM to be shown (surveys.rules.MIN_GROUP, the dashboard's small-count threshold).
SKM_MIN_GROUP = env_int("SKM_MIN_GROUP", 5)
if SKM_MIN_GROUP < 1:
    raise RuntimeError(
        f"AMANAH_SKM_MIN_GROUP is {SKM_MIN_GROUP}: it must be 1 or more (1 hides nothing)."
    )
# Satisfaction survey: the most published periods whose breakdowns one hourly skm_sweep freezes.
SKM_FREEZE_BATCH = env_int("SKM_FREEZE_BATCH", 25)
if SKM_FREEZE_BATCH < 1:
    raise RuntimeError(f"AMANAH_SKM_FREEZE_BATCH is {SKM_FREEZE_BATCH}: it must be 1 or more.")
# Personnel: overrides of the rule tables in personnel/rules.py (JP minimum, index tables, …).
PERSONNEL_RULES = env_json("PERSONNEL_RULES")
# Dashboard: how long a browser may show a public dashboard page again without asking (seconds; 0: ask
# every time). The pages are the same for every visitor, but each carries the language menu's CSRF token,
# so they are cached by the visitor's own browser only ("private").
TRANSPARENCY_PAGE_MAX_AGE = env_int("TRANSPARENCY_PAGE_MAX_AGE", 300)
# Dashboard: the fewest cases a unit needs to appear in a ranking.
if env("TRANSPARENCY_MIN_CASES"):
    TRANSPARENCY_MIN_CASES = env_int("TRANSPARENCY_MIN_CASES", 0)
