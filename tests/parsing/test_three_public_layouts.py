"""三公经费 tables and sentences in the layouts real reports use (issue 10, points 1–3).

Each layout is a made-up document in tests/parsing/data/three_public_*.txt; the Word (and
PDF) versions of the same files are checked by the format tests over every data file.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from disclosures.parsing import parse
from disclosures.parsing.checks import check_totals

DATA = Path(__file__).resolve().parent / "data"
D = Decimal


def parsed(name: str) -> dict:
    return parse((DATA / f"{name}.txt").read_bytes(), f"{name}.txt").to_dict()


def rules(d: dict) -> list[tuple[str, str | None]]:
    return [
        (c["rule"], c["path"])
        for c in d["checks"]
        if c["rule"].startswith("three_public") or (c["path"] or "").startswith("three_public")
    ]


def figures(**values: float | None) -> dict[str, float | None]:
    keys = (
        "total",
        "overseas",
        "vehicle_purchase",
        "vehicle_operation",
        "reception",
        "meetings",
        "training",
    )
    return {k: values.get(k) for k in keys}


# ------------------------------------------------------------------ 1. 会议费 and 培训费


def test_a_total_that_includes_meetings_and_training_is_not_the_three_public_total():
    """合计 30 = 三公 20 + 会议费 3 + 培训费 7, and the 因公出国 cell is blank. Taking the 合计
    as the 三公 total would give 30 with no check (the blank switched the sum check off)."""
    d = parsed("three_public_meetings_training_budget")
    assert d["kind"] == "budget"
    assert d["three_public"] == figures(
        total=20.0,
        overseas=0.0,
        vehicle_purchase=0.0,
        vehicle_operation=15.0,
        reception=5.0,
        meetings=3.0,
        training=7.0,
    )
    assert rules(d) == []
    prov = d["provenance"]
    # Not printed: the three items added up, and the blank made 0 by the row's 合计.
    assert prov["three_public.total"]["derived"] is True
    assert "由各项相加" in prov["three_public.total"]["text"]
    assert prov["three_public.overseas"]["derived"] is True
    assert "30.00" in prov["three_public.overseas"]["text"]
    assert "derived" not in prov["three_public.reception"]
    assert "derived" not in prov["three_public.meetings"]


def test_a_final_account_with_a_three_public_subtotal_beside_meetings_and_training():
    """预算数 | 决算数 groups, each 合计 | “三公”经费 (小计 …) | 会议费 | 培训费: the 决算数
    group's 三公 小计 is the total, its 合计 (31.20) only a check; the blank 购置费 is 0."""
    d = parsed("three_public_meetings_training_final")
    assert d["kind"] == "final"
    assert d["three_public"] == figures(
        total=19.7,
        overseas=0.0,
        vehicle_purchase=0.0,
        vehicle_operation=12.5,
        reception=7.2,
        meetings=4.5,
        training=7.0,
    )
    assert rules(d) == []
    prov = d["provenance"]
    assert prov["three_public.total"]["text"].startswith("决算数")
    assert prov["three_public.vehicle_purchase"]["derived"] is True
    assert "derived" not in prov["three_public.total"]


def test_a_reader_that_repeats_a_merged_cells_text_in_every_column_reads_the_same():
    text = (DATA / "three_public_meetings_training_final.txt").read_text("utf-8")
    group = [
        ["合计", *["“三公”经费"] * 6, "会议费", "培训费"],
        ["合计", "小计", "因公出国（境）费", *["公务用车购置及运行费"] * 3, "公务接待费"]
        + ["会议费", "培训费"],
        ["合计", "小计", "因公出国（境）费", "小计", "购置费", "运行费", "公务接待费"]
        + ["会议费", "培训费"],
    ]
    header = ["\t".join(["预算数"] * 9 + ["决算数"] * 9)]
    header += ["\t".join(row + row) for row in group]
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("预算数"))
    lines[start : start + 4] = header
    d = parse("\n".join(lines).encode(), "x.txt").to_dict()
    assert d["three_public"] == parsed("three_public_meetings_training_final")["three_public"]
    assert d["three_public"]["total"] == 19.7


