"""Validation rules: parents and children, basic + project, totals and parts."""

from __future__ import annotations

from decimal import Decimal as D

from disclosures.parsing.checks import check_items, check_totals, within
from disclosures.parsing.types import LineItem


def _item(code, total, basic=None, project=None, name="科目"):
    return LineItem(
        code=code,
        name=name,
        total=D(total) if total is not None else None,
        basic=D(basic) if basic is not None else None,
        project=D(project) if project is not None else None,
    )


def test_within_allows_one_cent_per_summed_item() -> None:
    assert within(D("10.02"), [D("5"), D("5")])
    assert not within(D("10.03"), [D("5"), D("5")])


def test_consistent_items_give_no_check() -> None:
    items = [
        _item("208", "30", "10", "20"),
        _item("20801", "30", "10", "20"),
        _item("2080101", "10", "10"),
        _item("2080102", "20", None, "20"),
    ]
    assert check_items(items, "functional.department", with_columns=True) == []


def test_parent_that_differs_from_its_children_is_flagged() -> None:
    items = [
        _item("208", "31"),
        _item("20801", "30"),
        _item("2080101", "10"),
        _item("2080102", "20"),
    ]
    checks = check_items(items, "functional.department")
    assert [(c.rule, c.path) for c in checks] == [("children_sum", "functional.department[0]")]
    assert "1.00" in checks[0].message


def test_rounding_difference_is_not_flagged() -> None:
    items = [_item("302", "558.19"), _item("30201", "270.30"), _item("30205", "287.90")]
    assert check_items(items, "economic.basic") == []


def test_parent_without_middle_level_is_checked_against_its_items() -> None:
    items = [_item("208", "100"), _item("2080101", "60"), _item("2080501", "30")]
    checks = check_items(items, "functional.general_budget")
    assert checks and checks[0].rule == "children_sum"


def test_basic_plus_project_must_equal_total() -> None:
    checks = check_items(
        [_item("2080101", "10", "6", "5")], "functional.department", with_columns=True
    )
    assert [c.rule for c in checks] == ["basic_plus_project"]


def test_totals_must_equal_the_sum_of_their_parts() -> None:
    totals = {
        "grand_total": D("100"),
        "income_total": D("80"),
        "carryover_income": D("10"),
        "expenditure_total": D("100"),
        "carryforward": None,
        "basic_expenditure": D("40"),
        "project_expenditure": D("60"),
        "personnel_expenditure": D("30"),
        "public_expenditure": D("10"),
    }
    checks = check_totals(totals, {}, {}, {})
    assert [(c.rule, c.path) for c in checks] == [("totals_sum", "totals.grand_total")]


def test_three_public_total_against_its_items() -> None:
    tp = {
        "total": D("15"),
        "overseas": D("0"),
        "vehicle_purchase": D("0"),
        "vehicle_operation": D("13"),
        "reception": D("3"),
    }
    assert [c.rule for c in check_totals({}, tp, {}, {})] == ["three_public_sum"]
    tp["reception"] = D("2")
    assert check_totals({}, tp, {}, {}) == []


def test_functional_classes_against_expenditure_total() -> None:
    functional = {"department": [_item("201", "19.22"), _item("208", "100")]}
    checks = check_totals({"expenditure_total": D("200")}, {}, functional, {})
    assert [c.rule for c in checks] == ["functional_vs_total"]
    assert check_totals({"expenditure_total": D("119.22")}, {}, functional, {}) == []
