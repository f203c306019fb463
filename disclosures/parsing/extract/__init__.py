"""Extraction: blocks of a Document → a checked, traceable :class:`ParsedDisclosure`.

Modules: :mod:`.metadata` (department, region, year, kind), :mod:`.tables` (logical
tables and prose sections), :mod:`.totals`, :mod:`.three_public`, :mod:`.functional`
(functional and economic items), :mod:`.candidates` (choosing between table and
prose figures). Validation lives in :mod:`disclosures.parsing.checks`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal

from ..checks import check_items, check_totals
from ..classification import edition
from ..confirm import mark_confirmed
from ..normalize import detect_unit
from ..types import Check, Document, LineItem, Paragraph, ParsedDisclosure, Source
from .candidates import Pool
from .functional import ItemsResult, economic_items, functional_items, prose_functional_items
from .metadata import Metadata, read_metadata
from .prose import prose_sections
from .tables import LogicalTable, build_sections, build_tables
from .three_public import (
    asset_table_vehicles,
    procurement_table,
    prose_three_public,
    prose_vehicles,
    settle_three_public,
    three_public_table,
)
from .totals import (
    prose_totals,
    settle_fiscal,
    settle_income_stated,
    summary_table_totals,
    table_kind,
    total_row_totals,
)

__all__ = ["TOTAL_KEYS", "THREE_PUBLIC_KEYS", "extract"]

TOTAL_KEYS = (
    "income_total",
    "carryover_income",
    "grand_total",
    "expenditure_total",
    "carryforward",
    "general_public_budget_income",
    "government_fund_income",
    "state_capital_income",
    "basic_expenditure",
    "project_expenditure",
    "personnel_expenditure",
    "public_expenditure",
    "operating_expenditure",
    "procurement_total",
)
# meetings / training: 会议费 and 培训费, printed beside the 三公 items but not part of
# their total.
THREE_PUBLIC_KEYS = (
    "total",
    "overseas",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
    "meetings",
    "training",
)
_SCOPES = {"functional_department": "department", "functional_general": "general_budget"}


def _document_unit(document: Document) -> str | None:
    units = Counter(
        u for b in document.blocks if isinstance(b, Paragraph) for u in [detect_unit(b.text)] if u
    )
    for b in document.blocks:
        if not isinstance(b, Paragraph):
            for row in b.rows[:3]:
                for cell in row:
                    u = detect_unit(cell)
                    if u:
                        units[u] += 1
    return units.most_common(1)[0][0] if units else None


def _sorted(items: list[LineItem]) -> list[LineItem]:
    # Hierarchical order: a parent's code is a prefix of its children's, so string
    # order puts every 类 before its 款 and 项. Items without a code go last.
    return sorted(items, key=lambda i: (i.code is None, i.code or ""))


def _same(a: list[LineItem], b: list[LineItem]) -> bool:
    ma = {i.code: i.total for i in a if i.code}
    mb = {i.code: i.total for i in b if i.code}
    common = set(ma) & set(mb)
    return all(
        ma[c] is None or mb[c] is None or abs(ma[c] - mb[c]) <= Decimal("0.005")  # type: ignore[operator]
        for c in common
    )


def extract(document: Document, *, data: bytes, filename: str) -> ParsedDisclosure:
    """Read every figure EXTRACTION.md asks for from ``document``; never guess.

    ``data`` is the original file (for its sha256), ``filename`` only names it.
    Values not stated are None; disagreements and doubts become checks.
    """
    meta = read_metadata(document)
    # Names without codes are looked up in the classification editions of the document's year.
    with edition(meta.fiscal_year):
        return _extract(document, meta, data=data, filename=filename)


def _extract(document: Document, meta: Metadata, *, data: bytes, filename: str) -> ParsedDisclosure:
    from .. import PARSER_VERSION

    checks: list[Check] = list(meta.checks)
    provenance: dict[str, Source] = dict(meta.sources)

    unit = _document_unit(document)
    if unit is None:
        checks.append(Check("info", "unit_assumed", "文件没有写明金额单位，按万元读取。", None))
    tables = build_tables(document, unit)
    sections = prose_sections(build_sections(document))
    pool = Pool()

    item_lists: dict[str, tuple[str, list[LineItem], bool]] = {}  # path -> (scope, items, cols)

    def take(path: str, result: ItemsResult, table: LogicalTable) -> None:
        checks.extend(result.checks)
        if not result.items:
            return
        if path in item_lists:
            if not _same(item_lists[path][1], result.items):
                checks.append(
                    Check(
                        "warning",
                        "tables_disagree",
                        f"“{table.title[:40]}”与前面同类表格的科目金额不一致，采用前一张表。",
                        path,
                    )
                )
            return
        item_lists[path] = (path, result.items, result.has_basic_project)

    for table in tables:
        kind = table_kind(table)
        if kind in ("summary", "summary_fiscal"):
            summary_table_totals(table, pool, checks)
        elif kind == "three_public":
            three_public_table(table, pool, checks, meta.kind)
        elif kind == "assets":
            asset_table_vehicles(table, pool)
        elif kind == "procurement":
            procurement_table(table, pool)
        elif kind == "economic_basic":
            total_row_totals(table, kind, pool)
            take("economic.basic", economic_items(table, "economic.basic"), table)
        elif kind in _SCOPES:
            path = f"functional.{_SCOPES[kind]}"
            if kind == "functional_department":
                total_row_totals(table, kind, pool)
            take(path, functional_items(table, path), table)
        elif kind == "untitled":
            found = functional_items(table, "functional")
            if found.items:
                checks.append(
                    Check(
                        "info",
                        "table_scope_unknown",
                        f"一张没有标题的科目表（{len(found.items)} 行）无法判断是部门支出"
                        "还是一般公共预算支出，未读取。",
                        "functional",
                    )
                )

    prose_totals(sections, pool, checks)
    prose_three_public(sections, pool)
    prose_vehicles(sections, pool)
    if "functional.general_budget" not in item_lists:
        result = prose_functional_items(sections)
        checks.extend(result.checks)
        if result.items:
            item_lists["functional.general_budget"] = (
                "functional.general_budget",
                result.items,
                False,
            )
    settle_fiscal(pool, checks)
    settle_income_stated(pool)
    settle_three_public(pool)
    values, sources = pool.resolve()
    checks.extend(pool.checks)

    totals: dict[str, Decimal | None] = {k: values.get(f"totals.{k}") for k in TOTAL_KEYS}
    three_public: dict[str, Decimal | None] = {
        k: values.get(f"three_public.{k}") for k in THREE_PUBLIC_KEYS
    }
    vehicles = values.get("assets.vehicles")
    assets: dict[str, int | None] = {"vehicles": int(vehicles) if vehicles is not None else None}
    for key, src in sources.items():
        if key.split(".")[0] in ("totals", "three_public", "assets"):
            provenance[key] = src

    functional: dict[str, tuple[LineItem, ...]] = {}
    economic: dict[str, tuple[LineItem, ...]] = {}
    for path, (_, items, cols) in item_lists.items():
        items = _sorted(items)
        group, scope = path.split(".")
        target = functional if group == "functional" else economic
        target[scope] = tuple(items)
        for i, item in enumerate(items):
            if item.source:
                provenance[f"{path}[{i}]"] = item.source
        checks.extend(check_items(items, path, with_columns=cols))
    checks.extend(check_totals(totals, three_public, functional, economic))

    parsed = ParsedDisclosure(
        source_filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        format=document.format,
        department=meta.department,
        region=meta.region,
        fiscal_year=meta.fiscal_year,
        kind=meta.kind,
        totals=totals,
        three_public=three_public,
        assets=assets,
        functional=functional,
        economic=economic,
        checks=tuple(checks),
        provenance=provenance,
        pages=document.pages,
        parser_version=PARSER_VERSION,
    )
    # Mark in provenance which figures a holding check (or a second, agreeing statement
    # elsewhere in the document) confirms; the rest are shown as unconfirmed.
    return mark_confirmed(parsed, pool.corroborated())
