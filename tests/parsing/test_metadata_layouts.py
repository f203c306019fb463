"""Layouts of the real world around the figures: traditional-script copies with reading
annotations (trad_*), web pages turned to text (web_*), and metadata that is polluted, cut
short, spread over headers or written oddly (meta_*). Each made-up document in
tests/parsing/data must give exactly the values asserted here, and the checks that say
what was done or why a value is null."""

from __future__ import annotations

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


@pytest.mark.parametrize("name", ["web_summary_pipes.txt", "web_summary_interleaved.txt"])
def test_html2text_rows_without_outer_pipes_read_the_same(name):
    text = html2text_form((DATA / name).read_text("utf-8"))
    assert "\n| " not in text and "---|---" in text
    plain = parse(text.encode(), name).to_dict()
    d = parsed(name)
    for key in ("department", "region", "fiscal_year", "kind", "totals", "functional"):
        assert plain[key] == d[key], key
    assert rules(plain) == rules(d)


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
