"""Totals and prose in layouts real reports use (issue 10, points 4–7), each made up in
tests/parsing/data as totals_<what>.txt or prose_<what>.txt.

* all funds vs 财政拨款: the 收支总表 of all funds gives the department's totals; the
  财政拨款收支总表 gives its funding-source rows and, for the totals, only the 财政拨款 part;
* other table layouts: 财务收支预算总表 (two-sided and in one column), labels wrapped in
  their cell, whole-元 tables with the 合计 row after blank code columns, and rows such as
  单位预留机动经费 that belong to the total but to no 类.
"""

from __future__ import annotations

from pathlib import Path

from disclosures.parsing import parse

DATA = Path(__file__).resolve().parent / "data"
# Checks every made-up layout raises because it is made up (a department with no real
# region, a narrative without a unit line): not what these tests are about.
_BACKGROUND = {"region_unknown", "unit_assumed", "code_not_in_dictionary"}


def parsed(name: str, text: str | None = None) -> dict:
    data = (DATA / name).read_bytes() if text is None else text.encode()
    return parse(data, name).to_dict()


def stated(group: dict) -> dict:
    return {k: v for k, v in group.items() if v is not None}


def rules(d: dict) -> list[str]:
    return sorted(c["rule"] for c in d["checks"] if c["rule"] not in _BACKGROUND)


# ------------------------------------------------------- 4. all funds vs 财政拨款


def test_a_note_under_the_fiscal_table_does_not_make_the_next_table_fiscal():
    """ "注：本表反映…财政拨款收支情况。" sits between 表一 (财政拨款) and 表二 (all funds):
    the kind comes from the table's own title, so 表二 gives the department's totals."""
    d = parsed("totals_fiscal_note_before_all_funds.txt")
    assert stated(d["totals"]) == {
        "income_total": 1000.0,
        "carryover_income": 140.0,
        "grand_total": 1140.0,
        "expenditure_total": 1140.0,
        "carryforward": 0.0,
        "general_public_budget_income": 800.0,
    }
    assert rules(d) == []


def test_a_fiscal_table_whose_title_is_wrapped_is_known_by_its_columns():
    """The title "…财政拨款" / "收支预算总表" lost its first line; the expenditure columns
    一般公共预算 | 政府性基金预算 and no 事业收入 make it the 财政拨款 table, even printed
    before the all-funds one."""
    d = parsed("totals_fiscal_title_wrapped.txt")
    assert stated(d["totals"]) == {
        "income_total": 1000.0,
        "carryover_income": 140.0,
        "grand_total": 1140.0,
        "expenditure_total": 1140.0,
        "carryforward": 0.0,
        "general_public_budget_income": 800.0,
    }
    assert rules(d) == []


def test_a_total_only_the_fiscal_table_states_stays_null_with_a_check():
    """The all-funds table has no 本年收入合计 / 本年支出合计 row; the 财政拨款 table's
    800 / 830 are the 财政拨款 part of a department that also has 事业收入."""
    d = parsed("totals_all_funds_without_income_total.txt")
    assert stated(d["totals"]) == {
        "carryover_income": 50.0,
        "grand_total": 1050.0,
        "general_public_budget_income": 800.0,
    }
    fiscal_only = [c for c in d["checks"] if c["rule"] == "fiscal_only"]
    assert sorted(c["path"] for c in fiscal_only) == [
        "totals.expenditure_total",
        "totals.income_total",
    ]
    assert "800.00" in next(c for c in fiscal_only if c["path"] == "totals.income_total")["message"]
    assert rules(d) == ["fiscal_only", "fiscal_only"]


def test_fiscal_totals_stand_for_the_department_when_all_its_funds_are_fiscal():
    """Chongqing's layout: the all-funds 收支总表 has no carry-over rows and a plain 合计
    on both sides (its 收入总计, 1,500); it equals the 财政拨款 收入合计, so every part of
    all funds is its 财政拨款 part and 本年收入 / 上年结转 come from the 财政拨款 table."""
    d = parsed("totals_all_funds_equal_fiscal.txt")
    assert stated(d["totals"]) == {
        "income_total": 1200.0,
        "carryover_income": 300.0,
        "grand_total": 1500.0,
        "expenditure_total": 1500.0,
        "general_public_budget_income": 1200.0,
    }
    assert d["provenance"]["totals.grand_total"]["text"] == "合计 | 1,500.00 | 合计 | 1,500.00"
    assert d["provenance"]["totals.income_total"]["text"].startswith("一、本年收入 | 1,200.00")
    assert rules(d) == []
    # The same document whose all-funds 合计 is larger (other income): nothing is taken
    # from the 财政拨款 table but its funding-source row.
    text = (DATA / "totals_all_funds_equal_fiscal.txt").read_text("utf-8")
    text = text.replace("合计\t1,500.00\t合计\t1,500.00", "合计\t1,600.00\t合计\t1,600.00")
    text = text.replace("事业收入资金\t", "事业收入资金\t100.00")
    text = text.replace("科学技术支出\t1,400.00\n", "科学技术支出\t1,500.00\n")
    other = parsed("totals_all_funds_equal_fiscal.txt", text)
    assert stated(other["totals"]) == {
        "grand_total": 1600.0,
        "general_public_budget_income": 1200.0,
    }
    assert rules(other) == ["fiscal_only"] * 3


