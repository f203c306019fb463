"""Layouts of the real world around the figures: traditional-script copies with reading
annotations (trad_*), web pages turned to text (web_*), and metadata that is polluted, cut
short, spread over headers or written oddly (meta_*). Each made-up document in
tests/parsing/data must give exactly the values asserted here, and the checks that say
what was done or why a value is null."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

import opencc
import pytest

from disclosures.parsing import parse, script
from disclosures.parsing.readers import read_checked

DATA = Path(__file__).resolve().parent / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "disclosures" / "samples"


def parsed(name: str) -> dict:
    return parse((DATA / name).read_bytes(), name).to_dict()


def rules(d: dict) -> list[str]:
    return [c["rule"] for c in d["checks"]]


def stated(group: dict) -> dict:
    return {k: v for k, v in group.items() if v is not None}


def items(d: dict, group: str, scope: str) -> list[tuple]:
    return [(i["code"], i["name"], i["total"], i["basic"], i["project"]) for i in d[group][scope]]


# ------------------------------------------------------------------ 9. traditional script


def test_a_traditional_copy_with_reading_annotations_reads_like_a_simplified_one():
    """臺州市臨海市衞生健康局 (standard and Hong Kong variant characters), readings after
    words in three spellings: "預算(yù suàn)", "預(yù)", "採購(cai3 gou4)"."""
    d = parsed("trad_budget_annotated.txt")
    assert d["department"] == "台州市临海市卫生健康局"
    assert d["region"] == {"province": "浙江省", "city": "台州市", "county": "临海市"}
    assert (d["fiscal_year"], d["kind"]) == (2023, "budget")
    assert stated(d["totals"]) == {
        "income_total": 1100.0,
        "carryover_income": 134.56,
        "grand_total": 1234.56,
        "expenditure_total": 1234.56,
        "carryforward": 0.0,
        "general_public_budget_income": 1000.0,
        "government_fund_income": 100.0,
        "state_capital_income": 0.0,
        "basic_expenditure": 934.56,
        "project_expenditure": 300.0,
        "operating_expenditure": 55.2,
        "procurement_total": 36.0,
    }
    assert stated(d["three_public"]) == {
        "total": 12.0,
        "overseas": 0.0,
        "vehicle_purchase": 0.0,
        "vehicle_operation": 8.0,
        "reception": 4.0,
    }
    assert d["assets"] == {"vehicles": 3}
    assert items(d, "functional", "department") == [
        ("208", "社会保障和就业支出", 134.56, 134.56, None),
        ("20805", "行政事业单位养老支出", 134.56, 134.56, None),
        ("2080505", "机关事业单位基本养老保险缴费支出", 134.56, 134.56, None),
        ("210", "卫生健康支出", 1100.0, 800.0, 300.0),
        ("21001", "卫生健康管理事务", 1100.0, 800.0, 300.0),
        ("2100101", "行政运行", 800.0, 800.0, None),
        ("2100199", "其他卫生健康管理事务支出", 300.0, None, 300.0),
    ]
    assert rules(d)[:2] == ["reading_annotations_removed", "traditional_script_converted"]
    assert all(c["severity"] != "error" for c in d["checks"])
    # Provenance quotes the converted text, annotations removed.
    assert d["provenance"]["totals.operating_expenditure"]["text"].startswith(
        "2023年机关运行经费预算为55.20万元"
    )


def _expected(sample_id: str) -> dict:
    return json.loads((SAMPLES / "expected" / f"{sample_id}.json").read_text("utf-8"))


@pytest.mark.parametrize("config", ["s2t", "s2hk", "s2tw"])
def test_a_real_sample_written_in_traditional_script_gives_exactly_the_expected_values(config):
    """Sample 004 (重庆市南岸区人力资源和社会保障局) converted to traditional script by
    OpenCC must parse to exactly expected/004 and exactly like the simplified text."""
    path = next(SAMPLES.glob("004_*.txt"))
    simplified = path.read_text("utf-8")
    traditional = opencc.OpenCC(config).convert(simplified)
    assert "預算" in traditional and "預算" not in simplified
    got = parse(traditional.encode(), path.name).to_dict()
    want = _expected(path.name.split(".")[0])

    assert got["department"] == want["department"]
    assert got["region"] == want["region"]
    assert (got["fiscal_year"], got["kind"]) == (want["fiscal_year"], want["kind"])
    for group in ("totals", "three_public", "assets"):
        assert stated(got[group]) == want[group], group
    for group in ("functional", "economic"):
        for scope, wanted in want[group].items():
            have = [{k: i[k] for k in w} for i, w in zip(got[group][scope], wanted, strict=False)]
            assert len(got[group][scope]) == len(wanted), f"{group}.{scope}"
            assert have == wanted, f"{group}.{scope}"
    assert rules(got)[0] == "traditional_script_converted"

    plain = parse(simplified.encode(), path.name).to_dict()
    got["checks"] = got["checks"][1:]
    for key in plain:
        if key != "source":
            assert got[key] == plain[key], key


def test_conversion_touches_chinese_characters_only():
    text = "２０２３年預算１，２３４．５６萬元（2080101 行政運行）；PPP項目 Ａ-12 。"
    assert (
        script.to_simplified(text)
        == "２０２３年预算１，２３４．５６万元（2080101 行政运行）；PPP项目 Ａ-12 。"
    )
    for word, simple in [
        ("預算", "预算"),
        ("決算", "决算"),
        ("經費", "经费"),
        ("機關", "机关"),
        ("專項", "专项"),
        ("財政撥款", "财政拨款"),
        ("縣", "县"),
        ("區", "区"),
        ("臺州", "台州"),
        ("乾安縣", "乾安县"),
        ("衞生", "卫生"),
    ]:
        assert script.to_simplified(word) == simple


def test_reading_annotations_are_removed_and_nothing_else():
    assert script.strip_annotations("預(yù)算") == "預算"
    assert script.strip_annotations("預算（yù suàn）編制") == "預算編制"
    assert script.strip_annotations("預算 (yu4 suan4)") == "預算"
    assert script.strip_annotations("預yù算suàn公開") == "預算公開"
    # Zhuyin (bopomofo) readings.
    assert script.strip_annotations("預(ㄩˋ)算（ㄙㄨㄢˋ）") == "預算"
    # Tone marks typed as combining accents.
    assert script.strip_annotations("決(jue\u0301)算") == "決算"
    # English, units and numbering in brackets stay.
    for kept in (
        "政府和社会资本合作(PPP)项目",
        "里程(km)",
        "附表(1)",
        "预算(2023年)",
        "（一）收入",
    ):
        assert script.strip_annotations(kept) == kept


def test_a_simplified_document_is_not_converted_and_costs_little():
    """Detection reads a sample with one regular expression; OpenCC is not needed."""
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text("utf-8")
        assert not script.is_traditional(text)
        assert script.simplify_text(text) == (text, ())
        document, checks = read_checked(path.read_bytes(), path.name)
        assert not [c for c in checks if "script" in c.rule or "annotation" in c.rule]
    text = next(SAMPLES.glob("000_*.txt")).read_text("utf-8")
    start = time.perf_counter()
    for _ in range(20):
        script.simplify_text(text)
    assert (time.perf_counter() - start) / 20 < 0.01


def test_a_quoted_traditional_name_does_not_make_a_document_traditional():
    text = (
        next(SAMPLES.glob("000_*.txt")).read_text("utf-8") + "\n赴臺灣交流，見《關於…的通知》。\n"
    )
    assert not script.is_traditional(text)


def test_a_traditional_web_page_with_ruby_readings():
    page = (
        "<html><body><h1>臺州市臨海市衞生健康局2023年部門<ruby>預<rp>(</rp><rt>yù</rt>"
        "<rp>)</rp></ruby>算</h1><p>2023年收入預算總計1,234.56萬元。</p>"
        "<table><tr><td>收入項目</td><td>預算數</td><td>支出項目</td><td>預算數</td></tr>"
        "<tr><td>本年收入合計</td><td>1,100.00</td><td>本年支出合計</td><td>1,234.56</td></tr>"
        "<tr><td>收入總計</td><td>1,234.56</td><td>支出總計</td><td>1,234.56</td></tr>"
        "</table></body></html>"
    ).encode()
    d = parse(page, "trad.html").to_dict()
    assert d["department"] == "台州市临海市卫生健康局"
    assert (d["fiscal_year"], d["kind"]) == (2023, "budget")
    assert "traditional_script_converted" in rules(d)


# ------------------------------------------------------------------ 8. web pages as text


def html2text_form(text: str) -> str:
    """The same page as html2text prints it: no outer pipes, "---|---" separators."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            if all(set(c) <= {"-"} and c for c in cells):
                line = "|".join("---" for _ in cells)
            else:
                line = " | ".join(cells)
        out.append(line)
    return "\n".join(out) + "\n"


