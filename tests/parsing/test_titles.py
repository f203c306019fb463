"""Department, region, year and kind from title lines of other places and departments
(made up in the forms real reports use)."""

from __future__ import annotations

import pytest

from disclosures.parsing import parse

TABLE = "\n\n部门收支总表\n\n单位：万元\n\n项目\t预算数\t项目\t预算数\n本年收入合计\t10\t本年支出合计\t10\n"


@pytest.mark.parametrize(
    "title,department,region,year,kind",
    [
        (
            "2023年南京市鼓楼区财政局部门预算公开",
            "南京市鼓楼区财政局",
            ("江苏省", "南京市", "鼓楼区"),
            2023,
            "budget",
        ),
        (
            "北京市海淀区教育委员会2021年部门决算",
            "北京市海淀区教育委员会",
            ("北京市", "北京市", "海淀区"),
            2021,
            "final",
        ),
        (
            "中共成都市委组织部2024年部门预算",
            "中共成都市委组织部",
            ("四川省", "成都市", None),
            2024,
            "budget",
        ),
        ("成都市总工会2024年部门预算", "成都市总工会", ("四川省", "成都市", None), 2024, "budget"),
        (
            "广东省人民检察院2022年度部门决算",
            "广东省人民检察院",
            ("广东省", None, None),
            2022,
            "final",
        ),
        ("鼓楼区财政局2023年部门预算", "鼓楼区财政局", (None, None, None), 2023, "budget"),
    ],
)
def test_title_lines(title, department, region, year, kind):
    d = parse(f"# {title}{TABLE}".encode(), "x.txt").to_dict()
    assert d["department"] == department
    assert (d["region"]["province"], d["region"]["city"], d["region"]["county"]) == region
    assert (d["fiscal_year"], d["kind"]) == (year, kind)
    if region == (None, None, None):  # 鼓楼区 exists in several cities: never guess
        assert any(c["rule"] == "region_unknown" for c in d["checks"])
