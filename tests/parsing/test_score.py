"""The corpus harness: correct / missing / wrong per field, silent wrong values, exit status."""

from __future__ import annotations

import io
import json
from pathlib import Path

from disclosures.parsing import score

from .test_confirm import SUMMARY

SAMPLES = Path(__file__).resolve().parents[2] / "disclosures" / "samples"


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return score.main(list(argv), out=out), out.getvalue()


def test_the_samples_score_all_but_the_prose_figures_a_workbook_cannot_hold():
    status, report = _run(str(SAMPLES))
    assert status == 0, report
    scores = {s.name: s for s in score.score_dir(SAMPLES)}
    assert len(scores) == 17  # 5 texts, 5 DOCX, 5 PDF, 2 XLSX
    for name, s in scores.items():
        assert s.count("wrong") == 0 and s.silent == 0, (name, s.results)
        if not name.endswith(".xlsx"):
            assert s.count("missing") == 0, (name, [r for r in s.results if r.state != "correct"])
    # The two workbooks hold only the tables: 7 figures stated only in prose are null there.
    assert sum(s.count("missing") for s in scores.values()) == 7
    assert "1572 expected values: 1565 correct (99.6 %)" in report


def _corpus(tmp_path: Path, expected: dict) -> Path:
    (tmp_path / "made-up.txt").write_text(SUMMARY, "utf-8")
    (tmp_path / "made-up.json").write_text(json.dumps(expected, ensure_ascii=False), "utf-8")
    return tmp_path


def test_a_wrong_value_nobody_is_told_about_is_silent_and_fails_the_run(tmp_path):
    # The document says 1050.00; suppose the hand-checked value were 1500.00 — the parser's
    # 1050.00 is confirmed by two sums, so nothing would warn a reader: silent.
    corpus = _corpus(tmp_path, {"totals": {"grand_total": 1500.0, "income_total": 1000.0}})
    status, report = _run(str(corpus), "--threshold", "0.5")
    assert status == 1 and "1 wrong (1 silent)" in report
    (result,) = [r for s in score.score_dir(corpus) for r in s.results if r.state == "wrong"]
    assert result.path == "totals.grand_total" and result.silent


def test_a_wrong_value_marked_unconfirmed_is_not_silent(tmp_path):
    corpus = _corpus(tmp_path, {"totals": {"operating_expenditure": 124.45}})
    status, report = _run(str(corpus), "--threshold", "0")
    assert status == 0 and "1 wrong (0 silent)" in report  # provenance says unconfirmed


def test_missing_values_and_items_are_counted(tmp_path):
    corpus = _corpus(
        tmp_path,
        {
            "department": "某某市某某区财政局",
            "totals": {"procurement_total": 5.0},
            "functional": {
                "department": [
                    {"code": "2010601", "name": "行政运行", "total": 700.0, "basic": 700.0},
                    {"code": "2010602", "name": "一般行政管理事务", "total": 1.0},
                ]
            },
        },
    )
    (file_score,) = score.score_dir(corpus)
    states = {r.path: r.state for r in file_score.results}
    assert states == {
        "department": "correct",
        "totals.procurement_total": "missing",
        "functional.department.2010601.total": "correct",
        "functional.department.2010601.basic": "correct",
        "functional.department.2010602.total": "missing",
    }
    status, report = _run(str(corpus))
    assert status == 1 and "FAILED: accuracy 60.0 %" in report


def test_an_empty_folder_is_an_error(tmp_path):
    assert _run(str(tmp_path))[0] == 2
