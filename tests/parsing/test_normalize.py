"""Amounts, units, department names, fiscal year and kind."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disclosures.parsing.normalize import (
    clean_name,
    detect_kind,
    detect_unit,
    expand_department,
    fiscal_year_votes,
    parse_amount,
    to_wan,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("11,540.71", Decimal("11540.71")),
        ("<b>13,707.28</b>", Decimal("13707.28")),
        ("１２３．４５", Decimal("123.45")),
        ("1 234.5", Decimal("1234.5")),
        (" 0.00 ", Decimal("0.00")),
        ("15万元", Decimal("15")),
        ("(12.5)", Decimal("-12.5")),
        ("-3", Decimal("-3")),
        ("２，９６１．６８", Decimal("2961.68")),
    ],
)
def test_parse_amount_reads_written_numbers(text: str, value: Decimal) -> None:
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["", "-", "——", "—", "合计", "2020年", "12%", None, "≥90%"])
def test_parse_amount_returns_none_for_non_numbers(text) -> None:
    assert parse_amount(text) is None


def test_to_wan_converts_every_unit_exactly() -> None:
    assert to_wan(Decimal("29616800"), "元") == Decimal("2961.68")
    assert to_wan(Decimal("29616.8"), "千元") == Decimal("2961.68")
    assert to_wan(Decimal("2961.68"), "万元") == Decimal("2961.68")
    assert to_wan(Decimal("0.3"), "亿元") == Decimal("3000")
    assert to_wan(None, "元") is None


def test_to_wan_rejects_an_unknown_unit() -> None:
    with pytest.raises(KeyError):
        to_wan(Decimal(1), "美元")


@pytest.mark.parametrize(
    ("line", "unit"),
    [
        ("单位：万元", "万元"),
        ("金额单位:元", "元"),
        ("单位： 千元", "千元"),
        ("来源于:基本支出 单位:万元", "万元"),
        ("市人力资源和社会保障局", None),
    ],
)
def test_detect_unit(line: str, unit: str | None) -> None:
    assert detect_unit(line) == unit


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("高新区人社局", "高新区人力资源和社会保障局"),
        ("南充市人社局", "南充市人力资源和社会保障局"),
        ("某县卫健委", "某县卫生健康委员会"),
        ("某市发改委", "某市发展和改革委员会"),
        ("某区住建局", "某区住房和城乡建设局"),
        ("某县教育局", "某县教育局"),
        ("南充市人力资源和社会保障局", "南充市人力资源和社会保障局"),
    ],
)
def test_expand_department(short: str, full: str) -> None:
    assert expand_department(short) == full


def test_clean_name_keeps_full_width_brackets_and_drops_spaces() -> None:
    assert clean_name("维修（护） 费") == "维修（护）费"
    assert clean_name("其他人力资源和社会保障管理 事务支出") == "其他人力资源和社会保障管理事务支出"


def test_fiscal_year_votes_prefer_the_title_year() -> None:
    votes = fiscal_year_votes(
        [("2021年部门预算", 5), ("比2020年预算减少", 1), ("2021年度预算安排", 1)]
    )
    assert votes.most_common(1)[0][0] == 2021


def test_fiscal_year_ignores_dates_without_budget_words() -> None:
    assert not fiscal_year_votes([("报送日期：2020年7月25日", 5)])


@pytest.mark.parametrize(
    ("titles", "kind"),
    [
        (["2020年部门预算"], "budget"),
        (["2020年度部门决算", "一般公共预算财政拨款支出决算表"], "final"),
        (["一般公共预算“三公”经费支出表"], None),
    ],
)
def test_detect_kind_from_titles(titles: list[str], kind: str | None) -> None:
    assert detect_kind(titles) == kind


def test_detect_kind_falls_back_to_running_text() -> None:
    body = ["本年支出决算数为100万元", "决算数大于预算数", "完成预算100%"]
    assert detect_kind([], body) == "final"
