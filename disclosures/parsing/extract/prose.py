"""Figures stated in sentences: "基本支出 1043.32 万元", "“三公”经费预算安排4.4万元".

A label is followed by a short gap and an amount with its unit. The gap may only hold
words that introduce a figure (支出/预算/安排/为/共计 …, a year) — anything else
("人员经费", "较上年减少", "占", a comma) means the number belongs to something else.
Unitless numbers are accepted only for an explicit zero ("费用为 0").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..normalize import parse_amount, to_wan

__all__ = ["AMOUNT", "Match", "find_after", "gap_ok"]

AMOUNT = r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|千元|亿元|元|万(?![\u4e00-\u9fff]))"
_ZERO = r"(?P<zero>0(?:\.0+)?)(?![\d.]|\s*[万千亿元%])"
_YEAR = re.compile(r"20\d{2}\s*年(?:度)?")
# Characters allowed between a label and its amount.
_GAP_CHARS = set(
    "支出预算决算安排数为是共计合计总额金额总计：: 年度初全本部门单位我局的资金财政拨款当收入用费。均各"
)
_GAP_REJECT = re.compile(r"增加|减少|增长|下降|较|比|持平|占|其中|同比|上年|去年")


_STRICT_GAP_CHARS = set("为是：: ")


def gap_ok(gap: str, allow_period: bool = True, strict: bool = False) -> bool:
    """Whether the text between a label and an amount only introduces the amount.

    ``strict`` allows only "为", "是", a colon and a year: for labels that are
    themselves the start of longer labels ("一般公共预算拨款" … "支出")."""
    g = _YEAR.sub("", gap)
    if strict:
        return all(ch in _STRICT_GAP_CHARS for ch in g)
    if _GAP_REJECT.search(g):
        return False
    if "。" in g:
        # "公务接待费。安排3万元" is fine; a full sentence in between is not.
        if not allow_period or len(g.split("。", 1)[1]) > 3:
            return False
    return all(ch in _GAP_CHARS for ch in g)


@dataclass(frozen=True, slots=True)
class Match:
    value: Decimal  # 万元
    start: int  # label start
    end: int  # amount end
    label: str


_ACTUAL_AFTER = re.compile(r"\s*[，,]\s*(?:支出)?决算(?:数)?\s*(?:为|是)?\s*" + AMOUNT)


def find_after(
    label: str,
    text: str,
    max_gap: int = 16,
    zero_ok: bool = True,
    allow_period: bool = True,
    strict: bool = False,
) -> Iterator[Match]:
    """Yield every ``label … amount`` in ``text`` whose gap passes :func:`gap_ok`."""
    pattern = re.compile(
        rf"(?P<label>{label})(?P<gap>[^，,；;！？\n]{{0,{max_gap}}}?)(?:{AMOUNT}|为\s*{_ZERO})"
    )
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if not m:
            return
        pos = m.start() + 1
        if not gap_ok(m.group("gap"), allow_period, strict):
            continue
        if m.group("zero") is not None:
            if not zero_ok:
                continue
            value: Decimal | None = Decimal(0)
        else:
            unit = m.group("unit")
            unit = "万元" if unit == "万" else unit
            value = to_wan(parse_amount(m.group("num")), unit)
        if value is None:
            continue
        end = m.end()
        gap = m.group("gap")
        if "预算" in gap and "决算" not in gap:
            # "…支出预算为20万元，支出决算为12.50万元": a final account states what was spent.
            actual = _ACTUAL_AFTER.match(text, end)
            if actual:
                unit = "万元" if actual.group("unit") == "万" else actual.group("unit")
                spent = to_wan(parse_amount(actual.group("num")), unit)
                if spent is not None:
                    value, end = spent, actual.end()
        yield Match(value, m.start(), end, m.group("label"))