def test_a_web_page_flattened_to_pipe_rows():
    """收支总表 and 部门支出总表 as "| a | b |" rows, empty cells kept."""
    d = parsed("web_summary_pipes.txt")
    assert d["department"] == "温州市永嘉县教育局"
    assert d["region"] == {"province": "浙江省", "city": "温州市", "county": "永嘉县"}
    assert (d["fiscal_year"], d["kind"]) == (2024, "budget")
    assert stated(d["totals"]) == {
        "income_total": 2250.0,
        "carryover_income": 200.0,
        "grand_total": 2450.0,
        "expenditure_total": 2450.0,
        "carryforward": 0.0,
        "general_public_budget_income": 2100.0,
        "government_fund_income": 150.0,
        "basic_expenditure": 1800.0,
        "project_expenditure": 650.0,
    }
    assert stated(d["three_public"]) == {
        "total": 6.5,
        "overseas": 0.0,
        "vehicle_purchase": 0.0,
        "vehicle_operation": 4.0,
        "reception": 2.5,
    }
    assert items(d, "functional", "department") == [
        ("205", "教育支出", 2150.0, 1500.0, 650.0),
        ("20502", "普通教育", 2150.0, 1500.0, 650.0),
        ("2050202", "小学教育", 1400.0, 1000.0, 400.0),
        ("2050203", "初中教育", 750.0, 500.0, 250.0),
        ("208", "社会保障和就业支出", 300.0, 300.0, None),
        ("20805", "行政事业单位养老支出", 300.0, 300.0, None),
        ("2080505", "机关事业单位基本养老保险缴费支出", 300.0, 300.0, None),
    ]
    assert not [r for r in rules(d) if r.startswith("flattened")]


