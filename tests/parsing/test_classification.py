"""Classification dictionary: look-ups by edition year, name → code, parents, samples, the
copy of ../shared/classification — no database."""

import json
from pathlib import Path

import pytest

from disclosures.parsing import classification, parse
from disclosures.parsing.classification import (
    HISTORICAL_EDITIONS,
    MODERN_FROM,
    SOURCE,
    economic_name,
    edition,
    edition_rank,
    edition_years,
    editions,
    functional_code_for_name,
    functional_name,
    is_known_functional,
    iter_economic,
    iter_editions,
    iter_functional,
    normalise_name,
)

from .._shared import SHARED, differences, requires_shared

SAMPLES = Path(__file__).resolve().parents[2] / "disclosures" / "samples"
EXPECTED = sorted((SAMPLES / "expected").glob("*.json"))
DATA = Path(classification.__file__).with_name("data") / "classification"
LAYOUTS = Path(__file__).resolve().parent / "data"


def _items(kind):
    for path in EXPECTED:
        data = json.loads(path.read_text("utf-8"))
        for items in data.get(kind, {}).values():
            for item in items:
                if item.get("code"):
                    yield item["code"], item["name"], data["fiscal_year"]


def test_samples_found():
    assert len(EXPECTED) == 5


# ----------------------------------------------------------------- the repository's copy


@requires_shared
def test_the_dictionary_is_identical_to_the_shared_one():
    """data/classification is ../shared/classification byte for byte (README included);
    re-sync with: cp ../shared/classification/* disclosures/parsing/data/classification/"""
    assert differences(DATA, SHARED / "classification") == []


def test_every_data_file_states_its_sources_in_its_header():
    for name in classification.FILES:
        head = [line for line in (DATA / name).read_text("utf-8").splitlines()[:40]]
        header = "\n".join(line for line in head if line.startswith("#"))
        assert "NOT" in header or "yonyou-df" in header, name
        assert "js-rd-YYYY" in header and "yonyou-df" in header and "sh-czj-2024" in header


# ------------------------------------------------------------------------- the samples


@pytest.mark.parametrize(("code", "name", "year"), sorted(set(_items("functional"))))
def test_sample_functional_codes(code, name, year):
    """Each sample's codes have the name the sample printed, in the sample's year."""
    assert functional_name(code, year) == name
    assert is_known_functional(code)


@pytest.mark.parametrize(("code", "name", "year"), sorted(set(_items("economic"))))
def test_sample_economic_codes(code, name, year):
    entry = classification._tables().economic[code]
    assert name in (entry.name, *entry.aliases)
    # the year's edition prints that name or has it as a variant printed the same year
    year_row = min(editions(code, "economic"), key=lambda r: edition_rank(r.edition, year))
    assert name in year_row.names
    assert economic_name(code, year) == year_row.name


# ---------------------------------------------------------------------- plain look-ups


def test_known_names():
    assert functional_name("208") == "社会保障和就业支出"
    assert functional_name("20801") == "人力资源和社会保障管理事务"
    assert functional_name("2080101") == "行政运行"
    assert functional_name(" 2080101 ") == "行政运行"
    assert functional_name("2080109") == "社会保险经办机构"
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
    # with 1,592 codes the generic names repeat under many 款: never resolved without one
    for generic in ("行政运行", "事业运行", "机关服务", "一般行政管理事务"):
        for year in (None, 2010, 2020, 2024):
            assert functional_code_for_name(generic, year=year) is None, (generic, year)
    assert sum(name == "行政运行" for _c, name, _l, _p in iter_functional()) == 78


def test_name_to_code_within_parent():
    assert functional_code_for_name("行政运行", parent_code="20801") == "2080101"
    assert functional_code_for_name("一般行政管理事务", parent_code="212") == "2120102"
    assert functional_code_for_name("一般行政管理事务", parent_code="20129") == "2012902"
    assert functional_code_for_name("行政运行", parent_code="210") is None
    assert functional_code_for_name("其他教育支出", parent_code="20599") == "2059999"
    assert functional_code_for_name("其他教育支出", parent_code="205") is None
    # the parent itself is never its own answer
    assert functional_code_for_name("人力资源和社会保障管理事务", parent_code="20801") is None


def test_name_normalisation():
    assert normalise_name("维修(护)费") == normalise_name("维修（护）费")
    assert normalise_name(" 行政 运行 ") == "行政运行"
    assert functional_code_for_name(" 人力资源和社会保障 管理事务 ") == "20801"


