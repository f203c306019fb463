"""Files that are not disclosures, or are unfilled templates, fail with a plain reason."""

from __future__ import annotations

import pytest

from disclosures.parsing import ParseError, parse


def test_an_unfilled_template_is_refused_as_a_template():
    text = "# XX市XX局\n\n## 20XX年部门预算编制说明\n\n单位：万元\n\n项目\t预算数\n收入总计\t××\n"
    with pytest.raises(ParseError, match="未填写的模板"):
        parse(text.encode(), "template.txt")


def test_a_text_that_is_not_a_disclosure_is_refused():
    text = "第一章\n\n天色已晚，他走进了那间小屋，屋里点着一盏油灯。\n"
    with pytest.raises(ParseError, match="不像部门预算或决算"):
        parse(text.encode(), "novel.txt")


def test_a_disclosure_without_any_figure_is_kept_with_an_error_check():
    text = "# 某市财政局\n\n## 2023年部门预算\n\n本部门预算表格另行公开。\n"
    result = parse(text.encode(), "empty.txt")
    assert result.kind == "budget" and result.fiscal_year == 2023
    assert [c.rule for c in result.checks if c.severity == "error"] == ["no_figures"]


def test_a_real_sample_is_not_mistaken_for_a_template():
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "disclosures" / "samples"
    path = samples / "000_2abe3100919c2127.txt"
    result = parse(path.read_bytes(), path.name)
    assert all(c.rule != "no_figures" for c in result.checks)


def test_codes_missing_from_the_dictionary_are_kept_and_listed_once():
    text = (
        "# 某市财政局\n\n## 2023年部门预算\n\n## 部门支出总表\n\n单位：万元\n\n"
        "科目编码\t科目名称\t合计\n208\t社会保障和就业支出\t10\n2089998\t某新设科目\t10\n"
    )
    result = parse(text.encode(), "new-code.txt")
    codes = [i.code for i in result.functional.get("department", ())] + [
        i.code for i in result.functional.get("general_budget", ())
    ]
    assert "2089998" in codes  # the document's own code is trusted
    flagged = [c for c in result.checks if c.rule == "code_not_in_dictionary"]
    assert (
        len(flagged) == 1 and "2089998" in flagged[0].message and "208、" not in flagged[0].message
    )
