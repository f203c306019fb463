"""Logical tables and prose sections built from a Document's blocks.

Readers return tables as the source shows them: a table split across pages arrives as
several :class:`Table` blocks, headers may span two or three rows, a title sits in the
paragraphs before the table (or in its first row). This module joins continuations,
finds each table's title, unit and header rows, and gives column labels; it also walks
the paragraphs and remembers the heading each one belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..normalize import compact, detect_unit, parse_amount, to_wan
from ..types import Document, Paragraph, Source, Table

__all__ = [
    "LogicalTable",
    "Row",
    "Section",
    "build_sections",
    "build_tables",
    "is_total_label",
]

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Paragraphs between two table blocks that do not stop the second from continuing
# the first: page numbers, "续表", a repeated unit line, "第 3 页".
_ARTIFACT = re.compile(
    r"^(?:\d{1,4}|-\s*\d+\s*-|第\s*\d+\s*页.*|续表.*|（?续）?|单位[:：].{0,12}|"
    r"金额单位[:：].{0,12})$"
)
_TOTAL_LABELS = {"合计", "总计", "小计", "合计数", "总合计"}


def is_total_label(text: str) -> bool:
    """合计/总计 rows are sums, not items ("合　计" and "总 计" included)."""
    return compact(text) in _TOTAL_LABELS


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    block: int
    row: int
    page: int | None

    def source(self, text: str | None = None) -> Source:
        shown = text if text is not None else " | ".join(c for c in self.cells if c)
        return Source(text=shown, page=self.page, block=self.block, row=self.row)


@dataclass(slots=True)
class LogicalTable:
    """One table as a reader of the document sees it, continuations joined."""

    title: str
    unit: str | None
    unit_stated: bool
    rows: list[Row]
    header_count: int = 0
    labels: list[str] = field(default_factory=list)

    @property
    def header(self) -> list[Row]:
        return self.rows[: self.header_count]

    @property
    def body(self) -> list[Row]:
        return self.rows[self.header_count :]

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)

    def amount(self, text: str) -> Decimal | None:
        """A cell as 万元 (the table's unit applied)."""
        return to_wan(parse_amount(text), self.unit or "万元")

    def column(self, *keywords: str, exclude: tuple[str, ...] = (), start: int = 0) -> int | None:
        """Index of the first column at or after ``start`` whose header label contains
        one of ``keywords`` and none of ``exclude``."""
        for j in range(start, len(self.labels)):
            label = self.labels[j]
            if any(k in label for k in keywords) and not any(x in label for x in exclude):
                return j
        return None


def _is_number_cell(text: str) -> bool:
    return parse_amount(text) is not None


def _header_count(rows: list[Row]) -> int:
    """Leading rows without any number are header rows (a title row, 类/款/项 …)."""
    count = 0
    for r in rows:
        if any(_is_number_cell(c) for c in r.cells):
            break
        count += 1
    return min(count, len(rows))


def _labels(header: list[Row], width: int) -> list[str]:
    labels = []
    for j in range(width):
        parts = [compact(r.cells[j]) for r in header if j < len(r.cells) and r.cells[j].strip()]
        labels.append(" ".join(p for p in parts if p))
    return labels


_HEADER_WORDS = {
    "项目",
    "科目编码",
    "科目名称",
    "科目代码",
    "合计",
    "总计",
    "类",
    "款",
    "项",
    "收入",
    "支出",
    "金额",
    "单位名称",
    "预算数",
    "决算数",
    "功能分类科目",
    "经济分类科目",
}


def _looks_like_header(row: tuple[str, ...]) -> bool:
    """A row of column names: no numbers and at least one typical header word."""
    if any(_is_number_cell(c) for c in row):
        return False
    cells = {compact(c) for c in row if c.strip()}
    return bool(cells & _HEADER_WORDS) or any("科目" in c or "预算数" in c for c in cells)


_CAPTION = re.compile(r"单位[:：]|部门[:：]|公开\d+表|^表[\d一二三四五六七八九十]")


def _is_caption_table(block: Table) -> bool:
    """A one- or two-line "table" that is really the caption above a table
    ("部门：某某局 | 金额单位：万元", "公开04表"): read as text, not as a table."""
    cells = [c for r in block.rows for c in r if c and c.strip()]
    return (
        len(block.rows) <= 2
        and bool(cells)
        and not any(_is_number_cell(c) for c in cells)
        and any(_CAPTION.search(compact(c)) for c in cells)
    )


def build_tables(document: Document, default_unit: str | None) -> list[LogicalTable]:
    """Join table blocks into logical tables with title, unit, header rows and labels."""
    blocks = document.blocks
    tables: list[LogicalTable] = []
    last_table_block = -10
    for block in blocks:
        if not isinstance(block, Table) or not block.rows or _is_caption_table(block):
            continue
        rows = [
            Row(tuple(c or "" for c in cells), block.index, i, block.page_of(i))
            for i, cells in enumerate(block.rows)
        ]
        between = [
            b for b in blocks[last_table_block + 1 : block.index] if isinstance(b, Paragraph)
        ]
        only_artifacts = all(_ARTIFACT.match(compact(p.text)) for p in between)
        previous = tables[-1] if tables else None
        if (
            previous is not None
            and only_artifacts
            and block.index - last_table_block <= 4
            and abs(len(block.rows[0]) - previous.width) <= 1
        ):
            # A page that repeats the header: drop the repeated rows.
            repeated = 0
            while (
                repeated < len(rows)
                and repeated < len(previous.rows)
                and _looks_like_header(rows[repeated].cells)
                and rows[repeated].cells == previous.rows[repeated].cells
            ):
                repeated += 1
            if repeated or not _looks_like_header(block.rows[0]):
                # A continuation (next page, or a dump that left a blank line mid-table).
                previous.rows.extend(rows[repeated:])
                last_table_block = block.index
                continue
        title_parts: list[str] = []
        unit: str | None = None
        # Up to four paragraphs before the table: its title, "单位：万元", "表一".
        for b in reversed(blocks[max(0, block.index - 5) : block.index]):
            if isinstance(b, Table) and _is_caption_table(b):
                text = compact(" ".join(c for r in b.rows for c in r if c))
            elif not isinstance(b, Paragraph):
                break
            else:
                text = compact(b.text)
            unit = unit or detect_unit(text)
            if len(text) <= 60 and "表" in text:
                title_parts.insert(0, text)
            elif len(text) > 60:
                break
        # Title rows inside the table: one distinct non-empty text in a leading row.
        for r in rows[:3]:
            texts = {compact(c) for c in r.cells if c.strip()}
            for t in texts:
                unit = unit or detect_unit(t)
            if (
                len(texts) == 1
                and not any(_is_number_cell(c) for c in r.cells)
                and "表" in next(iter(texts))
            ):
                title_parts.append(next(iter(texts)))
        table = LogicalTable(
            title=" ".join(title_parts),
            unit=unit or default_unit,
            unit_stated=unit is not None,
            rows=rows,
        )
        tables.append(table)
        last_table_block = block.index
    for logical in tables:
        logical.header_count = _header_count(logical.rows)
        logical.labels = _labels(logical.header, logical.width)
    return tables


# ------------------------------------------------------------------ prose sections

_HEADING_NUMBER = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|"
    r"\d+[、.．](?!\d))"
)
_AMOUNT_IN_TEXT = re.compile(r"\d\s*(?:万元|元)")