# ------------------------------------------------------------------- contents and sources


def _rows(name):
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


def test_coverage_is_partial_and_says_so():
    assert "PARTIAL" in SOURCE
    functional = list(iter_functional())
    levels = [level for _c, _n, level, _p in functional]
    # counts as stated in data/classification/README.md
    assert (levels.count("类"), levels.count("款"), levels.count("项")) == (26, 221, 1345)
    economic = [code for code, *_ in iter_economic()]
    assert len(economic) == 147
    assert [c for c in economic if c.startswith("5")] == [
        "501",
        "50101",
        "50102",
        "50103",
        "50199",
        "502",
        "50201",
        "50202",
        "50203",
        "50204",
        "50502",
    ]


def test_every_row_names_its_source():
    prefixes = ("samples/", "gh:", "gh-id:", "js-", "sh-", "yonyou-df", "web:")
    rows = [*_rows("functional.tsv"), *_rows("economic.tsv")]
    assert len(rows) == 1592 + 147
    for kind, code, name, _aliases, sources in rows:
        assert kind in ("functional", "economic")
        assert code.isdigit() and len(code) in ((3, 5, 7) if kind == "functional" else (3, 5))
        assert name
        assert sources and all(s.startswith(prefixes) for s in sources.split("|"))
    by_edition = list(_rows("by_edition.tsv"))
    assert len(by_edition) == 2251
    for _kind, year, _code, name, _variants, sources in by_edition:
        assert year == "undated" or year.isdigit()
        assert name and sources and all(s.startswith(prefixes) for s in sources.split("|"))
    # one dictionary: every code has edition rows, every edition row a code
    assert {(r[0], r[1]) for r in rows} == {(r[0], r[2]) for r in by_edition}
    assert sum(1 for _ in iter_editions()) == 2251


def test_codes_per_edition_as_the_readme_counts_them():
    def per_edition(kind):
        counts = {}
        for row in iter_editions():
            if row.kind == kind:
                counts[row.edition] = counts.get(row.edition, 0) + 1
        return counts

    assert per_edition("functional") == {
        2008: 1541,
        2017: 42,
        2018: 41,
        2019: 43,
        2020: 37,
        2024: 67,
        2026: 38,
        None: 21,
    }
    assert per_edition("economic") == {
        2008: 118,
        2017: 37,
        2018: 43,
        2019: 33,
        2020: 46,
        2023: 6,
        2024: 65,
        2026: 4,
        None: 69,
    }
    assert edition_years() == (2008, 2017, 2018, 2019, 2020, 2023, 2024, 2026)
    only_old = {
        kind: sum(
            1
            for code, *_ in (iter_functional() if kind == "functional" else iter_economic())
            if all(r.historical for r in editions(code, kind))
        )
        for kind in ("functional", "economic")
    }
    assert only_old == {"functional": 1444, "economic": 44}


def test_the_modern_editions_start_after_the_historical_one():
    assert HISTORICAL_EDITIONS == {2008}
    assert MODERN_FROM == min(y for y in edition_years() if y not in HISTORICAL_EDITIONS)


def test_levels_and_parents():
    functional = list(iter_functional())
    codes = {code for code, *_ in functional}
    assert {level for _c, _n, level, _p in functional} == {"类", "款", "项"}
    for code, name, level, parent in functional:
        assert name
        assert {3: "类", 5: "款", 7: "项"}[len(code)] == level
        if parent is not None:
            assert parent == code[:-2]
    economic = list(iter_economic())
    assert all(len(code) in (3, 5) for code, *_ in economic)
    assert {"301", "302"} <= {code for code, *_ in economic}
    assert len(codes) == 1592


def test_parents():
    codes = {code for code, *_ in iter_functional()}
    # every 款 and 项 has its parent (README: validated on the final files)
    assert [c for c in codes if len(c) > 3 and c[:-2] not in codes] == []
    economic = {code for code, *_ in iter_economic()}
    # 50502 was found without 505 (README)
    assert sorted({c[:3] for c in economic if len(c) == 5} - economic) == ["505"]


