"""Normalisation helpers shared by the readers and the extractors.

* amounts: text cell → :class:`~decimal.Decimal` (thousands separators, full-width digits,
  ``<b>`` tags, stray spaces) and unit conversion to 万元;
* department names: common abbreviations expanded (人社局 → 人力资源和社会保障局);
* fiscal year and kind (预算/决算) detection from titles and running text.

Pure functions, no state, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

__all__ = [
    "UNIT_FACTORS",
    "clean_name",
    "clean_text",
    "compact",
    "detect_kind",
    "detect_unit",
    "expand_department",
    "fiscal_year_votes",
    "normalise_years",
    "parse_amount",
    "to_wan",
]

# Divide by this to get 万元.
UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(10000),
    "千元": Decimal(10),
    "万元": Decimal(1),
    "亿元": Decimal("0.0001"),
}

_TAG = re.compile(r"<[^>]{0,40}>")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$")
# Cells that mean "nothing here" rather than zero.
_NOT_APPLICABLE = {"", "-", "--", "—", "——", "－", "/", "\\", "…", "...", "*", "×", "x", "X"}


def clean_text(text: str) -> str:
    """NFKC (full-width → half-width), markup tags removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _TAG.sub("", text)
    text = text.replace("**", "")
    return _SPACE.sub(" ", text).strip()


def compact(text: str) -> str:
    """Like :func:`clean_text` but with every space removed: PDF and Word dumps put
    spaces inside Chinese words ("其他人力资源和社会保障管理 事务支出")."""
    return _SPACE.sub("", clean_text(text))


def clean_name(text: str) -> str:
    """An item name as printed: markup and spaces removed, full-width brackets kept
    ("维修（护）费" stays as the document writes it)."""
    return _SPACE.sub("", _TAG.sub("", text).replace("**", ""))


def parse_amount(text: str | None) -> Decimal | None:
    """A table cell or captured number as Decimal, or None when it is not a number.

    Handles ``11,540.71``, ``１２３．４``, ``<b>3,201.46</b>``, ``1 234.5``, ``(12.5)`` as
    negative, and a trailing unit word (``15万元``) — the unit is *not* applied here.
    Dashes and empty cells are None (not stated), never zero.
    """
    if text is None:
        return None
    s = unicodedata.normalize("NFKC", str(text))
    s = _TAG.sub("", s)
    s = s.replace("*", "")
    s = _SPACE.sub("", s)
    s = s.replace(",", "").replace("，", "")
    for unit in ("万元", "千元", "亿元", "元"):
        if s.endswith(unit):
            s = s[: -len(unit)]
            break
    if s in _NOT_APPLICABLE:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if not _NUMBER.match(s):
        return None
    try:
        value = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already guards
        return None
    return -value if negative else value


def to_wan(value: Decimal | None, unit: str | None) -> Decimal | None:
    """Convert an amount stated in ``unit`` (元/千元/万元/亿元) to 万元; None stays None.

    An unknown unit is treated as 万元 by the caller's decision, not here: this
    function raises KeyError so that a silent wrong scale cannot happen.
    """
    if value is None:
        return None
    factor = UNIT_FACTORS[unit or "万元"]
    result = value / factor
    # Keep the representation short (2961.68 rather than 2961.680000).
    return result.normalize() if result == result.to_integral() else result


_UNIT_RE = re.compile(r"(?:金额)?单位\s*[:：]?\s*(万元|千元|亿元|元)")


def detect_unit(text: str) -> str | None:
    """The money unit a line states ("单位：万元", "金额单位:元"), or None."""
    m = _UNIT_RE.search(unicodedata.normalize("NFKC", text).replace(" ", ""))
    return m.group(1) if m else None


# Common abbreviations of department names, longest first when applied. Only
# whole-suffix replacements: "高新区人社局" → "高新区人力资源和社会保障局".
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("人社局", "人力资源和社会保障局"),
    ("人力社保局", "人力资源和社会保障局"),
    ("人社厅", "人力资源和社会保障厅"),
    ("卫健委", "卫生健康委员会"),
    ("卫健局", "卫生健康局"),
    ("发改委", "发展和改革委员会"),
    ("发改局", "发展和改革局"),
    ("住建局", "住房和城乡建设局"),
    ("住建委", "住房和城乡建设委员会"),
    ("教体局", "教育和体育局"),
    ("文旅局", "文化和旅游局"),
    ("文广旅局", "文化广电和旅游局"),
    ("市监局", "市场监督管理局"),
    ("市场监管局", "市场监督管理局"),
    ("医保局", "医疗保障局"),
    ("退役军人局", "退役军人事务局"),
    ("应急局", "应急管理局"),
    ("交通局", "交通运输局"),
    ("规资局", "规划和自然资源局"),
    ("民宗局", "民族宗教事务局"),
    ("人防办", "人民防空办公室"),
    ("国资委", "国有资产监督管理委员会"),
    ("经信局", "经济和信息化局"),
    ("科技局", "科学技术局"),
)