@pytest.mark.parametrize("repeat", [False, True], ids=["merged", "repeated"])
def test_a_three_public_heading_over_meetings_and_training_does_not_make_the_total_three_public(
    repeat,
):
    """ "“三公”经费" printed over the whole table, 会议费 and 培训费 included: its 合计 is
    still the 合计 with them, not the 三公 total."""
    text = (DATA / "three_public_meetings_training_budget.txt").read_text("utf-8")
    top = ["“三公”经费"] * 8 if repeat else ["“三公”经费"] + [""] * 7
    text = text.replace("合计\t因公出国", "\t".join(top) + "\n合计\t因公出国", 1)
    d = parse(text.encode(), "x.txt").to_dict()
    assert d["three_public"] == parsed("three_public_meetings_training_budget")["three_public"]
    assert d["three_public"]["total"] == 20.0


def test_a_meetings_and_training_total_that_does_not_add_up_is_flagged():
    text = (DATA / "three_public_meetings_training_budget.txt").read_text("utf-8")
    text = text.replace("30.00\t", "32.00\t")  # 合计 no longer 三公 + 会议费 + 培训费
    d = parse(text.encode(), "x.txt").to_dict()
    # The blank is not 0 any more: nothing proves it, so it and the total stay unknown.
    assert d["three_public"] == figures(
        overseas=None,
        vehicle_purchase=0.0,
        vehicle_operation=15.0,
        reception=5.0,
        meetings=3.0,
        training=7.0,
    )
    assert ("three_public_table_sum", "three_public.overseas") in rules(d)


def test_without_a_total_of_any_kind_the_three_public_total_is_not_made_up():
    """No 合计 column: the items' sum would be a total no printed figure stands behind
    (it would "confirm" the very items it was added from)."""
    text = (DATA / "three_public_meetings_training_budget.txt").read_text("utf-8")
    text = text.replace("合计\t", "").replace("\n\t\t小计", "\n\t小计")
    text = text.replace("30.00\t\t15.00", "0.00\t15.00")
    d = parse(text.encode(), "x.txt").to_dict()
    assert d["three_public"] == figures(
        overseas=0.0,
        vehicle_purchase=0.0,
        vehicle_operation=15.0,
        reception=5.0,
        meetings=3.0,
        training=7.0,
    )


def test_a_reception_column_split_into_domestic_and_foreign_gives_its_subtotal():
    """公务接待费 (小计 | 国内接待费 | 外事接待费): the 小计 is the reception figure, not a
    second 合计; the parts are not read."""
    d = parsed("three_public_reception_split_budget")
    assert d["three_public"] == figures(
        total=32.0, overseas=20.0, vehicle_purchase=0.0, vehicle_operation=8.0, reception=4.0
    )
    assert rules(d) == []
    assert d["provenance"]["three_public.reception"]["text"] == "公务接待费 小计 4.00"


# ------------------------------------------------------------------ 2. blank cells, the sum check


def test_a_blank_cell_whose_row_does_not_add_up_stays_null_with_a_check():
    """合计 20, 出国 blank, 公务用车 10, 接待 5: the blank is not 0 (10 + 5 ≠ 20)."""
    d = parsed("three_public_blank_not_adding_up_budget")
    assert d["three_public"] == figures(
        total=20.0, overseas=None, vehicle_purchase=0.0, vehicle_operation=10.0, reception=5.0
    )
    assert rules(d) == [("three_public_table_sum", "three_public.overseas")]


def test_items_that_already_exceed_the_total_fire_the_sum_check_despite_a_blank():
    """合计 10 but 公务用车 8 + 接待 4 = 12: before, the blank 出国 cell switched the check off
    and the table passed silently."""
    d = parsed("three_public_items_exceed_total_budget")
    assert d["three_public"] == figures(
        total=10.0, overseas=None, vehicle_purchase=0.0, vehicle_operation=8.0, reception=4.0
    )
    assert ("three_public_sum", "three_public.total") in rules(d)
    assert ("three_public_table_sum", "three_public.overseas") in rules(d)