def test_fragment_codes():
    assert functional_name("202") == "外交支出"
    assert functional_name("220") == "自然资源海洋气象等支出"
    # 215: two undated modern lists, the newer name kept, the other a variant
    assert functional_name("215") == "资源勘探工业信息等支出"
    assert functional_code_for_name("资源勘探工业信息等支出") == "215"
    assert functional_code_for_name("资源勘探信息等支出") == "215"
    assert functional_name("2010507") == "专项普查活动"
    assert functional_name("2019999") == "其他一般公共服务支出"
    assert functional_code_for_name("行政运行", parent_code="201") is None  # 20101…20199
    assert functional_code_for_name("行政运行", parent_code="20101") == "2010101"
    assert economic_name("501") == "机关工资福利支出"
    assert economic_name("50101") == "工资奖金津补贴"
    assert economic_name("50502") == "商品和服务支出"


def test_the_data_is_loaded_once_and_cached():
    # Load time is measured by the benchmark, not asserted here (shared, noisy machines).
    first = classification._tables()
    assert classification._tables() is first


# --------------------------------------------------------------------- names by edition


def test_edition_rank_prefers_the_nearest_edition_at_or_before_the_year():
    def order(year, eds=(2008, 2017, 2019, 2020, 2024, None)):
        return sorted(eds, key=lambda e: (edition_rank(e, year), e or 0))

    assert order(2019) == [2019, 2017, 2020, 2024, None, 2008]
    assert order(2022) == [2020, 2019, 2017, 2024, None, 2008]
    assert order(2030) == [2024, 2020, 2019, 2017, None, 2008]
    assert order(None) == [2024, 2020, 2019, 2017, None, 2008]
    # before the modern editions the historical one is the year's edition
    assert order(2012) == [2008, 2017, 2019, 2020, 2024, None]
    assert order(2005) == [2008, 2017, 2019, 2020, 2024, None]
    # a row the caller marks historical is last for a modern year, whatever its year
    assert edition_rank(2019, 2020, historical=True) > edition_rank(None, 2020)
    assert edition_rank(2019, 2020, historical=False) == (0, 1)


def test_a_renamed_code_is_named_by_the_year():
    # 20805 行政事业单位离退休 (2008, 2017-2019) → 行政事业单位养老支出 (2020+)
    by_year = {y: functional_name("20805", y) for y in (2005, 2010, 2017, 2019, 2020, 2024)}
    assert by_year == {
        2005: "行政事业单位离退休",
        2010: "行政事业单位离退休",
        2017: "行政事业单位离退休",
        2019: "行政事业单位离退休",
        2020: "行政事业单位养老支出",
        2024: "行政事业单位养老支出",
    }
    # a year after the newest edition uses the newest; no year: the newest
    assert functional_name("20805", 2031) == functional_name("20805") == "行政事业单位养老支出"
    assert functional_name("2080108", 2010) == "金保工程"
    assert functional_name("2080108", 2020) == "信息化建设"
    assert functional_name("208", 2010) == "社会保障和就业"  # 2008: 类 names without 支出
    assert functional_name("208", 2018) == "社会保障和就业支出"
    assert economic_name("30217", 2010) == "招待费"
    assert economic_name("30217", 2017) == economic_name("30217") == "公务接待费"
    assert economic_name("30311", 2017) == "住房公积金"
    assert economic_name("30311", 2024) == "代缴社会保险费"
    assert economic_name("310", 2019) == "其他资本性支出"
    assert economic_name("310", 2024) == "资本性支出"


def test_a_historical_name_is_never_the_name_against_a_modern_one():
    # 216 was re-purposed, 21007 changed meaning: modern documents get the modern name
    assert functional_name("216", 2010) == "粮油物资储备及金融监管等事务"
    assert functional_name("216", 2017) == functional_name("216") == "商业服务业等支出"
    assert functional_name("21007", 2010) == "妇幼保健"
    assert functional_name("21007", 2024) == "计划生育事务"
    # 30104: the historical name is not used for 2017+, though an undated list has it too
    assert economic_name("30104", 2024) == "其他社会保障缴费"
    for row in iter_editions():
        if row.historical:
            continue
        # wherever a modern edition has a code, no modern year shows a historical name
        for year in (MODERN_FROM, 2020, 2026, None):
            name = (functional_name if row.kind == "functional" else economic_name)(row.code, year)
            best = min(editions(row.code, row.kind), key=lambda r: edition_rank(r.edition, year))
            assert not best.historical and name == best.name


