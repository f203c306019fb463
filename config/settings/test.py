"""Test settings: real PostgreSQL, fast hashing, eager Celery, temporary media."""

import tempfile
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403
from .env import env_str

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yujue"),
        conn_max_age=0,
        conn_health_checks=True,
    )
}
DATABASES["default"]["TEST"] = {"NAME": env_str("YUJUE_TEST_DB", "test_yujue")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", tempfile.mkdtemp(prefix="yujue-test-media-")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in-process; the integration test switches the app to a real broker.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
DEBUG = False
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="yujue-test-static-"))
WHITENOISE_USE_FINDERS = True