def test_items_stated_in_prose_that_exceed_the_total_fire_the_sum_check():
    d = parsed("three_public_prose_exceeds_total_budget")
    assert d["three_public"] == figures(total=10.0, vehicle_operation=8.0, reception=4.0)
    assert rules(d) == [("three_public_sum", "three_public.total")]


def test_the_sum_check_with_an_item_missing():
    tp = {"total": D("10"), "vehicle_operation": D("8"), "reception": D("4")}
    assert [c.rule for c in check_totals({}, tp, {}, {})] == ["three_public_sum"]
    # Items below the total with one missing: the missing one may hold the rest.
    tp["reception"] = D("2")
    assert check_totals({}, tp, {}, {}) == []
    # 会议费 and 培训费 are never part of the 三公 total.
    full = {
        "total": D("10"),
        "overseas": D("0"),
        "vehicle_purchase": D("0"),
        "vehicle_operation": D("8"),
        "reception": D("2"),
        "meetings": D("5"),
        "training": D("5"),
    }
    assert check_totals({}, full, {}, {}) == []
    full["total"] = D("20")
    assert [c.rule for c in check_totals({}, full, {}, {})] == ["three_public_sum"]


def test_items_a_sentence_leaves_out_are_zero_when_the_rest_add_up_to_the_total():
    """决算 12.5 = 公务用车运行维护费 10 + 公务接待费 2.5: 因公出国 and 购置 are 0 (derived);
    会议费 and 培训费 come from their own section."""
    d = parsed("three_public_prose_final")
    assert d["three_public"] == figures(
        total=12.5,
        overseas=0.0,
        vehicle_purchase=0.0,
        vehicle_operation=10.0,
        reception=2.5,
        meetings=3.2,
        training=4.0,
    )
    assert rules(d) == []
    prov = d["provenance"]
    assert prov["three_public.overseas"]["derived"] is True
    assert prov["three_public.vehicle_purchase"]["derived"] is True
    assert "derived" not in prov["three_public.reception"]


def test_items_a_sentence_leaves_out_stay_null_when_the_rest_do_not_add_up():
    text = "# 某某县水务局2024年部门预算\n\n## 四、“三公”经费预算情况说明\n\n2024年“三公”经费预算安排10万元，其中：公务接待费4万元。\n"
    d = parse(text.encode(), "x.txt").to_dict()
    assert d["three_public"] == figures(total=10.0, reception=4.0)


def test_none_stated_in_prose_is_zero():
    """ "无因公出国（境）费和公务用车购置费预算安排" → both 0; 会议费 / 培训费 are read in
    the 三公 section but not from what 机关运行经费 pays for."""
    d = parsed("three_public_prose_lists_budget")
    assert d["three_public"] == figures(
        total=15.0,
        overseas=0.0,
        vehicle_purchase=0.0,
        vehicle_operation=10.0,
        reception=5.0,
        meetings=3.0,
        training=6.0,
    )
    assert rules(d) == []
    assert "无因公出国" in d["provenance"]["three_public.overseas"]["text"]
    assert "derived" not in d["provenance"]["three_public.overseas"]


def test_a_three_public_total_of_zero_makes_every_item_zero():
    text = "# 某某县档案馆2024年部门预算\n\n## 四、“三公”经费预算情况说明\n\n2024年“三公”经费预算为0。\n"
    d = parse(text.encode(), "x.txt").to_dict()
    assert d["three_public"] == figures(
        total=0.0, overseas=0.0, vehicle_purchase=0.0, vehicle_operation=0.0, reception=0.0
    )
    assert d["provenance"]["three_public.reception"]["derived"] is True


def test_none_stated_for_last_year_says_nothing_about_this_year():
    text = (
        "# 某某县水务局2024年部门预算\n\n## 四、“三公”经费预算情况说明\n\n"
        "2024年“三公”经费预算安排8万元，其中：公务接待费5万元。上年无因公出国（境）费。\n"
    )
    d = parse(text.encode(), "x.txt").to_dict()
    assert d["three_public"] == figures(total=8.0, reception=5.0)


