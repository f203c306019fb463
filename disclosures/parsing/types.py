"""Frozen value types shared by the readers, the extractors and the callers.

Readers turn a file into a :class:`Document` (a sequence of :class:`Paragraph` and
:class:`Table` blocks, in reading order, with page numbers where the format has
pages). Extractors read blocks and build a :class:`ParsedDisclosure`. Nothing here
imports Django: the parser is a pure library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One line or paragraph of running text."""

    text: str
    index: int  # position of the block in the document (0-based, reading order)
    page: int | None = None  # 1-based page for paged formats (PDF), else None


@dataclass(frozen=True, slots=True)
class Table:
    """One table as the source shows it: rows of cell strings ("" for an empty cell).

    A table split across PDF pages arrives as several Table blocks; extractors join
    continuations. ``row_pages`` gives the page of every row when known.
    """

    rows: tuple[tuple[str, ...], ...]
    index: int
    page: int | None = None
    row_pages: tuple[int | None, ...] | None = None
    sheet: str | None = None  # worksheet name for XLSX/XLS

    def page_of(self, row: int) -> int | None:
        if self.row_pages is not None and 0 <= row < len(self.row_pages):
            return self.row_pages[row]
        return self.page


Block = Paragraph | Table


@dataclass(frozen=True, slots=True)
class Document:
    """What a reader returns: the blocks of one file plus facts about the file."""

    blocks: tuple[Block, ...]
    format: str  # "pdf" | "docx" | "xlsx" | "xls" | "html" | "text"
    pages: int | None = None  # number of pages for PDF, else None


@dataclass(frozen=True, slots=True)
class Source:
    """Where one figure was read: page (PDF) or block/row position, and the text."""

    text: str
    page: int | None = None
    block: int | None = None  # Document.blocks index
    row: int | None = None  # row within a Table block
    derived: bool = False  # True when computed exactly from other stated figures
    # PDF points (x0, y0, x1, y1) of the cell or line on ``page``, for highlighting
    bbox: tuple[float, float, float, float] | None = None
    ocr: bool = False  # the text came from optical character recognition
    # True when at least one passing check involves the figure, False when none does;
    # None until validation has looked at it
    confirmed: bool | None = None
    # the same amount is stated again elsewhere in the document (a second table, a sentence)
    corroborated: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text}
        if self.page is not None:
            out["page"] = self.page
        if self.block is not None:
            out["block"] = self.block
        if self.row is not None:
            out["row"] = self.row
        if self.derived:
            out["derived"] = True
        if self.bbox is not None:
            out["bbox"] = [round(v, 2) for v in self.bbox]
        if self.ocr:
            out["ocr"] = True
        if self.confirmed is not None:
            out["confirmed"] = self.confirmed
        if self.corroborated:
            out["corroborated"] = True
        return out


@dataclass(frozen=True, slots=True)
class LineItem:
    """One classification row (functional or economic), amounts in 万元."""

    code: str | None
    name: str
    total: Decimal | None
    basic: Decimal | None = None
    project: Decimal | None = None
    source: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "total": _num(self.total),
            "basic": _num(self.basic),
            "project": _num(self.project),
        }


@dataclass(frozen=True, slots=True)
class Check:
    """A validation finding a person should look at."""

    severity: str  # "error" | "warning" | "info"
    rule: str  # e.g. "children_sum", "region_unknown", "prose_vs_table"
    message: str  # plain words, Chinese or English, for a finance officer
    path: str | None = None  # e.g. "functional.department[12]" or "totals.grand_total"

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "path": self.path,
        }


@dataclass(frozen=True, slots=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None  # administrative division code of the lowest known level

    def to_dict(self) -> dict[str, Any]:
        return {"province": self.province, "city": self.city, "county": self.county}


@dataclass(frozen=True, slots=True)
class ParsedDisclosure:
    """Everything read from one disclosure; ``to_dict()`` is the EXTRACTION.md JSON."""

    source_filename: str
    sha256: str
    format: str
    department: str | None
    region: Region
    fiscal_year: int | None
    kind: str | None  # "budget" | "final"
    totals: dict[str, Decimal | None] = field(default_factory=dict)
    three_public: dict[str, Decimal | None] = field(default_factory=dict)
    assets: dict[str, int | None] = field(default_factory=dict)
    # scope -> items: "department", "general_budget"
    functional: dict[str, tuple[LineItem, ...]] = field(default_factory=dict)
    # scope -> items: "basic"
    economic: dict[str, tuple[LineItem, ...]] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    # field path ("totals.grand_total", "functional.department[3]") -> Source
    provenance: dict[str, Source] = field(default_factory=dict)
    pages: int | None = None
    parser_version: str = ""
    # Titles and sentences of the document (for completeness checks); not in to_dict().
    outline: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The ``disclosure/1`` JSON object of EXTRACTION.md (amounts as floats in 万元)."""
        return {
            "schema": "disclosure/1",
            "source": {
                "filename": self.source_filename,
                "sha256": self.sha256,
                "format": self.format,
            },
            "department": self.department,
            "region": self.region.to_dict(),
            "fiscal_year": self.fiscal_year,
            "kind": self.kind,
            "unit": "万元",
            "totals": {k: _num(v) for k, v in self.totals.items()},
            "three_public": {k: _num(v) for k, v in self.three_public.items()},
            "assets": dict(self.assets),
            "functional": {s: [i.to_dict() for i in items] for s, items in self.functional.items()},
            "economic": {s: [i.to_dict() for i in items] for s, items in self.economic.items()},
            "checks": [c.to_dict() for c in self.checks],
            "provenance": {k: v.to_dict() for k, v in self.provenance.items()},
        }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
