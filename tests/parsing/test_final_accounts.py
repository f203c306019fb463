"""A 决算 in the Ministry of Finance's standard layout (公开01–05表), made up for the test.

Two things real final accounts do that the samples don't show: the caption line
("部门：… | 金额单位：万元") sits between the title and the table as a row of its own,
and the 一般公共预算财政拨款支出决算表 gives 年初预算数 before 本年支出 — the figures of
a 决算 are what was spent, never the opening budget.
"""

from __future__ import annotations

from pathlib import Path

from disclosures.parsing import parse

DATA = Path(__file__).resolve().parent / "data" / "final_account_template.txt"


def parsed():
    return parse(DATA.read_bytes(), DATA.name).to_dict()


def test_metadata_and_the_summary_table_with_plain_zongji_rows():
    d = parsed()
    assert (d["department"], d["fiscal_year"], d["kind"]) == ("某某市财政局", 2022, "final")
    assert {k: v for k, v in d["totals"].items() if v is not None} == {
        "income_total": 1210.5,
        "carryover_income": 200.0,
        "grand_total": 1410.5,
        "expenditure_total": 1310.5,
        "carryforward": 100.0,
        "general_public_budget_income": 1200.5,
        "government_fund_income": 0.0,
        "state_capital_income": 0.0,
        "basic_expenditure": 900.5,
        "project_expenditure": 410.0,
    }


def test_the_expenditure_table_is_read_with_its_caption_row_in_between():
    items = parsed()["functional"]["department"]
    assert [(i["code"], i["total"], i["basic"], i["project"]) for i in items][:4] == [
        ("201", 1100.0, 700.0, 400.0),
        ("20106", 1100.0, 700.0, 400.0),
        ("2010601", 700.0, 700.0, None),
        ("2010699", 400.0, None, 400.0),
    ]


def test_the_general_budget_table_gives_actual_spending_not_the_opening_budget():
    items = {i["code"]: i for i in parsed()["functional"]["general_budget"]}
    assert items["201"]["total"] == 1050.0  # 本年支出 小计, not 年初预算数 900
    assert items["2010699"]["total"] == 350.0 and items["2010699"]["project"] == 350.0
    assert items["208"]["total"] == 150.5


def test_no_arithmetic_check_fires_on_a_consistent_document():
    rules = {c["rule"] for c in parsed()["checks"]}
    assert not rules & {"children_sum", "totals_sum", "functional_vs_total", "basic_plus_project"}


def test_the_three_public_table_of_a_final_account_gives_the_actual_not_the_budget():
    path = DATA.parent / "final_account_three_public.txt"
    three = parse(path.read_bytes(), path.name).to_dict()["three_public"]
    assert three == {
        "total": 12.5,
        "overseas": 0.0,
        "vehicle_purchase": 0.0,
        "vehicle_operation": 10.0,
        "reception": 2.5,
        "meetings": None,
        "training": None,
    }


def test_a_basic_expenditure_table_printed_as_three_column_groups_side_by_side():
    path = DATA.parent / "final_account_basic_side_by_side.txt"
    d = parse(path.read_bytes(), path.name).to_dict()
    codes = [i["code"] for i in d["economic"]["basic"]]
    assert codes == [
        "301",
        "30101",
        "30102",
        "30108",
        "302",
        "30201",
        "30211",
        "30217",
        "303",
        "30305",
        "307",
        "310",
        "31002",
    ]
    assert d["totals"]["personnel_expenditure"] == 650.0
    assert d["totals"]["public_expenditure"] == 160.0


def test_a_prose_only_final_account():
    path = DATA.parent / "final_account_prose_only.txt"
    d = parse(path.read_bytes(), path.name).to_dict()
    # "收、支总计均为1,500.20万元"; an item's "支出决算为800.00万元" is not a total.
    assert {k: v for k, v in d["totals"].items() if v is not None} == {"grand_total": 1500.2}
    assert d["three_public"] == {
        "total": 8.5,
        "overseas": 0.0,
        "vehicle_purchase": 0.0,
        "vehicle_operation": 6.0,
        "reception": 2.5,
        "meetings": None,
        "training": None,
    }
    assert d["assets"] == {"vehicles": 2}
    items = {(i["code"], i["name"]): i["total"] for i in d["functional"]["general_budget"]}
    assert items[("213", "农林水支出")] == 1000.0 and items[("2210201", "住房公积金")] == 200.0
    # Names the (partial) dictionary cannot code stay code-less, each with a check.
    assert items[(None, "行政运行")] == 800.0
    assert sum(c["rule"] == "code_missing" for c in d["checks"]) == 2


def test_unequal_income_and_expenditure_totals_in_prose_are_not_a_grand_total():
    text = "# 某某县农业农村局2022年度部门决算\n\n2022年度收、支总计2,952.11万元、2,845.57万元。\n"
    d = parse(text.encode(), "x.txt").to_dict()
    assert d["totals"]["grand_total"] is None
    assert any(c["rule"] == "grand_total_mismatch" for c in d["checks"])


def test_prose_that_states_budget_then_actual_gives_the_actual():
    """ "三公经费…支出预算为20.00万元，支出决算为12.50万元" → 12.50."""
    path = DATA.parent / "final_account_three_public_prose.txt"
    d = parse(path.read_bytes(), path.name).to_dict()
    assert d["three_public"]["total"] == 12.5
    assert not any(c["rule"] == "three_public_sum" for c in d["checks"])
