"""Totals and prose in layouts real reports use (issue 10, points 4–7), each made up in
tests/parsing/data as totals_<what>.txt or prose_<what>.txt.

* all funds vs 财政拨款: the 收支总表 of all funds gives the department's totals; the
  财政拨款收支总表 gives its funding-source rows and, for the totals, only the 财政拨款 part;
* a number after 增加/减少/增长/下降/比…多/少/增减 is a change, never a level;
* prose-only reports: items written with （款）（项） markers, a sentence cut by a page
  break, characters spread out with spaces, stated nils, remarks in brackets, bare fund
  names in a "其中" list;
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


def test_a_fiscal_table_printed_right_after_with_its_title_in_its_first_row():
    """No paragraph between the two tables and the 财政拨款 title in the table's own first
    row: the reader joins them as one table; read apart, by that title row."""
    d = parsed("totals_fiscal_table_joined.txt")
    assert stated(d["totals"]) == {
        "carryover_income": 50.0,
        "grand_total": 1050.0,
        "general_public_budget_income": 800.0,
    }
    assert rules(d) == ["fiscal_only", "fiscal_only"]  # 本年收入 800, 本年支出 830


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


# ------------------------------------------------------------- 5. changes in prose


def test_numbers_after_change_words_are_never_levels():
    """ "比上年增加的主要是人员经费123.45万元和项目支出45.00万元" comes before the levels,
    "人员经费比上年增加123.45万元", "公用经费比上年减少10.00万元", "机关运行经费较上年多12.00
    万元", "增减变化5.00万元" state changes only."""
    d = parsed("prose_changes.txt")
    assert stated(d["totals"]) == {
        "income_total": 1000.0,
        "expenditure_total": 1000.0,
        "general_public_budget_income": 950.0,
        "basic_expenditure": 700.0,
        "project_expenditure": 300.0,
        "personnel_expenditure": 600.0,
    }
    assert d["provenance"]["totals.personnel_expenditure"]["text"].startswith(
        "基本支出中，人员经费600"
    )
    assert rules(d) == []


def test_a_change_word_anywhere_in_the_clause_before_the_number():
    base = "# 某某县林业局2024年部门预算\n\n{}\n"
    cases = {
        "人员经费比上年增加123.45万元。": None,
        "人员经费1000万元，比上年增加123.45万元。": 1000.0,
        "比上年增加的主要是人员经费123.45万元。": None,
        "主要是增加人员经费123.45万元。": None,
        "人员经费较上年多123.45万元。": None,
        "人员经费同比下降123.45万元。": None,
        "压减人员经费123.45万元。": None,
        "与上年相比，人员经费1000.00万元。": 1000.0,
    }
    for sentence, want in cases.items():
        d = parsed("change.txt", base.format(sentence))
        assert d["totals"]["personnel_expenditure"] == want, sentence


# ------------------------------------------------------------- 6. prose-only reports


def test_items_written_with_kuan_and_xiang_markers_without_their_lei():
    """ "1.人力资源和社会保障管理事务（款）行政运行（项）1,234.56万元，比上年增加100.00万元"
    gives 2080101 = 1234.56; an item stated only by its change gives nothing; a 款 named
    without its 类 finds its code alone."""
    d = parsed("prose_only_items.txt")
    items = [(i["code"], i["name"], i["total"]) for i in d["functional"]["general_budget"]]
    assert items == [
        ("208", "社会保障和就业支出", 1550.0),
        ("2080101", "行政运行", 1234.56),
        ("2080109", "社会保险经办机构", 265.44),
        ("2080505", "机关事业单位基本养老保险缴费支出", 50.0),
    ]
    assert rules(d) == []  # children add up to 208: no children_sum, no code_missing


def test_a_sentence_cut_by_a_page_break_is_read_whole():
    d = parsed("prose_page_break.txt")
    assert stated(d["totals"]) == {
        "income_total": 456.78,
        "expenditure_total": 456.78,
        "basic_expenditure": 400.0,
        "project_expenditure": 56.78,
        "personnel_expenditure": 350.0,
        "public_expenditure": 50.0,
    }
    # 本年支出 = 基本 + 项目 and 基本 = 人员 + 公用 hold: no check.
    assert rules(d) == []


def test_characters_spread_out_with_spaces():
    d = parsed("prose_spaced_characters.txt")
    assert stated(d["totals"]) == {
        "income_total": 300.0,
        "expenditure_total": 300.0,
        "operating_expenditure": 25.5,
    }
    assert (
        "机关运行经费预算为 25.50 万元" in d["provenance"]["totals.operating_expenditure"]["text"]
    )


def test_stated_nils_are_zero_with_their_sentence():
    d = parsed("prose_none_stated.txt")
    assert d["totals"]["operating_expenditure"] == 0.0
    assert d["totals"]["procurement_total"] == 0.0
    assert "未安排机关运行经费" in d["provenance"]["totals.operating_expenditure"]["text"]
    assert "未安排政府采购预算" in d["provenance"]["totals.procurement_total"]["text"]


def test_procurement_with_a_remark_in_brackets_and_as_a_spending_total():
    for name in ("prose_procurement.txt", "prose_procurement_total.txt"):
        d = parsed(name)
        assert d["totals"]["procurement_total"] == 45.6, name
        assert "45.60" in d["provenance"]["totals.procurement_total"]["text"]
        assert rules(d) == []


def test_bare_fund_names_in_a_list_under_this_years_income():
    """ "本年收入合计 1,000.00 万元，其中,一般公共预算 321.09，政府性基金预算 0" (the unit of
    the total), and the same under 收入总计 when 上年结转 is listed apart; not under a total
    with carry-over inside (521.09) nor under 政府采购 (60.00)."""
    d = parsed("prose_fund_parts.txt")
    assert stated(d["totals"]) == {
        "income_total": 1000.0,
        "carryover_income": 200.0,
        "grand_total": 1200.0,
        "general_public_budget_income": 321.09,
        "government_fund_income": 0.0,
        "procurement_total": 80.0,
    }
    assert rules(d) == []  # 321.09 twice, never 521.09 or 60: no prose_disagree


def test_a_bare_expenditure_figure_after_another_subject_is_that_subjects():
    """ "“三公”经费…支出预算为20.00万元，支出决算为12.50万元", "项目支出预算为300.00万元，
    支出决算为280.00万元": the 支出决算 of the 三公 / of the projects, not the department's
    本年支出合计."""
    d = parsed("prose_other_subject.txt")
    assert stated(d["totals"]) == {
        "income_total": 980.0,
        "general_public_budget_income": 980.0,
        "project_expenditure": 280.0,
    }
    assert rules(d) == []


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


def test_nil_and_spaced_three_public_sentences_reach_the_three_public_reader():
    """ "无 三 公 经 费" closed up, "无三公经费预算" and "无公务用车购置预算安排": zeros with
    their sentence (the 三公 reader's rule, given the prepared text)."""
    zeros = {
        "total": 0.0,
        "overseas": 0.0,
        "vehicle_purchase": 0.0,
        "vehicle_operation": 0.0,
        "reception": 0.0,
    }
    for name in ("prose_spaced_characters.txt", "prose_none_stated.txt"):
        d = parsed(name)
        assert stated(d["three_public"]) == zeros, name
        assert "无三公经费" in d["provenance"]["three_public.total"]["text"], name
