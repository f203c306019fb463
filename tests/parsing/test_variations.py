"""Made-up variations of real templates: units, code layouts, split tables, conflicts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disclosures.parsing import parse
from disclosures.parsing.extract import extract
from disclosures.parsing.readers.text import read_text
from disclosures.parsing.types import Document, Paragraph, Table


def _parse(text: str, encoding: str = "utf-8") -> dict:
    data = text.encode(encoding)
    return extract(read_text(data, "v.txt"), data=data, filename="v.txt").to_dict()


def _items(result: dict, group: str, scope: str) -> list[tuple]:
    return [
        (i["code"], i["name"], i["total"], i["basic"], i["project"])
        for i in result[group].get(scope, [])
    ]


def _rules(result: dict) -> list[str]:
    return [c["rule"] for c in result["checks"]]


YUAN_DEPARTMENT_TABLE = "\n".join(
    [
        "# 成都市教育局",
        "## 2023年部门预算",
        "",
        "## 部门支出总表",
        "单位：元",
        "科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出",
        "类\t款\t项\t\t\t\t",
        "合计\t\t\t\t29,616,800\t20,000,000\t9,616,800",
        "成都市教育局\t\t\t\t29,616,800\t20,000,000\t9,616,800",
        "205\t\t\t教育支出\t29,616,800\t20,000,000\t9,616,800",
        "\t01\t\t教育管理事务\t20,000,000\t20,000,000\t",
        "\t01\t01\t行政运行\t20,000,000\t20,000,000\t",
        "\t02\t\t普通教育\t9,616,800\t\t9,616,800",
        "\t02\t03\t初中教育\t９，６１６，８００\t\t９，６１６，８００",
        "",
    ]
)


def test_yuan_table_with_split_codes_and_two_header_rows() -> None:
    result = _parse(YUAN_DEPARTMENT_TABLE)
    assert _items(result, "functional", "department") == [
        ("205", "教育支出", 2961.68, 2000.0, 961.68),
        ("20501", "教育管理事务", 2000.0, 2000.0, None),
        ("2050101", "行政运行", 2000.0, 2000.0, None),
        ("20502", "普通教育", 961.68, None, 961.68),
        ("2050203", "初中教育", 961.68, None, 961.68),
    ]
    # The 合计 row gives the department's totals; the unit row is not an item.
    assert result["totals"]["expenditure_total"] == 2961.68
    assert result["totals"]["basic_expenditure"] == 2000.0
    assert result["totals"]["project_expenditure"] == 961.68
    assert result["department"] == "成都市教育局"
    assert result["fiscal_year"] == 2023 and result["kind"] == "budget"
    assert "children_sum" not in _rules(result)


def test_region_comes_from_the_gazetteer() -> None:
    pytest.importorskip("disclosures.parsing.gazetteer")
    result = _parse(YUAN_DEPARTMENT_TABLE)
    assert result["region"] == {"province": "四川省", "city": "成都市", "county": None}


def test_thousand_yuan_table_with_codes_written_208_1_2() -> None:
    text = "\n".join(
        [
            "某市财政局2021年部门预算",
            "## 一般公共预算支出表",
            "单位：千元",
            "科目编码\t科目名称\t合计",
            "208\t社会保障和就业支出\t1,000.5",
            "208 1\t人力资源和社会保障管理事务\t1,000.5",
            "208 1 2\t一般行政管理事务\t1,000.5",
        ]
    )
    result = _parse(text)
    assert [(c, t) for c, _, t, _, _ in _items(result, "functional", "general_budget")] == [
        ("208", 100.05),
        ("20801", 100.05),
        ("2080102", 100.05),
    ]


def test_table_split_across_pages_is_joined() -> None:
    header = ("科目编码", "科目名称", "合计", "基本支出", "项目支出")
    blocks = (
        Paragraph("某县卫生健康局2022年部门预算", 0, 1),
        Paragraph("部门支出总表", 1, 1),
        Paragraph("单位：万元", 2, 1),
        Table(
            (
                header,
                ("合计", "", "30", "10", "20"),
                ("210", "卫生健康支出", "30", "10", "20"),
                ("21001", "卫生健康管理事务", "30", "10", "20"),
            ),
            3,
            1,
        ),
        Paragraph("5", 4, 1),  # a page number between the two halves
        Table(
            (
                ("2100101", "行政运行", "10", "10", ""),
                ("2100199", "其他卫生健康管理事务支出", "20", "", "20"),
            ),
            5,
            2,
        ),
    )
    document = Document(blocks=blocks, format="pdf", pages=2)
    result = extract(document, data=b"x", filename="v.pdf").to_dict()
    codes = [i["code"] for i in result["functional"]["department"]]
    assert codes == ["210", "21001", "2100101", "2100199"]
    assert result["provenance"]["functional.department[3]"]["page"] == 2
    assert "children_sum" not in _rules(result)


def test_a_repeated_header_on_the_next_page_is_not_an_item() -> None:
    header = ("科目编码", "科目名称", "合计")
    blocks = (
        Paragraph("部门支出总表", 0, 1),
        Table((header, ("210", "卫生健康支出", "30"), ("21001", "卫生健康管理事务", "30")), 1, 1),
        Table((header, ("2100101", "行政运行", "30")), 2, 2),
    )
    result = extract(Document(blocks, "pdf", 2), data=b"x", filename="v.pdf").to_dict()
    assert [i["code"] for i in result["functional"]["department"]] == ["210", "21001", "2100101"]


def test_name_without_code_gets_dictionary_code_or_null_with_check() -> None:
    pytest.importorskip("disclosures.parsing.classification")
    text = "\n".join(
        [
            "某区人力资源和社会保障局2022年部门预算",
            "部门支出总表",
            "单位：万元",
            "科目编码\t科目名称\t合计",
            "合计\t\t100",
            "社保科\t\t100",
            "208\t社会保障和就业支出\t100",
            "20801\t人力资源和社会保障管理事务\t100",
            "\t行政运行\t60",
            "\t某某没有编码的科目\t40",
        ]
    )
    result = _parse(text)
    items = _items(result, "functional", "department")
    assert items[2][:3] == ("2080101", "行政运行", 60.0)
    assert items[3][:3] == (None, "某某没有编码的科目", 40.0)
    assert "code_missing" in _rules(result)
    assert all(i[1] != "社保科" for i in items)


FISCAL_SUMMARY = "\n".join(
    [
        "某县教育和体育局2023年部门预算",
        "一、财政拨款收支总体情况",
        "2023年财政拨款收入支出总计0.3万元。",
        "财政拨款收支总表",
        "单位：万元",
        "收入\t\t支出\t",
        "项目\t预算数\t项目\t预算数",
        "一、本年收入\t2,961.68\t一、本年支出\t2,961.68",
        "一般公共预算拨款收入\t2,961.68\t教育支出\t2,961.68",
        "政府性基金预算拨款收入\t\t\t",
        "二、上年结转\t\t二、结转下年\t",
        "收入总计\t2,961.68\t支出总计\t2,961.68",
    ]
)


def test_narrative_total_that_contradicts_the_table_raises_a_check() -> None:
    result = _parse(FISCAL_SUMMARY)
    # Only the 财政拨款 table: its totals are the 财政拨款 part, not the department's
    # (which may have other income); they stay null and a check says why.
    assert result["totals"]["grand_total"] is None
    assert result["totals"]["income_total"] is None
    assert {c["path"] for c in result["checks"] if c["rule"] == "fiscal_only"} == {
        "totals.grand_total",
        "totals.income_total",
        "totals.expenditure_total",
    }
    assert result["totals"]["general_public_budget_income"] == 2961.68
    # An empty cell is "not stated", not zero.
    assert result["totals"]["government_fund_income"] is None
    flagged = [c for c in result["checks"] if c["rule"] == "prose_vs_table"]
    assert flagged and flagged[0]["path"] == "totals.grand_total"
    assert "0.3" in flagged[0]["message"]


def test_final_account_title_gives_kind_final() -> None:
    text = "\n".join(
        [
            "某市民政局2022年度部门决算",
            "第二部分 2022年度部门决算情况说明",
            "2022年本年支出合计120.5万元，其中：基本支出100万元，项目支出20.5万元。",
            "完成预算98%，决算数小于预算数。",
        ]
    )
    result = _parse(text)
    assert result["kind"] == "final"
    assert result["fiscal_year"] == 2022
    assert result["totals"]["expenditure_total"] == 120.5
    assert result["totals"]["basic_expenditure"] == 100.0
    assert result["totals"]["project_expenditure"] == 20.5


def test_yuan_figures_in_prose_and_three_public_zeroes() -> None:
    text = "\n".join(
        [
            "某县公安局2024年部门预算",
            "四、“三公”经费情况说明",
            "2024年“三公”经费预算150,000元，其中：因公出国（境）费为0，公务用车购置费0元，"
            "公务用车运行维护费130,000元，公务接待费20,000元。",
            "截至2023年底，本单位共有公务用车 6 辆。",
        ]
    )
    result = _parse(text)
    assert result["three_public"] == {
        "total": 15.0,
        "overseas": 0.0,
        "vehicle_purchase": 0.0,
        "vehicle_operation": 13.0,
        "reception": 2.0,
        "meetings": None,
        "training": None,
    }
    assert result["assets"]["vehicles"] == 6


def test_a_change_from_last_year_is_not_taken_for_the_figure() -> None:
    text = "\n".join(
        [
            "某县司法局2020年部门预算",
            "四、“三公”经费情况",
            "2020年“三公”经费预算安排4.4万元，其中：公务接待费0万元。“三公”经费较上年减少2万元。",
            "2020年部门支出预算为100万元，其中基本支出80万元；项目支出增加391.81万元。",
        ]
    )
    result = _parse(text)
    assert result["three_public"]["total"] == 4.4
    assert result["three_public"]["reception"] == 0.0
    assert result["totals"]["project_expenditure"] is None
    assert result["totals"]["basic_expenditure"] == 80.0


def test_abbreviated_department_is_expanded_and_unknown_region_flagged() -> None:
    result = _parse("高新区人社局2021年部门预算\n2021年部门支出预算为10万元。\n")
    assert result["department"] == "高新区人力资源和社会保障局"
    assert result["region"] == {"province": None, "city": None, "county": None}
    assert "region_unknown" in _rules(result)


def test_income_total_that_includes_carry_over_is_rejected() -> None:
    text = (
        "某市人力资源和社会保障局2020年度部门决算\n"
        "2020年本年收入合计110万元，其中：一般公共预算财政拨款收入100万元；"
        "年初结转和结余资金10万元。\n"
    )
    result = _parse(text)
    assert result["totals"]["income_total"] is None
    assert result["totals"]["carryover_income"] == 10.0
    assert result["totals"]["general_public_budget_income"] == 100.0
    assert "income_total_includes_carryover" in _rules(result)


def test_pipe_table_markdown_is_read() -> None:
    text = "\n".join(
        [
            "# 某市科学技术局2023年部门预算",
            "## 一般公共预算支出表",
            "单位：万元",
            "| 科目编码 | 科目名称 | 合计 |",
            "|---|---|---|",
            "| 206 | 科学技术支出 | 1,200.00 |",
            "| 20601 | 科学技术管理事务 | 1,200.00 |",
        ]
    )
    result = _parse(text)
    assert _items(result, "functional", "general_budget") == [
        ("206", "科学技术支出", 1200.0, None, None),
        ("20601", "科学技术管理事务", 1200.0, None, None),
    ]


def test_prose_only_report_states_items_by_class_and_item() -> None:
    pytest.importorskip("disclosures.parsing.classification")
    text = "\n".join(
        [
            "某市人力资源和社会保障局2020年度部门决算",
            "五、一般公共预算财政拨款支出决算情况说明",
            "（三）一般公共预算财政拨款支出决算具体情况",
            "1.社会保障和就业（类）人力资源和社会保障管理事务（款）行政运行（项）支出决算为"
            "1,114.85万元、劳动关系维权（项）支出决算为5.52万元。",
            "2.住房保障支出（类）住房改革（款）公积金（项）支出决算为175.87万元。",
        ]
    )
    result = _parse(text)
    assert _items(result, "functional", "general_budget") == [
        ("2080101", "行政运行", 1114.85, None, None),
        ("2080110", "劳动关系和维权", 5.52, None, None),
        ("2210201", "住房公积金", 175.87, None, None),
    ]


def test_text_reader_handles_one_cell_per_line_tables_and_gb18030() -> None:
    text = "\n".join(
        [
            "某县人社局2020年部门预算",
            "固定资产占用情况表",
            "\t项目",
            "\t数量",
            "\t价值（金额单位：万元）",
            "",
            "\t资产总额",
            "\t——",
            "\t555.58",
            "",
            "\t2、车辆（台、辆）",
            "\t5",
            "\t37.96",
            "",
        ]
    )
    document = read_text(text.encode("gb18030"), "v.txt")
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert tables[0].rows == (
        ("项目", "数量", "价值（金额单位：万元）"),
        ("资产总额", "——", "555.58"),
        ("2、车辆（台、辆）", "5", "37.96"),
    )
    assert _parse(text, "gb18030")["assets"]["vehicles"] == 5


def test_markdown_headings_and_broken_lines_become_paragraphs() -> None:
    text = (
        "## 一、部门概况\n\n市人力资源和社会保障局 2020 年一般公共预算当年拨\n\n款 1454.32 万元。\n"
    )
    paragraphs = [b.text for b in read_text(text.encode()).blocks]
    assert paragraphs == [
        "一、部门概况",
        "市人力资源和社会保障局 2020 年一般公共预算当年拨款 1454.32 万元。",
    ]


def test_parse_entry_point_reads_text_files() -> None:
    result = parse(FISCAL_SUMMARY.encode(), "v.md")
    assert result.format == "text"
    assert result.totals["general_public_budget_income"] == Decimal("2961.68")