def test_a_code_only_the_historical_edition_has_is_still_named_when_printed():
    # 2080104 综合业务管理 is known only from the 2008-era data: a document that prints the
    # code gets that name, whatever its year, and the code is "in the dictionary"
    assert [r.edition for r in editions("2080104")] == [2008]
    assert functional_name("2080104", 2024) == "综合业务管理"
    assert is_known_functional("2080104")
    assert functional_name("203", 2024) == "国防"  # no modern source prints 203


def test_a_code_only_later_editions_have_is_named_for_an_earlier_year():
    # 2080112 劳动人事争议调解仲裁: printed by a 2020 sample only
    assert [r.edition for r in editions("2080112")] == [2020]
    assert functional_name("2080112", 2010) == "劳动人事争议调解仲裁"


def test_the_edition_in_effect_applies_to_lookups_without_a_year():
    assert functional_name("20805") == "行政事业单位养老支出"
    with edition(2019):
        assert functional_name("20805") == "行政事业单位离退休"
        assert functional_name("20805", 2024) == "行政事业单位养老支出"  # explicit wins
        with edition(2010):
            assert functional_name("2080108") == "金保工程"
        assert functional_name("2080108") == "信息化建设"
        assert dict((c, n) for c, n, _l, _p in iter_functional())["20805"] == "行政事业单位离退休"
    assert functional_name("20805") == "行政事业单位养老支出"
    with pytest.raises(RuntimeError), edition(2010):
        raise RuntimeError
    assert functional_name("2080108") == "信息化建设"  # restored after an exception


def test_iterating_a_modern_year_lists_the_codes_a_name_may_map_to():
    everything = {c: n for c, n, _l, _p in iter_functional()}
    assert len(everything) == 1592 and everything["2080104"] == "综合业务管理"
    old = {c: n for c, n, _l, _p in iter_functional(2010)}
    assert len(old) == 1592 and old["20805"] == "行政事业单位离退休"
    modern = {c: n for c, n, _l, _p in iter_functional(2020)}
    assert modern["20805"] == "行政事业单位养老支出"
    verified = {c for c in modern if not editions(c)[-1].historical}
    assert len(verified) == 1592 - 1444
    # a code known only from the 2008 data is listed only where a modern code has its name
    # (行政运行, 机关服务 …: the name stays ambiguous), never alone (综合业务管理)
    modern_names = {modern[c] for c in verified}
    assert all(modern[c] in modern_names for c in set(modern) - verified)
    assert "2080104" not in modern and modern["2040203"] == "机关服务"
    assert len(modern) == 414
    assert len(list(iter_functional(2020, historical=True))) == 1592
    assert len(list(iter_economic(2024))) == 147 - 44


# ------------------------------------------------------------------ name → code by year


def test_a_former_modern_name_maps_to_its_code():
    # the year's own name first; a name a modern edition gave in another year also counts
    for year in (2017, 2019, 2020, 2024, None):
        assert functional_code_for_name("行政事业单位离退休", "208", year) == "20805"
        assert functional_code_for_name("行政事业单位养老支出", "208", year) == "20805"
    assert functional_code_for_name("行政事业单位离退休", "208", 2010) == "20805"


def test_a_historical_name_maps_only_where_no_modern_edition_disagrees():
    # re-purposed 216 and 21007: their 2008 names map for 2008-era documents only
    assert functional_code_for_name("粮油物资储备及金融监管等事务", year=2010) == "216"
    assert functional_code_for_name("妇幼保健", "210", 2010) == "21007"
    for year in (2017, 2020, 2024, None):
        for historical in (False, True):
            assert (
                functional_code_for_name(
                    "粮油物资储备及金融监管等事务", None, year, historical=historical
                )
                is None
            )
            assert functional_code_for_name("妇幼保健", "210", year, historical=historical) is None
            assert (
                functional_code_for_name("金保工程", "20801", year, historical=historical) is None
            )
    assert functional_code_for_name("金保工程", "20801", 2010) == "2080108"


