"""Worker and connection settings that protect against outages fail loudly when wrong."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

from config import celery_app


def test_the_sweep_has_its_own_queue_and_parses_theirs():
    routes = settings.CELERY_TASK_ROUTES
    assert routes["disclosures.tasks.sweep_stuck_disclosures"]["queue"] == "maintenance"
    assert routes["disclosures.tasks.parse_disclosure"]["queue"] == "parsing"
    assert celery_app.conf.worker_max_tasks_per_child >= 1
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_a_stuck_threshold_below_the_task_time_limit_is_refused_at_start_up():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "YUJUE_STUCK_AFTER_SECONDS": "120",
        "YUJUE_PARSE_TIME_LIMIT": "300",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "YUJUE_STUCK_AFTER_SECONDS (120) must exceed YUJUE_PARSE_TIME_LIMIT (300)" in done.stderr
