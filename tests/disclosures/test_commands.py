"""manage.py parse_disclosure, load_samples and requeue_disclosures."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from disclosures.choices import Publication, Status
from disclosures.models import Disclosure

from ..conftest import REPO, SAMPLES, expected, sample_ids


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_parse_disclosure_prints_only_the_json_object():
    sample = "000_2abe3100919c2127"
    done = run_cli("parse_disclosure", str(SAMPLES / f"{sample}.txt"), "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)  # nothing but JSON on stdout
    want = expected(sample)
    assert payload["schema"] == "disclosure/1"
    assert payload["unit"] == "万元"
    assert payload["fiscal_year"] == want["fiscal_year"]
    assert payload["totals"]["grand_total"] == want["totals"]["grand_total"]
    assert payload["source"]["format"] == "text" and len(payload["source"]["sha256"]) == 64


def test_parse_disclosure_fails_with_one_line_on_stderr_for_an_unreadable_file(tmp_path):
    bad = tmp_path / "scan.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    done = run_cli("parse_disclosure", str(bad), "--json")
    assert done.returncode != 0
    assert done.stdout == ""
    assert "scan.png" in done.stderr


@pytest.mark.django_db(transaction=True)
def test_load_samples_goes_through_upload_and_publishes(capsys):
    call_command("load_samples", format="txt", publish=True)
    rows = Disclosure.objects.all()
    assert rows.count() == len(sample_ids())
    assert set(rows.values_list("publication", flat=True)) == {Publication.PUBLISHED}
    call_command("load_samples", format="txt")  # idempotent: duplicates are recognised
    assert Disclosure.objects.count() == len(sample_ids())
    assert "already loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_requeue_failed_reparses_failed_rows(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_samples", format="txt")
    row = Disclosure.objects.first()
    Disclosure.objects.filter(pk=row.pk).update(status=Status.FAILED, error_code="crashed")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("requeue_disclosures", failed=True)
    row.refresh_from_db()
    assert row.status == Status.PARSED and row.error_code == ""


@pytest.mark.django_db
def test_load_reference_loads_the_gazetteer_and_dictionary_and_can_run_twice():
    from disclosures.models import ClassificationCode, Region
    from disclosures.parsing import classification, gazetteer

    # A region created by a parse before the gazetteer was loaded is adopted, not duplicated.
    early = Region.objects.create(name="四川省", level="province")
    call_command("load_reference")
    divisions = list(gazetteer.iter_divisions())
    assert Region.objects.count() == len(divisions)
    nanchong = Region.objects.get(name="南充市")
    assert nanchong.parent.pk == early.pk and nanchong.parent.code == "510000"
    assert Region.objects.get(name="南岸区").full_name == "重庆市南岸区"
    assert ClassificationCode.objects.get(system="functional", code="2080101").level == 3
    n_codes = ClassificationCode.objects.count()
    assert n_codes == len(list(classification.iter_functional())) + len(
        list(classification.iter_economic())
    )
    call_command("load_reference")
    assert Region.objects.count() == len(divisions)
    assert ClassificationCode.objects.count() == n_codes


def test_score_corpus_reports_the_samples_and_fails_under_the_threshold(tmp_path):
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("score_corpus", str(SAMPLES), stdout=out)
    assert "17 files, 1572 expected values: 1565 correct" in out.getvalue()
    (tmp_path / "a.txt").write_text((SAMPLES / "003_80d4eeabc6cbe8f7.txt").read_text("utf-8"))
    (tmp_path / "a.json").write_text(json.dumps({"totals": {"income_total": 1.0}}))
    with pytest.raises(CommandError):
        call_command("score_corpus", str(tmp_path), stdout=io.StringIO())