def tab_form(text: str) -> str:
    """The same page as an xls-to-text tool prints it: tab-separated cells, empty cells
    at the end of a row dropped (kept where one cell would be left: a lone cell with a
    tab is a heading to the text reader), no separator line."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            if all(set(c) <= {"-"} and c for c in cells):
                continue
            while len([c for c in cells if c]) >= 2 and not cells[-1]:
                cells.pop()
            line = "\t".join(cells)
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("form", [html2text_form, tab_form], ids=["html2text", "tabs"])
@pytest.mark.parametrize("name", ["web_summary_pipes.txt", "web_summary_interleaved.txt"])
def test_html2text_rows_without_outer_pipes_read_the_same(name, form):
    text = form((DATA / name).read_text("utf-8"))
    assert "\n| " not in text
    plain = parse(text.encode(), name).to_dict()
    d = parsed(name)
    for key in ("department", "region", "fiscal_year", "kind", "totals", "functional"):
        assert plain[key] == d[key], key
    assert rules(plain) == rules(d)


@pytest.mark.parametrize("name", ["web_summary_pipes.txt", "web_summary_interleaved.txt"])
def test_flattened_rows_pasted_into_word_or_shown_in_a_web_page_read_the_same(name):
    """The html2text lines as Word paragraphs, and as the lines of a <pre> block."""
    from .test_docx_layouts import as_word

    text = html2text_form((DATA / name).read_text("utf-8"))
    plain = parse(text.encode(), name).to_dict()
    word = parse(as_word(text), "page.docx").to_dict()
    parts: list[str] = []
    rows: list[str] = []
    for line in text.splitlines():
        if "|" in line:
            rows.append(line)
            continue
        if rows:  # each table's lines in a <pre> block of their own
            parts.append(f"<pre>{html.escape(chr(10).join(rows))}</pre>")
            rows = []
        if line.strip():
            tag = "h1" if line.startswith("#") else "p"
            parts.append(f"<{tag}>{html.escape(line.lstrip('# '))}</{tag}>")
    if rows:
        parts.append(f"<pre>{html.escape(chr(10).join(rows))}</pre>")
    page = f"<html><head><meta charset='utf-8'></head><body>{''.join(parts)}</body></html>"
    web = parse(page.encode(), "page.html").to_dict()
    assert word["source"]["format"] == "docx" and web["source"]["format"] == "html"
    document, _ = read_checked(as_word(text))
    separators = sum(1 for line in text.splitlines() if line.startswith("---|"))
    assert sum(1 for b in document.blocks if hasattr(b, "rows")) == separators
    assert [b.index for b in document.blocks] == list(range(len(document.blocks)))
    for key in ("department", "fiscal_year", "kind", "totals"):
        assert word[key] == plain[key], key
        assert web[key] == plain[key], key
    assert rules(word) == rules(plain) == rules(web)


def test_a_summary_table_printed_in_odd_orders_is_read_where_unambiguous():
    """xls-to-text output: empty cells dropped, or a row's text cells first and its numbers
    after. One reading possible: read. Two readings ("label | label | number"): the amount
    is left out, with a check quoting the row."""
    d = parsed("web_summary_interleaved.txt")
    assert d["department"] == "平阳县农业农村局"
    assert (d["fiscal_year"], d["kind"]) == (2023, "budget")
    assert stated(d["totals"]) == {
        "income_total": 1020.0,
        "carryover_income": 40.0,
        "grand_total": 1060.0,
        "expenditure_total": 1060.0,
        "carryforward": 0.0,
        "general_public_budget_income": 900.0,
        "government_fund_income": 100.0,
    }
    # 三、国有资本经营预算拨款收入 | 三、住房保障支出 | 30.00: whose 30.00 is unknown.
    assert d["totals"]["state_capital_income"] is None
    ambiguous = [c for c in d["checks"] if c["rule"] == "flattened_row_ambiguous"]
    assert len(ambiguous) == 1
    assert "三、国有资本经营预算拨款收入 | 三、住房保障支出 | 30.00" in ambiguous[0]["message"]
    assert ambiguous[0]["severity"] == "warning"
    realigned = [c for c in d["checks"] if c["rule"] == "flattened_rows_realigned"]
    assert len(realigned) == 1 and "3 行" in realigned[0]["message"]

    document, _ = read_checked((DATA / "web_summary_interleaved.txt").read_bytes())
    (table,) = [b for b in document.blocks if hasattr(b, "rows")]
    assert table.rows[1:] == (
        ("一、一般公共预算拨款收入", "900.00", "一、农林水支出", "950.00"),
        ("二、政府性基金预算拨款收入", "100.00", "二、社会保障和就业支出", "80.00"),
        ("三、国有资本经营预算拨款收入", "", "三、住房保障支出", ""),
        ("四、事业收入", "20.00", "四、卫生健康支出"),  # as printed: it fits
        ("本年收入合计", "1,020.00", "本年支出合计", "1,060.00"),
        ("上年结转", "40.00"),
        ("", "", "结转下年", "0.00"),
        ("收入总计", "1,060.00", "支出总计", "1,060.00"),
    )


def test_flattened_rows_that_say_the_opposite_sides_are_not_trusted():
    """ "教育支出 | 50.00 | 一、一般公共预算拨款收入 | 20.00" under 收入 | 支出: the words
    contradict the positions, so no amount of that row is read."""
    text = (
        "某县教育局2023年部门预算\n部门收支总表\n单位：万元\n"
        "收入项目 | 金额 | 支出项目 | 金额\n"
        "教育支出 | 50.00 | 一、一般公共预算拨款收入 | 20.00\n"
        "本年收入合计 | 50.00 | 本年支出合计 | 50.00\n"
    )
    document, checks = read_checked(text.encode())
    (table,) = [b for b in document.blocks if hasattr(b, "rows")]
    assert table.rows[1] == ("一、一般公共预算拨款收入", "", "教育支出", "")
    assert [c.rule for c in checks] == ["flattened_row_ambiguous"]
    # The same contradiction with the text cells first.
    text = text.replace("50.00 | 一、一般公共预算拨款收入", "一、一般公共预算拨款收入 | 50.00")
    assert "教育支出 | 一、一般公共预算拨款收入 | 50.00 | 20.00" in text
    document, checks = read_checked(text.encode())
    (table,) = [b for b in document.blocks if hasattr(b, "rows")]
    assert table.rows[1] == ("一、一般公共预算拨款收入", "", "教育支出", "")
    assert [c.rule for c in checks] == ["flattened_row_ambiguous"]


def test_a_line_with_a_stray_pipe_stays_a_paragraph():
    text = "某县教育局2023年部门预算\n预算公开网址：www.example.gov.cn | 联系电话：12345\n正文。\n"
    document, checks = read_checked(text.encode())
    assert not [b for b in document.blocks if hasattr(b, "rows")] and checks == ()


# ------------------------------------------------------------------ 10. metadata


def check(d: dict, rule: str) -> dict:
    (found,) = [c for c in d["checks"] if c["rule"] == rule]
    return found


def test_a_heading_number_and_duty_clauses_do_not_pollute_the_department():
    """ "第二部分宁德市寿宁县财政局2024年部门预算表"; clauses "负责应由福建省人民检察院…"
    name another body three times and propose nothing."""
    d = parsed("meta_polluted_names.txt")
    assert d["department"] == "宁德市寿宁县财政局"
    assert d["region"] == {"province": "福建省", "city": "宁德市", "county": "寿宁县"}
    assert (d["fiscal_year"], d["kind"]) == (2024, "budget")
    assert not [r for r in rules(d) if r.startswith(("department", "region"))]
    assert d["totals"]["income_total"] == 860.0


def test_a_name_cut_short_is_completed_from_the_document():
    """The title broken as "福建省人大常委 / 会办公厅2023年部门决算" and a header cell
    "部门：福建省人大常委": 常委 is a member, not the body; the name is the whole one."""
    d = parsed("meta_cut_short.txt")
    assert d["department"] == "福建省人大常委会办公厅"
    assert d["region"] == {"province": "福建省", "city": None, "county": None}
    assert (d["fiscal_year"], d["kind"]) == (2023, "final")
    assert not [r for r in rules(d) if r.startswith(("department", "region"))]


def test_a_name_given_only_in_table_headers():
    """No title names the department: "部门名称：…  金额单位：万元" and
    "单位名称：…（汇总）" in the tables' first rows do."""
    d = parsed("meta_header_only.txt")
    assert d["department"] == "德阳市旌阳区民政局"
    assert d["region"] == {"province": "四川省", "city": "德阳市", "county": "旌阳区"}
    assert (d["fiscal_year"], d["kind"]) == (2023, "budget")
    assert stated(d["totals"]) == {
        "income_total": 1500.0,
        "grand_total": 1500.0,
        "expenditure_total": 1500.0,
        "general_public_budget_income": 1500.0,
        "government_fund_income": 0.0,
        "basic_expenditure": 600.0,
        "project_expenditure": 900.0,
    }
    assert not [r for r in rules(d) if r.startswith(("department", "region"))]


