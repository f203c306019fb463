"""Classification dictionary: look-ups, name → code, parents, samples — no database."""

import json
from pathlib import Path

import pytest

from disclosures.parsing import classification
from disclosures.parsing.classification import (
    SOURCE,
    economic_name,
    functional_code_for_name,
    functional_name,
    is_known_functional,
    iter_economic,
    iter_functional,
    normalise_name,
)

EXPECTED = sorted(
    (Path(__file__).resolve().parents[2] / "disclosures" / "samples" / "expected").glob("*.json")
)


def _items(kind):
    for path in EXPECTED:
        data = json.loads(path.read_text("utf-8"))
        for items in data.get(kind, {}).values():
            for item in items:
                if item.get("code"):
                    yield item["code"], item["name"]


def test_samples_found():
    assert len(EXPECTED) == 5


@pytest.mark.parametrize(("code", "name"), sorted(set(_items("functional"))))
def test_sample_functional_codes(code, name):
    assert functional_name(code) == name
    assert is_known_functional(code)


@pytest.mark.parametrize(("code", "name"), sorted(set(_items("economic"))))
def test_sample_economic_codes(code, name):
    entry = classification._tables().economic[code]
    assert name in (entry.name, *entry.aliases)


def test_known_names():
    assert functional_name("208") == "社会保障和就业支出"
    assert functional_name("20801") == "人力资源和社会保障管理事务"
    assert functional_name("2080101") == "行政运行"
    assert functional_name(" 2080101 ") == "行政运行"
    assert functional_name("9999999") is None
    assert not is_known_functional("9999999")
    assert economic_name("301") == "工资福利支出"
    assert economic_name("30101") == "基本工资"
    assert economic_name("30108") == "机关事业单位基本养老保险缴费"
    assert economic_name("30299") == "其他商品和服务支出"
    assert economic_name("99999") is None


def test_name_to_code_unambiguous():
    assert functional_code_for_name("人力资源和社会保障管理事务") == "20801"
    assert functional_code_for_name("劳动保障监察") == "2080105"
    assert functional_code_for_name("机关事业单位基本养老保险缴费支出") == "2080505"


def test_name_to_code_ambiguous_without_parent():
    # 一般行政管理事务 exists under several 款; 其他教育支出 names both 20599 and 2059999.
    assert functional_code_for_name("一般行政管理事务") is None
    assert functional_code_for_name("其他教育支出") is None
    assert functional_code_for_name("其他社会保障和就业支出") is None
    assert functional_code_for_name("不存在的科目") is None


def test_name_to_code_within_parent():
    assert functional_code_for_name("行政运行", parent_code="20801") == "2080101"
    assert functional_code_for_name("一般行政管理事务", parent_code="212") == "2120102"
    assert functional_code_for_name("一般行政管理事务", parent_code="20129") == "2012902"
    assert functional_code_for_name("行政运行", parent_code="210") is None
    assert functional_code_for_name("其他教育支出", parent_code="20599") == "2059999"
    assert functional_code_for_name("其他教育支出", parent_code="205") is None


def test_name_normalisation():
    assert normalise_name("维修(护)费") == normalise_name("维修（护）费")
    assert normalise_name(" 行政 运行 ") == "行政运行"
    assert functional_code_for_name(" 人力资源和社会保障 管理事务 ") == "20801"


def test_levels_and_parents():
    functional = list(iter_functional())
    codes = {code for code, *_ in functional}
    assert {level for _c, _n, level, _p in functional} == {"类", "款", "项"}
    for code, name, level, parent in functional:
        assert name
        assert {3: "类", 5: "款", 7: "项"}[len(code)] == level
        if parent is not None:
            assert parent == code[:-2]
    # every 款 and 项 in this partial dictionary has its 类
    assert all(code[:3] in codes for code in codes)
    economic = list(iter_economic())
    assert all(len(code) in (3, 5) for code, *_ in economic)
    assert {"301", "302"} <= {code for code, *_ in economic}


DATA = Path(classification.__file__).with_name("data") / "classification.tsv"


def _rows():
    for line in DATA.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


def test_coverage_is_partial_and_says_so():
    assert "PARTIAL" in SOURCE
    functional = list(iter_functional())
    levels = [level for _c, _n, level, _p in functional]
    # counts checked against the rows copied from the sources named in the data file
    assert (levels.count("类"), levels.count("款"), levels.count("项")) == (19, 15, 44)
    economic = [code for code, *_ in iter_economic()]
    assert len(economic) == 72
    assert [c for c in economic if c.startswith("5")] == ["501", "50101", "50502"]


def test_every_row_names_its_source():
    rows = list(_rows())
    assert len(rows) == 150
    for kind, code, name, _aliases, sources in rows:
        assert kind in ("functional", "economic")
        assert code.isdigit() and len(code) in (3, 5, 7)
        assert name
        assert all(s.startswith(("samples/", "gh:", "gh-id:")) for s in sources.split("|"))


def test_parents():
    codes = {code for code, *_ in iter_functional()}
    # every 款 and 项 has its 类
    assert all(code[:3] in codes for code in codes)
    # the 项 whose 款 was not found in any source (documented in the data file's header)
    orphans = sorted(c for c in codes if len(c) == 7 and c[:5] not in codes)
    assert orphans == ["2010101", "2010507", "2019999", "2050803", "2080801"]
    economic = {code for code, *_ in iter_economic()}
    # 309xx/310xx 款 come from a table that lists no 类 rows; 50502 was found without 505
    assert sorted({c[:3] for c in economic if len(c) == 5} - economic) == ["309", "310", "505"]


def test_fragment_codes():
    assert functional_name("202") == "外交支出"
    assert functional_name("220") == "自然资源海洋气象等支出"
    assert functional_name("215") == "资源勘探信息等支出"
    assert functional_code_for_name("资源勘探工业信息等支出") == "215"
    assert functional_name("2010507") == "专项普查活动"
    assert functional_name("2019999") == "其他一般公共服务支出"
    assert functional_code_for_name("行政运行", parent_code="201") == "2010101"
    assert functional_name("203") is None  # 国防支出: not in any source found
    assert economic_name("501") == "机关工资福利支出"
    assert economic_name("50101") == "工资奖金津补贴"
    assert economic_name("50502") == "商品和服务支出"


def test_the_data_is_loaded_once_and_cached():
    # Load time is measured by the benchmark, not asserted here (shared, noisy machines).
    first = classification._tables()
    assert classification._tables() is first
