"""The quick start's first command works on the embedded default (SQLite, no broker)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from .conftest import REPO


def test_the_demo_command_loads_and_publishes_the_samples_on_sqlite(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", YUJUE_DATA_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "manage.py", "demo"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Staff login: demo / yujue-demo" in done.stdout
    db = sqlite3.connect(tmp_path / "yujue.sqlite3")
    statuses = db.execute(
        "select status, publication, count(*) from disclosures_disclosure"
        " group by status, publication"
    ).fetchall()
    assert statuses == [("parsed", "published", 5)], (statuses, done.stdout)
    names = {n for (n,) in db.execute("select name from disclosures_department")}
    assert "重庆市南岸区人力资源和社会保障局" in names and "南充市人力资源和社会保障局" in names
