"""Expenditure tables that list codes again for each subordinate unit."""

from __future__ import annotations

from pathlib import Path

from disclosures.parsing import parse

DATA = Path(__file__).resolve().parent / "data"

DEPARTMENT_THEN_UNITS = """# 某某市财政局2022年度部门决算

支出决算表

金额单位：万元

科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出
\t合计\t100.00\t60.00\t40.00
201\t一般公共服务支出\t100.00\t60.00\t40.00
2010601\t行政运行\t50.00\t50.00\t
2010650\t事业运行\t20.00\t10.00\t10.00
2010699\t其他财政事务支出\t30.00\t\t30.00
\t某某市财政局（本级）\t80.00\t50.00\t30.00
201\t一般公共服务支出\t80.00\t50.00\t30.00
2010601\t行政运行\t50.00\t50.00\t
2010699\t其他财政事务支出\t30.00\t\t30.00
"""


def test_blocks_per_unit_without_a_department_block_are_summed_exactly():
    path = DATA / "final_account_unit_blocks.txt"
    d = parse(path.read_bytes(), path.name).to_dict()
    items = {
        i["code"]: (i["total"], i["basic"], i["project"]) for i in d["functional"]["department"]
    }
    assert items == {
        "201": (100.0, 60.0, 40.0),
        "2010601": (50.0, 50.0, None),
        "2010650": (20.0, 10.0, 10.0),
        "2010699": (30.0, None, 30.0),
    }
    assert d["provenance"]["functional.department[0]"]["derived"] is True
    assert any(c["rule"] == "summed_unit_blocks" for c in d["checks"])
    assert not any(c["rule"] == "functional_vs_total" for c in d["checks"])


def test_a_department_block_followed_by_unit_blocks_is_read_once():
    d = parse(DEPARTMENT_THEN_UNITS.encode(), "x.txt").to_dict()
    items = {i["code"]: i["total"] for i in d["functional"]["department"]}
    assert items == {"201": 100.0, "2010601": 50.0, "2010650": 20.0, "2010699": 30.0}
    assert not any(c["rule"] == "summed_unit_blocks" for c in d["checks"])