def test_no_three_public_expenses_at_all_is_zero_and_a_fund_sentence_is_not_read():
    d = parsed("three_public_prose_none_budget")
    assert d["three_public"] == figures(
        total=0.0, overseas=0.0, vehicle_purchase=0.0, vehicle_operation=0.0, reception=0.0
    )
    assert d["provenance"]["three_public.total"]["block"] == 2


# ------------------------------------------------------------------ 3. 预算数 and 决算数 side by side


def test_a_final_account_with_budget_and_actual_columns_item_by_item_reads_every_actual():
    """合计 | 因公出国 | … each split into 预算数 | 决算数. Reading from the first 决算数
    column on took every item's 预算数 (接待 5.00 instead of 2.50)."""
    d = parsed("three_public_final_interleaved")
    assert d["three_public"] == figures(
        total=12.5,
        overseas=0.0,
        vehicle_purchase=0.0,
        vehicle_operation=10.0,
        reception=2.5,
    )
    assert rules(d) == []
    for key in ("total", "overseas", "vehicle_purchase", "vehicle_operation", "reception"):
        assert d["provenance"][f"three_public.{key}"]["text"].startswith("决算数"), key


def test_two_unlabelled_column_groups_in_a_final_account_are_not_read():
    """Two identical sets of columns without 预算数 / 决算数: the first set (the budget)
    adds up, so reading it would pass every check. Null, with a check."""
    d = parsed("three_public_final_unlabelled_groups")
    assert d["three_public"] == figures()
    assert rules(d) == [("three_public_table_layout", "three_public")]


def test_a_transposed_final_table_reads_the_actual_column():
    """Items as rows, 预算数 | 决算数 | 增减 as columns; the blank 购置费 is 0 by its 公务用车 row."""
    d = parsed("three_public_transposed_final")
    assert d["three_public"] == figures(
        total=12.5, overseas=0.0, vehicle_purchase=0.0, vehicle_operation=10.0, reception=2.5
    )
    assert rules(d) == []
    assert d["provenance"]["three_public.vehicle_purchase"]["derived"] is True
    assert d["provenance"]["three_public.reception"]["row"] == 6


def test_a_transposed_budget_table_reads_this_years_column():
    d = parsed("three_public_transposed_budget")
    assert d["three_public"] == figures(
        total=18.0,
        overseas=0.0,
        vehicle_purchase=0.0,
        vehicle_operation=12.0,
        reception=6.0,
        meetings=2.5,
        training=4.0,
    )
    assert rules(d) == []
    assert d["provenance"]["three_public.total"]["text"].startswith("2024年预算数")


def test_a_transposed_table_with_a_number_column_and_one_amount_column():
    """序号 | 项目 | 金额: the 序号 is not a figure; the blank 购置费 is 0 by its 公务用车 row."""
    d = parsed("three_public_transposed_numbered_budget")
    assert d["three_public"] == figures(
        total=9.6, overseas=0.0, vehicle_purchase=0.0, vehicle_operation=6.0, reception=3.6
    )
    assert rules(d) == []
    assert d["provenance"]["three_public.vehicle_purchase"]["derived"] is True


def test_a_table_of_last_years_figures_only_is_not_read():
    """A budget's 三公 table that prints only 上年预算数 / 上年决算数 holds no figure of the
    year the budget is for."""
    text = (DATA / "three_public_transposed_final.txt").read_text("utf-8")
    text = text.replace("2023年度部门决算", "2024年部门预算").replace("支出决算表", "支出表")
    text = text.replace("\t预算数\t决算数\t决算数比预算数增减", "\t上年预算数\t上年决算数\t增减")
    d = parse(text.encode(), "x.txt").to_dict()
    assert d["kind"] == "budget"
    assert d["three_public"] == figures()
    assert rules(d) == [("three_public_table_layout", "three_public")]
