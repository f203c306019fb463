"""Budgets that compare years side by side (2022年预算数 | 2023年预算数 | 增减), made up for
the test: the document's own figures are the latest year's, never last year's."""

from __future__ import annotations

from pathlib import Path

from disclosures.parsing import parse

DATA = Path(__file__).resolve().parent / "data"


def parsed(name: str) -> dict:
    return parse((DATA / name).read_bytes(), name).to_dict()


def test_items_are_read_from_the_current_years_column():
    d = parsed("budget_year_columns_items.txt")
    assert d["fiscal_year"] == 2023
    items = {i["code"]: i["total"] for i in d["functional"]["general_budget"]}
    assert items == {
        "205": 450.0,
        "20501": 450.0,
        "2050101": 450.0,
        "221": 110.0,
        "22102": 110.0,
        "2210201": 110.0,
    }


def test_summary_totals_are_read_from_the_current_years_column():
    totals = parsed("budget_year_columns_summary.txt")["totals"]
    assert totals["income_total"] == 560.0 and totals["expenditure_total"] == 560.0
    assert totals["grand_total"] == 560.0 and totals["general_public_budget_income"] == 560.0