def test_a_code_only_the_historical_edition_has_maps_within_its_parent_when_asked():
    # 2080104 综合业务管理 (2008 data only): a 2008-era document's name maps to it
    assert functional_code_for_name("综合业务管理", "20801", 2010) == "2080104"
    assert functional_code_for_name("综合业务管理", year=2010) == "2080104"  # unique in 2008
    # a modern document: unverified, so by default the name stays code-less …
    assert classification.HISTORICAL_NAMES_FOR_MODERN_YEARS is False
    assert functional_code_for_name("综合业务管理", "20801", 2020) is None
    # … with the rule switched on it maps, but only under the known parent
    assert functional_code_for_name("综合业务管理", "20801", 2020, historical=True) == "2080104"
    assert functional_code_for_name("综合业务管理", "208", 2020, historical=True) == "2080104"
    assert functional_code_for_name("综合业务管理", None, 2020, historical=True) is None
    assert functional_code_for_name("行政运行", "20103", 2024, historical=True) == "2010301"
    assert functional_code_for_name("行政运行", "20103", 2024) is None
    assert functional_code_for_name("行政运行", "20103", 2010) == "2010301"
    # an unverified code of the same name makes a modern match ambiguous: 机关服务 is
    # 2040503 in a modern edition, but the 2008 data has it under 20402, 20403 … too
    assert functional_code_for_name("机关服务", "20405", 2024) == "2040503"
    for year in (2020, 2024, None):
        for historical in (False, True):
            assert functional_code_for_name("机关服务", "204", year, historical=historical) is None
            assert functional_code_for_name("机关服务", None, year, historical=historical) is None
    # a historical-only 类 needs no parent (its parent is the root)
    assert functional_code_for_name("国防", None, 2024, historical=True) == "203"


MADE_UP = {
    "functional.tsv": "\n".join(
        [
            "# made up",
            "functional\t208\t社会保障和就业支出\t\tx@2020|y@2008",
            "functional\t20801\t人力资源和社会保障管理事务\t\tx@2020|y@2008",
            "functional\t2080101\t行政运行\t\tx@2020|y@2008",
            "functional\t2080106\t就业服务\t就业管理事务\tx@2020|y@2008",
            "functional\t2080107\t就业管理事务\t\ty@2008",
            "functional\t2080108\t老名称\t\ty@2008",
        ]
    ),
    "economic.tsv": "economic\t301\t工资福利支出\t\tx@2020",
    "by_edition.tsv": "\n".join(
        [
            "functional\t2020\t208\t社会保障和就业支出\t\tx",
            "functional\t2008\t208\t社会保障和就业\t\ty",
            "functional\t2020\t20801\t人力资源和社会保障管理事务\t\tx",
            "functional\t2008\t20801\t人力资源和社会保障管理事务\t\ty",
            "functional\t2020\t2080101\t行政运行\t\tx",
            "functional\t2008\t2080101\t行政运行\t\ty",
            "functional\t2020\t2080106\t就业服务\t\tx",
            "functional\t2008\t2080106\t就业管理事务\t\ty",
            "functional\t2008\t2080107\t就业管理事务\t\ty",
            "functional\t2008\t2080108\t老名称\t\ty",
            "economic\t2020\t301\t工资福利支出\t\tx",
        ]
    ),
}


def test_a_modern_name_under_the_parent_outranks_a_historical_only_code(monkeypatch):
    """Made up: 2008 moved 就业管理事务 from 2080107 to 2080106's slot; a modern edition
    calls 2080106 就业服务. The historical-only 2080107 never wins for a modern year where
    a modern edition disagrees; a unique historical-only name maps when asked."""
    made_up = classification.load(MADE_UP)
    monkeypatch.setattr(classification, "_tables", lambda: made_up)
    assert functional_code_for_name("就业服务", "20801", 2024) == "2080106"
    # 2008: two codes named 就业管理事务 → ambiguous
    assert functional_code_for_name("就业管理事务", "20801", 2010) is None
    # 2024: 2080106 had the name only in the historical edition, 2080107 only has that one
    assert functional_code_for_name("就业管理事务", "20801", 2024) is None
    assert functional_code_for_name("就业管理事务", "20801", 2024, historical=True) == "2080107"
    assert functional_code_for_name("老名称", "20801", 2024, historical=True) == "2080108"
    assert functional_code_for_name("老名称", "20801", 2024) is None
    assert functional_name("2080106", 2010) == "就业管理事务"
    assert functional_name("2080106", 2024) == "就业服务"


def test_a_code_without_an_edition_row_is_refused():
    broken = dict(MADE_UP, **{"by_edition.tsv": "economic\t2020\t301\t工资福利支出\t\tx"})
    with pytest.raises(ValueError, match="without an edition row"):
        classification.load(broken)


# ------------------------------------------------ the parser looks names up by the year


def _parse(name: str, year: str | None = None):
    text = (LAYOUTS / name).read_text("utf-8")
    if year:
        text = text.replace(text.split("年")[0][-4:], year)
    return parse(text.encode(), name).to_dict()