def test_an_all_funds_total_below_its_fiscal_part_raises_a_check():
    d = parsed("totals_fiscal_exceeds_all_funds.txt")
    assert d["totals"]["income_total"] == 950.0  # the all-funds figure, as printed
    assert d["totals"]["government_fund_income"] == 60.0  # a source row of the 财政拨款 table
    flagged = [c for c in d["checks"] if c["rule"] == "fiscal_exceeds_all_funds"]
    assert [c["path"] for c in flagged] == ["totals.income_total"]
    assert "950.00" in flagged[0]["message"] and "960.00" in flagged[0]["message"]
    assert rules(d) == ["fiscal_exceeds_all_funds", "totals_sum"]


# -------------------------------------------------------------- 7. other layouts


def test_a_financial_summary_with_fiscal_income_and_its_parts():
    d = parsed("totals_financial_summary.txt")
    assert stated(d["totals"]) == {
        "income_total": 1500.0,
        "carryover_income": 100.0,
        "grand_total": 1600.0,
        "expenditure_total": 1600.0,
        "carryforward": 0.0,
        "general_public_budget_income": 1200.0,
        "government_fund_income": 50.0,
    }
    assert rules(d) == []


def test_a_financial_summary_in_one_column():
    """收入 rows, then 支出 rows (基本支出, 项目支出) under one 项目 column."""
    d = parsed("totals_financial_summary_vertical.txt")
    assert stated(d["totals"]) == {
        "income_total": 1500.0,
        "carryover_income": 100.0,
        "grand_total": 1600.0,
        "expenditure_total": 1600.0,
        "carryforward": 0.0,
        "general_public_budget_income": 1200.0,
        "government_fund_income": 50.0,
        "basic_expenditure": 1100.0,
        "project_expenditure": 500.0,
    }
    assert rules(d) == []


def test_labels_wrapped_inside_their_cell():
    """ "二、政府性基金预算拨" / "款收入", "本年收入" / "合计 3,300.00"."""
    d = parsed("totals_wrapped_labels.txt")
    assert stated(d["totals"]) == {
        "income_total": 3300.0,
        "carryover_income": 300.0,
        "grand_total": 3600.0,
        "expenditure_total": 3600.0,
        "carryforward": 0.0,
        "general_public_budget_income": 3000.0,
        "government_fund_income": 100.0,
    }
    assert d["provenance"]["totals.income_total"]["text"].startswith("合计 | 3,300.00")
    assert rules(d) == []


def test_a_whole_yuan_table_whose_total_row_follows_blank_code_columns():
    d = parsed("totals_whole_yuan.txt")
    assert d["totals"]["basic_expenditure"] == 610.0
    assert d["totals"]["project_expenditure"] == 350.0
    assert d["totals"]["expenditure_total"] == 960.0
    items = {
        i["code"]: (i["total"], i["basic"], i["project"]) for i in d["functional"]["department"]
    }
    assert items["2130301"] == (560.0, 560.0, None)
    assert items["213"] == (910.0, 560.0, 350.0)
    assert rules(d) == []


def test_a_reserve_row_outside_the_classification_counts_toward_the_total():
    """单位预留机动经费 50: kept as an item without a code (not lost, no made-up code),
    reported once as outside the classification, and counted with the 类 rows so the
    类-sum check neither fires on a consistent table nor stays silent on a wrong one."""
    d = parsed("totals_reserve_row.txt")
    items = d["functional"]["department"]
    assert items[-1] == {
        "code": None,
        "name": "单位预留机动经费",
        "total": 50.0,
        "basic": None,
        "project": 50.0,
    }
    assert [i["code"] for i in items[:-1]] == [
        "208",
        "20802",
        "2080201",
        "2080299",
        "221",
        "22102",
        "2210201",
    ]
    assert rules(d) == ["outside_classification"]
    text = (DATA / "totals_reserve_row.txt").read_text("utf-8")
    wrong = text.replace("\t单位预留机动经费\t50.00\t\t50.00", "\t单位预留机动经费\t80.00\t\t80.00")
    other = parsed("totals_reserve_row.txt", wrong)
    assert rules(other) == ["functional_vs_total", "outside_classification"]
    assert (
        "1030.00"
        in next(c for c in other["checks"] if c["rule"] == "functional_vs_total")["message"]
    )