def test_no_name_that_ends_like_a_department_gives_null_and_a_check():
    d = parsed("meta_department_unknown.txt")
    assert d["department"] is None
    found = check(d, "department_unknown")
    assert found["severity"] == "error"
    assert "福建省人大常委" in found["message"] and "不完整" in found["message"]
    assert d["region"] == {"province": "福建省", "city": None, "county": None}
    assert "表格标题" in check(d, "region_from_context")["message"]


@pytest.mark.parametrize(
    "name",
    [
        "第二部分宁德市寿宁县财政局",
        "负责应由福建省人民检察院",
        "福建省人大常委",
        "会办公厅",
        "宁德市寿宁县财政",
        "一、宁德市寿宁县财政局",
    ],
)
def test_names_that_do_not_look_like_a_department(name):
    from disclosures.parsing.extract.metadata import _not_a_department

    assert _not_a_department(name) is not None


@pytest.mark.parametrize(
    "name",
    [
        "宁德市寿宁县财政局",
        "福建省人大常委会办公厅",
        "中共成都市委党校",
        "成都市总工会",
        "某市人民政府办公室",
        "某县公路管理处",
        "某市卫生健康委",
        "某县疾病预防控制中心",
    ],
)
def test_names_that_look_like_a_department(name):
    from disclosures.parsing.extract.metadata import _not_a_department

    assert _not_a_department(name) is None