def expand_department(name: str) -> str:
    """Expand a common abbreviation at the end of a department name.

    >>> expand_department("高新区人社局")
    '高新区人力资源和社会保障局'
    """
    name = compact(name)
    for short, full in _ABBREVIATIONS:
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name


# ---------------------------------------------------------------- year and kind

# "2020年部门预算", "2020 年度部门决算", "2019年度，预算收入", "2024年…预算表".
_YEAR_NEAR_KIND = re.compile(r"(20\d{2})\s*年(?:度)?[^。；\n\d]{0,14}?(预算|决算)")
# Terms that contain 预算 but say nothing about the kind of report.
_NEUTRAL_TERMS = re.compile(
    r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算|预算单位|预算绩效|预算法|"
    r"预算管理|预算公开|预算编制|完成预算|年初预算|调整预算|预算数|预算执行|基金预算"
)


# A year written with spaces between its digits ("2 0 2 3 年") or in Chinese numerals
# (二〇二三年, 二零二三年): the four digits right before 年.
_SPACED_YEAR = re.compile(r"(?<!\d)(2)\s*(0)\s*(\d)\s*(\d)(?=\s*年)")
_CHINESE_DIGITS = {
    "〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "o": "0",
    "一": "1", "二": "2", "两": "2", "三": "3", "四": "4",
    "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
}  # fmt: skip
_CHINESE_YEAR = re.compile(
    r"(?<![一二两三四五六七八九十百千万〇○零])([二两])([〇○零ＯOo])"
    r"([〇○零ＯOo一二三四五六七八九])([〇○零ＯOo一二三四五六七八九])(?=\s*年)"
)
# Spaces between Chinese characters: titles set letter-spaced ("部 门 预 算").
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def normalise_years(text: str) -> str:
    """The text NFKC-normalised (full-width digits become ASCII) with every year written
    as four digits: "2 0 2 3 年" and "二〇二三年" / "二O二三年" become "2023年"."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACED_YEAR.sub(lambda m: "".join(m.groups()), text)
    return _CHINESE_YEAR.sub(lambda m: "".join(_CHINESE_DIGITS[c] for c in m.groups()), text)


def fiscal_year_votes(lines: Iterable[tuple[str, int]]) -> Counter[int]:
    """Count years written next to 预算/决算, each line weighted (titles weigh more)."""
    votes: Counter[int] = Counter()
    for text, weight in lines:
        for m in _YEAR_NEAR_KIND.finditer(_CJK_SPACE.sub("", normalise_years(text))):
            year = int(m.group(1))
            if 2000 <= year <= 2100:
                votes[year] += weight
    return votes


_STRONG_BUDGET = re.compile(r"(?:部门|单位)预算")
_STRONG_FINAL = re.compile(r"(?:部门|单位)决算")


def kind_votes(text: str) -> tuple[int, int]:
    """(预算 votes, 决算 votes) for one line, ignoring terms like 一般公共预算."""
    text = _CJK_SPACE.sub("", unicodedata.normalize("NFKC", text))
    # "部门预算" / "单位决算" name the kind outright, even in "部门预算公开".
    budget = len(_STRONG_BUDGET.findall(text))
    final = len(_STRONG_FINAL.findall(text))
    stripped = _NEUTRAL_TERMS.sub("", _STRONG_BUDGET.sub("", _STRONG_FINAL.sub("", text)))
    return budget + stripped.count("预算"), final + stripped.count("决算")


def detect_kind(titles: Iterable[str], body: Iterable[str] = ()) -> str | None:
    """ "budget" for 预算, "final" for 决算, from titles first, then running text.

    A final account talks about the budget it executed ("完成预算"), so 决算 wins
    whenever a title names it; in running text 决算 must clearly dominate.
    """
    budget = final = 0
    for t in titles:
        b, f = kind_votes(t)
        budget += b
        final += f
    if final and final >= budget / 3:
        return "final"
    if budget:
        return "budget"
    budget = final = 0
    for t in body:
        b, f = kind_votes(t)
        budget += b
        final += f
    if final > budget:
        return "final"
    if budget > final:
        return "budget"
    return None