@dataclass(frozen=True, slots=True)
class Section:
    """A paragraph with the headings it sits under (nearest last)."""

    text: str
    block: int
    page: int | None
    headings: tuple[str, ...]

    @property
    def context(self) -> str:
        return " ".join(self.headings)

    def source(self, start: int = 0, end: int | None = None) -> Source:
        text = self.text if end is None else self.text[max(0, start - 30) : end + 10]
        return Source(text=text.strip(), page=self.page, block=self.block)


def is_heading(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 40 or _AMOUNT_IN_TEXT.search(t):
        return False
    if t[-1] in "。；;，,":
        return False
    return bool(_HEADING_NUMBER.match(t)) or len(t) <= 30


def build_sections(document: Document) -> list[Section]:
    """Every paragraph with its heading chain: the last top-level heading (一、…) and
    the last sub-heading ((一)…, 1.…)."""
    sections: list[Section] = []
    top = sub = ""
    for block in document.blocks:
        if not isinstance(block, Paragraph):
            continue
        text = block.text.strip()
        if is_heading(text):
            t = compact(text)
            if re.match(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．])", t):
                top, sub = t, ""
            else:
                sub = t
            # A heading can hold a figure too ("（一）机关运行经费。2024 年…558.19 万元").
        sections.append(
            Section(
                text=text,
                block=block.index,
                page=block.page,
                headings=tuple(h for h in (top, sub) if h),
            )
        )
    return sections


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