def test_the_region_from_a_heading_when_the_name_holds_no_place():
    """ "教育局2023年部门决算", the county named only in a heading / running header."""
    d = parsed("meta_region_from_context.txt")
    assert d["department"] == "教育局"
    assert d["region"] == {"province": "浙江省", "city": "温州市", "county": "永嘉县"}
    found = check(d, "region_from_context")
    assert found["severity"] == "info"
    assert "永嘉县" in found["message"] and "永嘉县人民政府信息公开" in found["message"]
    assert "region_unknown" not in rules(d)


def test_two_places_in_the_headings_leave_the_region_unknown():
    d = parsed("meta_region_conflict.txt")
    assert d["department"] == "教育局"
    assert d["region"] == {"province": None, "city": None, "county": None}
    found = check(d, "region_unknown")
    assert "平阳县" in found["message"] and "永嘉县" in found["message"]
    assert "region_from_context" not in rules(d)


def test_the_body_gives_a_region_only_below_the_province_and_with_a_warning():
    base = "教育局2023年部门预算\n部门收支总表\n单位：万元\n项目\t预算数\t项目\t预算数\n"
    base += "本年收入合计\t10\t本年支出合计\t10\n"
    county = parse(
        (base + "本局是永嘉县人民政府的工作部门，主管全县教育工作，下属学校四十二所。\n").encode()
    ).to_dict()
    assert county["region"] == {"province": "浙江省", "city": "温州市", "county": "永嘉县"}
    found = check(county, "region_from_context")
    assert found["severity"] == "warning" and "正文" in found["message"]
    province = parse(
        (base + "本局按照《浙江省预算公开办法》编制部门预算并向社会公开，接受社会监督。\n").encode()
    ).to_dict()
    assert province["region"] == {"province": None, "city": None, "county": None}
    assert "region_unknown" in rules(province)