def test_narrative_items_are_coded_with_the_editions_of_the_documents_year():
    """final_account_2010_renamed_items.txt: a 2010 narrative naming 综合业务管理 (2080104,
    2008 data only), 金保工程 (2080108, 信息化建设 from the modern editions) and
    行政事业单位离退休（款） (20805, renamed 行政事业单位养老支出 in 2020)."""
    d = _parse("final_account_2010_renamed_items.txt")
    assert d["fiscal_year"] == 2010
    items = [(i["code"], i["name"], i["total"]) for i in d["functional"]["general_budget"]]
    assert items == [
        ("208", "社会保障和就业", 300.0),
        ("2080104", "综合业务管理", 100.0),
        ("2080108", "金保工程", 150.0),
        ("20805", "行政事业单位离退休", 50.0),
    ]
    assert not any(c["rule"] in ("code_missing", "code_not_in_dictionary") for c in d["checks"])


def test_the_same_narrative_in_a_modern_year_leaves_unverified_names_code_less():
    d = _parse("final_account_2010_renamed_items.txt", "2020")
    assert d["fiscal_year"] == 2020
    items = [(i["code"], i["name"], i["total"]) for i in d["functional"]["general_budget"]]
    assert items == [
        ("208", "社会保障和就业支出", 300.0),
        ("20805", "行政事业单位养老支出", 50.0),  # last year's name still maps; shown as 2020's
        (None, "综合业务管理", 100.0),
        (None, "金保工程", 150.0),
    ]
    missing = [c["message"] for c in d["checks"] if c["rule"] == "code_missing"]
    assert len(missing) == 2 and "综合业务管理" in missing[0] and "金保工程" in missing[1]


def test_table_rows_without_codes_are_coded_with_the_documents_editions():
    """budget_2024_codes_by_edition.txt: printed codes (one known only from the 2008 data,
    one in no edition) and two code-less rows under a printed 款."""
    d = _parse("budget_2024_codes_by_edition.txt")
    assert d["fiscal_year"] == 2024
    items = [(i["code"], i["name"], i["total"]) for i in d["functional"]["department"]]
    assert items == [
        ("208", "社会保障和就业支出", 500.0),
        ("20801", "人力资源和社会保障管理事务", 500.0),
        ("2080101", "行政运行", 300.0),
        ("2080104", "综合业务管理", 100.0),
        ("2080105", "劳动保障监察", 50.0),  # a modern edition has it under 20801
        ("2080177", "新设科目", 20.0),
        (None, "就业管理事务", 30.0),  # 2080106 in the 2008 data only: a person assigns it
    ]
    checks = {c["rule"]: c["message"] for c in d["checks"]}
    assert "就业管理事务" in checks["code_missing"]
    # a printed code the historical edition knows is in the dictionary; 2080177 is not
    assert checks["code_not_in_dictionary"].endswith("：2080177")
    old = _parse("budget_2024_codes_by_edition.txt", "2010")
    assert old["fiscal_year"] == 2010
    coded = {i["name"]: i["code"] for i in old["functional"]["department"]}
    assert coded["就业管理事务"] == "2080106"
    assert not any(c["rule"] == "code_missing" for c in old["checks"])


def test_sample_001s_narrative_items_without_a_modern_code_stay_code_less():
    """Sample 001 (2020) names 公务员事务 (组织事务 款: no 项 in any edition),
    综合业务管理 (2080104, 2008 data only: unverified for 2020) and 社会保障业务管理事务
    (no edition has that name; 2080107 is 社会保险业务管理事务): each code-less, with a
    check."""
    path = next(SAMPLES.glob("001_*.txt"))
    d = parse(path.read_bytes(), path.name).to_dict()
    uncoded = {i["name"]: i["total"] for i in d["functional"]["general_budget"] if not i["code"]}
    assert uncoded == {"公务员事务": 45.0, "综合业务管理": 12.0, "社会保障业务管理事务": 4.0}
    flagged = [c["message"] for c in d["checks"] if c["rule"] == "code_missing"]
    assert all(any(name in m for m in flagged) for name in uncoded)
    # what the dictionary says of them: only 综合业务管理 has a (historical) code
    assert functional_code_for_name("综合业务管理", "20801", 2020, historical=True) == "2080104"
    assert functional_code_for_name("社会保障业务管理事务", "20801", 2020, historical=True) is None
    assert functional_code_for_name("公务员事务", "20132", 2020, historical=True) is None
