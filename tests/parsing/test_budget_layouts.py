"""More budget layouts made up in forms real reports use."""

from __future__ import annotations

from pathlib import Path

from disclosures.parsing import parse

DATA = Path(__file__).resolve().parent / "data"


def parsed(name: str) -> dict:
    return parse((DATA / name).read_bytes(), name).to_dict()


def test_codes_written_in_front_of_names_in_one_subject_column():
    """ "科目 | 合计 | 基本支出 | 项目支出" with "2011301 行政运行" and "[216]商业…" cells."""
    items = parsed("budget_codes_in_name_column.txt")["functional"]["department"]
    got = {i["code"]: (i["total"], i["basic"], i["project"]) for i in items}
    assert got["201"] == (700.0, 600.0, 100.0)
    assert got["2011399"] == (100.0, None, 100.0)
    assert got["2160699"] == (150.0, 100.0, 50.0)
    assert len(items) == 10


def test_a_summary_with_nested_funding_sources_and_prose_figures():
    d = parsed("budget_summary_nested_sources.txt")
    assert {k: v for k, v in d["totals"].items() if v is not None} == {
        "income_total": 900.0,
        "carryover_income": 10.0,
        "grand_total": 910.0,
        "expenditure_total": 910.0,
        "carryforward": 0.0,
        "general_public_budget_income": 800.0,
        "government_fund_income": 50.0,
        "state_capital_income": 30.0,
        "operating_expenditure": 55.2,
        "procurement_total": 36.0,
    }
    assert d["three_public"] == {
        "total": 12.5,
        "overseas": 0.0,
        "vehicle_purchase": 0.0,
        "vehicle_operation": 8.0,
        "reception": 4.5,
        "meetings": None,
        "training": None,
    }
    assert d["assets"] == {"vehicles": 3}