def test_an_ambiguous_place_in_the_name_is_not_replaced_by_other_places():
    """鼓楼区 exists in several cities: a heading naming 平阳县 says nothing about it."""
    text = "鼓楼区财政局2023年部门预算\n平阳县预算公开专栏\n部门收支总表\n单位：万元\n"
    text += "项目\t预算数\t项目\t预算数\n本年收入合计\t10\t本年支出合计\t10\n"
    d = parse(text.encode()).to_dict()
    assert d["region"] == {"province": None, "city": None, "county": None}
    assert "region_unknown" in rules(d) and "region_from_context" not in rules(d)


def test_a_year_printed_with_spaces():
    """ "2 0 2 3 年 部 门 预 算" in the title; 2022 is named more often in the text."""
    d = parsed("meta_year_spaced.txt")
    assert (d["fiscal_year"], d["kind"]) == (2023, "budget")
    assert d["department"] == "南充市顺庆区财政局"
    assert d["totals"]["income_total"] == 1200.0


def test_a_year_in_chinese_numerals_and_full_width_digits():
    d = parsed("meta_year_chinese.txt")
    assert (d["fiscal_year"], d["kind"]) == (2023, "final")
    assert d["department"] == "南充市顺庆区审计局"
    assert d["region"] == {"province": "四川省", "city": "南充市", "county": "顺庆区"}
    assert "fiscal_year_unknown" not in rules(d)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2 0 2 3 年部门预算", "2023年部门预算"),
        ("２０２３年", "2023年"),
        ("二〇二三年度部门决算", "2023年度部门决算"),
        ("二O二二年", "2022年"),
        ("二零二四年", "2024年"),
        ("合计 1 2 0 2 3", "合计 1 2 0 2 3"),
        ("一二〇二三年", "一二〇二三年"),
    ],
)
def test_years_are_normalised(text, expected):
    from disclosures.parsing.normalize import normalise_years

    assert normalise_years(text).replace(" 年", "年") == expected


