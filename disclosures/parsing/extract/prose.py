"""Figures stated in sentences: "基本支出 1043.32 万元", "“三公”经费预算安排4.4万元".

A label is followed by a short gap and an amount with its unit. The gap may only hold
words that introduce a figure (支出/预算/安排/为/共计 …, a year, a remark in brackets
such as "（以合同签订为准）") — anything else ("人员经费", "较上年减少", "占", a comma)
means the number belongs to something else. Unitless numbers are accepted only for an
explicit zero ("费用为 0").

A number that a change word (增加, 减少, 增长, 下降, 比上年多/少, 增减 …) precedes in its
clause is a change, never a level: "人员经费比上年增加123.45万元" states no 人员经费, nor
does "比上年增加的主要是人员经费123.45万元" (:func:`is_change`).

:func:`prose_sections` prepares the paragraphs once for every prose reader: a sentence
cut by a page break is joined again (the page number between dropped), and characters
spread out with spaces ("机 关 运 行 经 费") are closed up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..normalize import compact, parse_amount, to_wan
from .tables import Section

__all__ = ["AMOUNT", "Match", "find_after", "gap_ok", "is_change", "prose_sections"]

AMOUNT = r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|千元|亿元|元|万(?![\u4e00-\u9fff]))"
_ZERO = r"(?P<zero>0(?:\.0+)?)(?![\d.]|\s*[万千亿元%])"
_YEAR = re.compile(r"20\d{2}\s*年(?:度)?")
# Characters allowed between a label and its amount.
_GAP_CHARS = set(
    "支出预算决算安排数为是共计合计总额金额总计：: 年度初全本部门单位我局的资金财政拨款当收入用费。均各"
)
_GAP_REJECT = re.compile(r"增加|减少|增长|下降|较|比|持平|占|其中|同比|上年|去年")
# A remark in brackets between a label and its amount: "金额（以合同签订为准）为".
_REMARK = re.compile(r"[（(][^（()）]{0,30}[）)]")
# Words that make the number after them a change from another year, not a level.
_CHANGE = re.compile(
    r"增加|减少|增长|下降|上升|降低|增减|增幅|减幅|压减|缩减|节约|节省|"
    r"(?:比|较|同比)[^，,；;。]{0,12}?(?:多|少)"
)
_CLAUSE_END = "，,；;。！？!?\n"


def is_change(text: str, pos: int) -> bool:
    """Whether the number at ``pos`` is a change: a change word precedes it in its clause
    ("…比上年增加123.45万元", "增加的主要是人员经费123.45万元")."""
    start = max(text.rfind(ch, 0, pos) for ch in _CLAUSE_END) + 1
    return bool(_CHANGE.search(text, start, pos))


_STRICT_GAP_CHARS = set("为是：: ")


def gap_ok(gap: str, allow_period: bool = True, strict: bool = False) -> bool:
    """Whether the text between a label and an amount only introduces the amount.

    ``strict`` allows only "为", "是", a colon and a year: for labels that are
    themselves the start of longer labels ("一般公共预算拨款" … "支出")."""
    g = _REMARK.sub("", _YEAR.sub("", gap))
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
    # Room for a bracketed remark on top of the gap itself ("（以合同签订为准）").
    pattern = re.compile(
        rf"(?P<label>{label})(?P<gap>[^，,；;！？\n]{{0,{max_gap + 32}}}?)"
        rf"(?:{AMOUNT}|为\s*{_ZERO})"
    )
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if not m:
            return
        pos = m.start() + 1
        gap = m.group("gap")
        if len(_REMARK.sub("", gap)) > max_gap or not gap_ok(gap, allow_period, strict):
            continue
        number_at = m.start("num") if m.group("num") is not None else m.start("zero")
        if is_change(text, number_at):
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
        if "预算" in gap and "决算" not in gap:
            # "…支出预算为20万元，支出决算为12.50万元": a final account states what was spent.
            actual = _ACTUAL_AFTER.match(text, end)
            if actual:
                unit = "万元" if actual.group("unit") == "万" else actual.group("unit")
                spent = to_wan(parse_amount(actual.group("num")), unit)
                if spent is not None:
                    value, end = spent, actual.end()
        yield Match(value, m.start(), end, m.group("label"))


# ------------------------------------------------------------------ paragraphs

# What a page break leaves between two halves of a sentence: the page number.
_PAGE_MARK = r"[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
_PAGE_ARTIFACT = re.compile(rf"^(?:{_PAGE_MARK}|\d{{1,4}}|\d{{1,4}}\s*/\s*\d{{1,4}})$")
# The same inside a paragraph a reader already joined ("…收入总计- 3 -1,234.56万元").
_PAGE_MARK_INSIDE = re.compile(
    r"(?<=[\u4e00-\u9fff\d])\s*(?:[-—–]\s+\d{1,4}\s+[-—–]|第\s*\d{1,4}\s*页"
    r"(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*(?=[\u4e00-\u9fff\d])"
)
_SPREAD = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000\xa0]+(?=[\u4e00-\u9fff])")
_SENTENCE_END = '。；;：:！？!?）)」』”"】]>'
_NEW_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．)](?!\d)|"
    r"第[一二三四五六七八九十]+|附件|附表|表[一二三四五六七八九十\d]|单位[:：]|注[:：])"
)


def _is_page_artifact(text: str) -> bool:
    return bool(_PAGE_ARTIFACT.match(compact(text))) if text.strip() else True


def _clean(text: str) -> str:
    return _SPREAD.sub("", _PAGE_MARK_INSIDE.sub("", text))


def prose_sections(sections: list[Section]) -> list[Section]:
    """The paragraphs as the prose readers need them.

    * Page numbers ("- 3 -", "第3页", "3") are neither paragraphs nor headings: dropped,
      also from inside a paragraph a reader already joined.
    * A paragraph that stops mid-sentence (20 characters or more, no closing
      punctuation, not a numbered heading) and the next one that does not start a new
      item are one sentence cut by a page break: joined, in the first one's place. A
      half taken for a heading (short, no amount) is not the heading of what follows.
    * Characters spread out with spaces ("机 关 运 行 经 费") are closed up.
    """
    out: list[Section] = []
    fake: set[str] = set()  # texts taken for headings that are page numbers or halves
    real_sub: dict[str, str] = {}  # top heading -> its last real sub-heading
    before: dict[str, str | None] = {}  # top heading -> the sub-heading before the last
    open_sentence = False
    for sec in sections:
        if _is_page_artifact(sec.text):
            fake.add(compact(sec.text))
            continue
        headings = sec.headings
        if len(headings) == 2 and (headings[1] in fake or _is_page_artifact(headings[1])):
            top = headings[0]
            headings = (top, real_sub[top]) if real_sub.get(top) else (top,)
        elif len(headings) == 2 and real_sub.get(headings[0]) != headings[1]:
            before[headings[0]] = real_sub.get(headings[0])
            real_sub[headings[0]] = headings[1]
        text = sec.text
        if open_sentence and out and not _NEW_ITEM.match(compact(text)):
            first = out[-1]
            first_headings = first.headings
            if len(first_headings) == 2 and first_headings[1] == compact(first.text):
                # The first half was taken for a heading: give back the one before.
                top = first_headings[0]
                fake.add(first_headings[1])
                real_sub[top] = before.get(top) or ""
                first_headings = (top, real_sub[top]) if real_sub[top] else (top,)
            if compact(text) in {h for h in sec.headings[1:]}:
                fake.add(compact(text))
            out[-1] = Section(first.text + text, first.block, first.page, first_headings)
        else:
            out.append(Section(text, sec.block, sec.page, headings))
        joined = _PAGE_MARK_INSIDE.sub("", out[-1].text).rstrip()
        open_sentence = (
            len(joined) >= 20
            and joined[-1] not in _SENTENCE_END
            and not (_NEW_ITEM.match(compact(joined)) and len(joined) <= 40)
        )
    return [Section(_clean(s.text), s.block, s.page, s.headings) for s in out]
