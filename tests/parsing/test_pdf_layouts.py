"""The made-up layouts in tests/parsing/data, published as real PDFs (tests/parsing/made_up.py:
A4 pages, ruled tables split across pages, an embedded CJK font), parse exactly like their
text versions: every layout rule the extraction has is tested on the PDF path too.

The five sample dumps go through the same drawing and must still give every value of
disclosures/samples/expected — a second, independently laid-out PDF of each sample besides
the published one in fixtures/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from disclosures.parsing import parse
from disclosures.parsing.readers.pdf import PdfStats, read_pdf
from disclosures.parsing.types import Paragraph, Table

from . import made_up
from .made_up import as_pdf

DATA = Path(__file__).resolve().parent / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "disclosures" / "samples"
KEYS = (
    "department",
    "region",
    "fiscal_year",
    "kind",
    "totals",
    "three_public",
    "assets",
    "functional",
    "economic",
)
# Layouts that cannot be the same in a PDF, with the reason (xfail). None so far: a
# layout that is text by nature (a web page flattened to text) still reads the same,
# because its lines become the same paragraphs in a PDF.
NOT_PDF: dict[str, str] = {}


def _layouts() -> list:
    return [
        pytest.param(
            p,
            id=p.stem,
            marks=[pytest.mark.xfail(reason=NOT_PDF[p.stem], strict=True)]
            if p.stem in NOT_PDF
            else [],
        )
        for p in sorted(DATA.glob("*.txt"))
    ]


def _assert_parses_like_its_text(text: str, name: str) -> dict:
    pdf = parse(as_pdf(text), name + ".pdf").to_dict()
    plain = parse(text.encode(), name + ".txt").to_dict()
    assert pdf["source"]["format"] == "pdf"
    for key in KEYS:
        assert pdf[key] == plain[key], key
    # A check's message or path may name a PDF page; which rules fire, and how often,
    # may not differ.
    assert sorted(c["rule"] for c in pdf["checks"]) == sorted(c["rule"] for c in plain["checks"])
    return pdf


@pytest.mark.parametrize("path", _layouts())
def test_a_layout_as_a_pdf_parses_like_its_text(path: Path) -> None:
    _assert_parses_like_its_text(path.read_text("utf-8"), path.stem)


_DUTIES = (
    "本部门主要职责是贯彻执行国家和省、市有关农业农村工作的方针政策和法律法规，统筹研究和"
    "组织实施农业农村发展战略、中长期规划和重大政策，指导农村社会事业发展和农村精神文明建设。"
)
_TOTALS = (
    "本部门严格按照预算法和有关规定编制决算，收支情况如实反映了本部门的财务状况。"
    * 2
    + "2022年度收、支总计均为1,500.20万元，与2021年度相比，收、支总计各增加100.00万元，"
    "主要原因是人员增加。本年收入合计1,400.20万元，其中一般公共预算财政拨款收入1,300.00万元；"
    "本年支出合计1,400.20万元，其中基本支出900.20万元，项目支出500.00万元。"
)
_CUT_BY_A_PAGE = "\n\n".join(
    ["# 某某县农业农村局2022年度部门决算", "## 第一部分 部门概况"]
    + [_DUTIES] * 15
    + ["本年度无其他需要说明的事项。" * 2, "## 第二部分 收入支出决算总体情况说明", _TOTALS]
)


def test_a_total_cut_by_a_page_break_in_prose_reads_like_the_text() -> None:
    doc = read_pdf(as_pdf(_CUT_BY_A_PAGE))
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    # The layout this test is about: "本年收入合" ends page 1, "计1,400.20万元" opens page 2.
    cut = [i for i, b in enumerate(paragraphs) if b.text.endswith("本年收入合")]
    assert cut and paragraphs[cut[0]].page == 1
    assert [b.text for b in paragraphs if b.page == 2][0].startswith("计1,400.20万元")
    pdf = _assert_parses_like_its_text(_CUT_BY_A_PAGE, "cut_by_a_page")
    assert pdf["totals"]["income_total"] == 1400.2


def test_a_sentence_ending_at_the_margin_does_not_swallow_the_numbered_heading_after_it() -> None:
    # One line ending in a full stop, the widest on its page: the reader takes it as
    # running to the right margin, like a line a paragraph goes on after.
    sentence = "本部门收支预算按照预算法和本级财政部门的规定编制完成并向社会公开相关情况说明" + "。"
    doc = read_pdf(as_pdf(f"# 某某局2024年部门预算\n\n{sentence}\n\n## 二、支出预算情况\n\n正文。"))
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts[1:4] == [sentence, "二、支出预算情况", "正文。"]


def test_a_table_too_wide_for_portrait_goes_on_a_landscape_page_with_its_title() -> None:
    import pypdfium2 as pdfium

    header = ["单位名称"] + [f"第{k}项" for k in range(1, 22)]
    body = ["某某局"] + [f"{k},234.56" for k in range(1, 22)]
    text = "\n\n".join(
        ["# 某某局2023年部门预算", _DUTIES * 30, "宽表", "\t".join(header) + "\n" + "\t".join(body)]
        + ["表后说明。"]
    )
    data = as_pdf(text)
    doc = read_pdf(data)
    [table] = [b for b in doc.blocks if isinstance(b, Table)]
    assert table.rows == (tuple(header), tuple(body))
    texts = [b for b in doc.blocks if isinstance(b, Paragraph)]
    title, after = [b for b in texts if b.text in ("宽表", "表后说明。")]
    pdf = pdfium.PdfDocument(data)
    sizes = [pdf[i].get_size() for i in range(len(pdf))]
    pdf.close()
    assert title.page == table.page and after.page == table.page + 1
    assert [w > h for w, h in sizes] == [i + 1 == table.page for i in range(len(sizes))]


# ------------------------------------------------------------------------ samples


def _close(got: object, want: object) -> bool:
    if got is None or want is None:
        return got is want
    return abs(float(got) - float(want)) <= 0.005  # type: ignore[arg-type]


def _score(got: dict, want: dict) -> tuple[int, list[str]]:
    """How many of the expected values (metadata, each total, 三公 and asset figure,
    each field of each classification item) came out identical, and the misses."""
    misses: list[str] = []
    names = [want["department"], *want.get("department_aliases", [])]
    if got["department"] not in names:
        misses.append(f"department {got['department']!r}")
    for key in ("region", "fiscal_year", "kind"):
        if got[key] != want[key]:
            misses.append(f"{key} {got[key]!r} != {want[key]!r}")
    total = 4
    for group in ("totals", "three_public", "assets"):
        for key, value in want.get(group, {}).items():
            total += 1
            if not _close(got[group].get(key), value):
                misses.append(f"{group}.{key} {got[group].get(key)!r} != {value!r}")
    for group in ("functional", "economic"):
        for scope, items in want.get(group, {}).items():
            mine = {i["code"]: i for i in got[group].get(scope, []) if i["code"]}
            for item in items:
                have = mine.get(item["code"])
                for field in ("name", "total", "basic", "project"):
                    if field not in item:
                        continue
                    total += 1
                    value = None if have is None else have[field]
                    same = value == item[field] if field == "name" else _close(value, item[field])
                    if have is None or not same:
                        misses.append(f"{group}.{scope}.{item['code']}.{field} {value!r}")
    return total - len(misses), misses


# Values of expected/ each sample's PDF drawn by as_pdf gives identically, of all it
# states (measured; the text dumps give all of them too).
SAMPLE_SCORES = {
    "000_2abe3100919c2127": 214,
    "001_47407c9cebf157a2": 68,
    "002_d630a6d17a1a7dd6": 19,
    "003_80d4eeabc6cbe8f7": 19,
    "004_a0aa4bbb27e038c2": 379,
}


@pytest.mark.parametrize("sample", sorted(SAMPLE_SCORES))
def test_a_sample_drawn_as_a_pdf_gives_its_expected_values(sample: str) -> None:
    text = (SAMPLES / f"{sample}.txt").read_text("utf-8")
    want = json.loads((SAMPLES / "expected" / f"{sample}.json").read_text("utf-8"))
    got = parse(as_pdf(text), f"{sample}.pdf").to_dict()
    same, misses = _score(got, want)
    assert (same, misses) == (SAMPLE_SCORES[sample], [])


# ------------------------------------------------------------- the drawing itself

_LONG = "\n".join(
    ["# 某某区教育局2023年部门预算", "", "部门支出总表", ""]
    + ["科目编码\t科目名称\t合计\t基本支出\t项目支出"]
    + [f"2050{k:03d}\t第{k}项学校运行经费支出\t{k},000.50\t{k},000.50\t0.00" for k in range(1, 81)]
)


def test_a_long_table_goes_on_over_pages_without_repeating_its_header() -> None:
    stats = PdfStats()
    doc = read_pdf(as_pdf(_LONG), stats=stats)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len({t.page for t in tables}) >= 2 and doc.pages == len(tables)
    assert tables[1].rows[0][0] != "科目编码"  # the next page starts with a body row
    rows = [r for t in tables for r in t.rows]
    assert rows == [tuple(line.split("\t")) for line in _LONG.splitlines()[4:]]
    # Ruled grids, read from their rules: no table rebuilt from text positions.
    assert stats.ruled_tables == len(tables) and stats.stream_tables == 0
    assert not stats.slow_pages


def test_the_chinese_text_is_set_in_an_embedded_truetype_font() -> None:
    data = as_pdf(_LONG)
    assert b"/FontFile2" in data and b"/Type0" in data
    doc = read_pdf(data)
    assert doc.blocks[0] == Paragraph("某某区教育局2023年部门预算", index=0, page=1)


def test_a_missing_font_fails_with_the_package_to_install(monkeypatch) -> None:
    monkeypatch.setattr(made_up, "_FONT_FILES", (Path("/nonexistent/font.ttc"),))
    with pytest.raises(pytest.fail.Exception, match=f"apt-get install {made_up.FONT_PACKAGE}"):
        made_up.cjk_font()