def test_gazetteer_mentions_and_containment():
    from disclosures.parsing.gazetteer import contains, mentions

    assert mentions("本局是浙江省温州市平阳县人民政府工作部门，与永嘉县、鼓楼区合作") == [
        ("浙江省温州市平阳县", "330326"),
        ("永嘉县", "330324"),
    ]
    assert mentions("福州市鼓楼区教育局") == [("福州市鼓楼区", "350102")]
    assert mentions("城区学校和高新区") == []
    assert contains("330000", "330326") and contains("330300", "330326")
    assert contains("330326", "330326") and not contains("330324", "330326")


def test_a_paired_table_that_is_not_income_and_expenditure_places_rows_by_position_only():
    """人员经费 | 金额 | 公用经费 | 金额: "工资福利支出 | 100.00" stays on the left (支出
    in a label says nothing about sides here); a row with fewer pairs that does not fit
    cannot be placed, so its amounts are left out."""
    text = (
        "某县教育局2023年部门预算\n基本支出预算表\n单位：万元\n"
        "人员经费项目 | 金额 | 公用经费项目 | 金额\n"
        "工资福利支出 | 100.00\n"
        "对个人和家庭的补助 | 办公费 | 20.00 | 5.00\n"
        "奖金 | 印刷费 | 3.00\n"
    )
    document, checks = read_checked(text.encode())
    (table,) = [b for b in document.blocks if hasattr(b, "rows")]
    assert table.rows[1:] == (
        ("工资福利支出", "100.00", "", ""),
        ("对个人和家庭的补助", "20.00", "办公费", "5.00"),
        ("奖金", "", "印刷费", ""),
    )
    assert [c.rule for c in checks] == ["flattened_rows_realigned", "flattened_row_ambiguous"]
    assert checks[1].path is None


@pytest.mark.parametrize(
    "title,department",
    [
        ("南充市人力资源和社会\n保障局2024年部门预算", "南充市人力资源和社会保障局"),
        ("中共南充市委\n组织部2024年部门预算", "中共南充市委组织部"),
        ("南充市财政局\n2024年部门预算", "南充市财政局"),
        ("2024年部门预算\n南充市财政局", "南充市财政局"),
    ],
)
def test_a_title_broken_over_two_lines(title, department):
    text = title + "\n部门收支总表\n单位：万元\n项目\t预算数\t项目\t预算数\n"
    text += "本年收入合计\t10\t本年支出合计\t10\n"
    d = parse(text.encode()).to_dict()
    assert d["department"] == department
    assert d["fiscal_year"] == 2024
