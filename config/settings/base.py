"""Settings shared by every environment. Everything configurable comes from the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-yujue-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "health_check",
    "ninja",  # Swagger UI for /api/docs from its own static files, not a CDN
    "disclosures",
    "comparisons",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "disclosures.uploads.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.IgnoreAcceptLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Login is protected against password guessing: after AXES_FAILURE_LIMIT wrong passwords
# for one username from one address, that pair is locked out for AXES_COOLOFF_TIME.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("YUJUE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("YUJUE_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL selects PostgreSQL (postgres://user@host:port/name, through psycopg 3).
# Unset: a SQLite file, the embedded default for the two-command quick start.
DATA_DIR = Path(env_str("YUJUE_DATA_DIR", str(BASE_DIR / "var")))
_DATABASE_URL = env_str("DATABASE_URL", "") or f"sqlite:///{DATA_DIR / 'yujue.sqlite3'}"
if _DATABASE_URL.startswith("sqlite:///") and ":memory:" not in _DATABASE_URL:
    Path(_DATABASE_URL.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        # A persistent connection the server dropped (restart, failover) is noticed and
        # replaced before the next request or task uses it.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "disclosures:disclosure_list"
LOGOUT_REDIRECT_URL = "comparisons:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# plotly.js is the plotly package's own copy, served as vendor/plotly.min.js (not committed).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.staticfiles.PlotlyFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# collectstatic writes content-hashed names plus a .gz of each file; WhiteNoise serves the
# .gz to browsers that accept it and marks hashed names immutable (cached for ten years).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The dashboard caches drawings by data generation (bumped by every parse, correction and
# publication). With several processes (gunicorn + Celery) that generation must be shared:
# CACHE_URL=redis://… . Unset: a per-process memory cache, right for the embedded default.
_CACHE_URL = env_str("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
    if _CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Uploads: the limit is checked per file in the form; larger files never reach the parser.
YUJUE_MAX_UPLOAD_MB = env_int("YUJUE_MAX_UPLOAD_MB", 50, minimum=1)
# One request (several files dropped at once) may carry at most this much; refused from
# its Content-Length before the body is read (disclosures/uploads.py).
YUJUE_MAX_REQUEST_MB = env_int("YUJUE_MAX_REQUEST_MB", 200, minimum=1)
FILE_UPLOAD_HANDLERS = ["disclosures.uploads.PerFileLimitUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("YUJUE_MAX_FILES_PER_UPLOAD", 50, minimum=1)
# A disclosure left in queued/parsing longer than this is re-queued by the sweep.
YUJUE_STUCK_AFTER_SECONDS = env_int("YUJUE_STUCK_AFTER_SECONDS", 900, minimum=60)
YUJUE_MAX_PARSE_ATTEMPTS = env_int("YUJUE_MAX_PARSE_ATTEMPTS", 5, minimum=1)

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# --- Celery -----------------------------------------------------------------------------
# CELERY_BROKER_URL set (redis://… or amqp://…): tasks go to workers.
# Unset: tasks run in-process (eager), so the embedded default needs no broker.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL is None)
if CELERY_BROKER_URL is None:
    CELERY_BROKER_URL = "memory://"  # never used while eager; keeps kombu from guessing a host
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None  # state lives on the Disclosure row, not in a result backend
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker child is replaced after this many tasks, or once its resident memory passed
# this (checked after each task), so a leak or one huge file cannot grow it for good; and
# while parsing, its address space is capped (config/celery_app.py): an allocation past
# it fails with MemoryError and the disclosure is failed "文件过大或结构异常".
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("YUJUE_WORKER_MAX_TASKS_PER_CHILD", 200, minimum=1)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 1024 * env_int("YUJUE_WORKER_MAX_MEMORY_MB", 1024, minimum=128)
YUJUE_PARSE_ADDRESS_SPACE_MB = env_int("YUJUE_PARSE_ADDRESS_SPACE_MB", 4096, minimum=512)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("YUJUE_PARSE_SOFT_TIME_LIMIT", 240, minimum=10)
CELERY_TASK_TIME_LIMIT = env_int("YUJUE_PARSE_TIME_LIMIT", 300, minimum=20)
CELERY_TASK_DEFAULT_QUEUE = "default"
# Parses on "parsing"; the sweep on "maintenance", which its own worker consumes, so a
# queue of long parses never delays the recovery of stuck rows.
CELERY_TASK_ROUTES = {
    "disclosures.tasks.parse_disclosure": {"queue": "parsing"},
    "disclosures.tasks.sweep_stuck_disclosures": {"queue": "maintenance"},
}
if YUJUE_STUCK_AFTER_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"YUJUE_STUCK_AFTER_SECONDS ({YUJUE_STUCK_AFTER_SECONDS}) must exceed "
        f"YUJUE_PARSE_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT}): the sweep would re-queue "
        "parses that are still running."
    )
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-disclosures": {
        "task": "disclosures.tasks.sweep_stuck_disclosures",
        "schedule": env_int("YUJUE_SWEEP_EVERY_SECONDS", 120, minimum=10),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
AXES_VERBOSE = False

# --- Content-Security-Policy (django-csp 4) ----------------------------------------------
# Scripts, styles, fonts and fetches come from this site only (plotly.js, htmx and Swagger
# UI are our static files). The one kind of inline script, each plotly figure's, carries
# the response's nonce ({% chart %} in comparisons/templatetags/yujue.py); style
# attributes are refused (plotly.js's own go through the CSSOM: static/js/csp-styles.js).
# No page may be put in a frame, except the comparison's embed view
# (/compare/?…&embed=1), which the sites in YUJUE_EMBED_ANCESTORS may frame.
# plotly.js adds <style> elements of its own: empty ones that it fills through the CSSOM,
# and one holding MapLibre's CSS. Their hashes; tests/comparisons/test_security_headers.py
# checks them against the installed plotly.min.js.
PLOTLY_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # "" (empty)
    "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",  # .maplibregl-map{…}
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, *PLOTLY_STYLE_HASHES],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Who may frame the embed view: "*" (any site, the default) or a comma-separated list of
# CSP sources such as https://news.example.cn,https://*.example.org.
YUJUE_EMBED_ANCESTORS = env_list("YUJUE_EMBED_ANCESTORS", ["*"])
if not YUJUE_EMBED_ANCESTORS or any(
    c in source for source in YUJUE_EMBED_ANCESTORS for c in ' \t;"'
):
    raise ImproperlyConfigured(
        "YUJUE_EMBED_ANCESTORS must be * or a comma-separated list of origins "
        f"(https://example.cn), got {YUJUE_EMBED_ANCESTORS!r}"
    )

# --- /healthz (django-health-check; config/health.py) -------------------------------------
# The scheduler sends a heartbeat task to each queue below every
# YUJUE_HEARTBEAT_EVERY_SECONDS; the worker that runs it writes the time to the cache.
# /healthz fails when one is older than YUJUE_WORKER_SILENT_AFTER_SECONDS (no worker on
# that queue, or no scheduler, for that long). That must exceed the interval plus the parse
# time limit: a worker busy with a long parse answers after it. "parsing" is left out: its
# heartbeat would wait behind every parse queued before it; its worker also takes "default".
CELERY_IMPORTS = ["config.health"]
YUJUE_HEARTBEAT_QUEUES = [CELERY_TASK_DEFAULT_QUEUE, "maintenance"]
YUJUE_HEARTBEAT_EVERY_SECONDS = env_int("YUJUE_HEARTBEAT_EVERY_SECONDS", 60, minimum=10)
YUJUE_WORKER_SILENT_AFTER_SECONDS = env_int("YUJUE_WORKER_SILENT_AFTER_SECONDS", 600, minimum=60)
if YUJUE_WORKER_SILENT_AFTER_SECONDS <= YUJUE_HEARTBEAT_EVERY_SECONDS + CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "YUJUE_WORKER_SILENT_AFTER_SECONDS must exceed YUJUE_HEARTBEAT_EVERY_SECONDS plus "
        "YUJUE_PARSE_TIME_LIMIT, or a worker busy with a long parse would count as gone."
    )
for _queue in YUJUE_HEARTBEAT_QUEUES:
    CELERY_BEAT_SCHEDULE[f"worker-heartbeat-{_queue}"] = {
        "task": "config.health.heartbeat",
        "schedule": YUJUE_HEARTBEAT_EVERY_SECONDS,
        "args": (_queue,),
        # A heartbeat nobody ran within an interval is dropped, not answered late in a burst.
        "options": {"queue": _queue, "expires": YUJUE_HEARTBEAT_EVERY_SECONDS},
    }
