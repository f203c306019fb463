"""三公经费 (from its table and from sentences), official vehicles and procurement tables.

The 三公 table's header names its columns (合计, 因公出国（境）费, 公务用车购置及运行费 →
小计 / 购置费 / 运行费, 公务接待费). The split of 公务用车 into 购置 and 运行 is used only
when both columns are there: a dump that lost one of them shifts the figures, and the
sentence then gives the split.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..normalize import compact, parse_amount
from ..types import Check
from .candidates import RANK_PROSE, RANK_PROSE_WEAK, RANK_TABLE, Pool
from .prose import find_after
from .tables import LogicalTable, Section, is_total_label

__all__ = ["asset_table_vehicles", "procurement_table", "prose_three_public", "three_public_table"]

_LABELS = (
    ("total", r"[“\"‘']?三公[”\"’']?经费(?:财政拨款)?"),
    ("overseas", r"因公出国[（(]境[）)](?:经)?费(?:用)?"),
    ("vehicle_purchase", r"公务用车购置(?!及|和|与|运行)(?:费|经费)?"),
    ("vehicle_operation", r"公务用车运行(?:维护|维修)?(?:费|经费)?"),
    ("reception", r"公务接待(?:费|经费)?"),
)
_NONE_STATED = (
    (
        "overseas",
        re.compile(r"无因公出国[（(]境[）)](?:经)?费|没有(?:安排)?因公出国[（(]境[）)](?:经)?费"),
    ),
    (
        "vehicle_purchase",
        re.compile(r"无公务用车购置(?:费|经费|支出)|没有(?:安排)?公务用车购置(?:费|经费)"),
    ),
    ("reception", re.compile(r"无公务接待(?:费|经费|支出)")),
)


def three_public_table(table: LogicalTable, pool: Pool, checks: list[Check]) -> None:
    """Read the 三公 table's 合计 row (or its only data row)."""
    rows = [r for r in table.body if any(parse_amount(c) is not None for c in r.cells)]
    if not rows:
        return
    row = next((r for r in rows if any(is_total_label(c) for c in r.cells[:3])), rows[0])
    cells = row.cells
    if len(cells) != len(table.labels):
        checks.append(
            Check(
                "info",
                "three_public_table_layout",
                "“三公”经费表的表头与数据列数不一致，改用说明文字中的数字。",
                "three_public",
            )
        )
        return
    # A final account's table gives the budget (预算数) and then the actual (决算数): the
    # disclosure's figures are the actual ones.
    start = 0
    actual = table.column("决算")
    if actual is not None and any("预算" in label for label in table.labels[:actual]):
        start = actual
    cols = {
        "total": table.column("合计", exclude=("公务用车", "出国", "接待"), start=start),
        "overseas": table.column("出国", start=start),
        "vehicle_purchase": _col(table, ("购置",), ("运行",), start),
        "vehicle_operation": _col(table, ("运行",), ("购置",), start),
        "reception": table.column("接待", start=start),
    }
    src = row.source()
    for key in ("total", "overseas", "reception"):
        col = cols[key]
        if col is not None:
            pool.add(f"three_public.{key}", table.amount(cells[col]), RANK_TABLE, src, "table")
    purchase, operation = cols["vehicle_purchase"], cols["vehicle_operation"]
    if purchase is not None and operation is not None:
        pool.add(
            "three_public.vehicle_purchase", table.amount(cells[purchase]), RANK_TABLE, src, "table"
        )
        pool.add(
            "three_public.vehicle_operation",
            table.amount(cells[operation]),
            RANK_TABLE,
            src,
            "table",
        )
    elif purchase is not None or operation is not None:
        checks.append(
            Check(
                "info",
                "three_public_table_layout",
                "“三公”经费表只有公务用车购置费或运行费其中一列，该列数字未采用，以说明文字为准。",
                "three_public",
            )
        )


def _col(
    table: LogicalTable, want: tuple[str, ...], avoid: tuple[str, ...], start: int = 0
) -> int | None:
    for j, label in enumerate(table.labels):
        if j < start:
            continue
        # The last word of a stacked label is the column's own name.
        own = label.split(" ")[-1] if label else ""
        if any(w in own for w in want) and not any(a in own for a in avoid):
            return j
    return None


def prose_three_public(sections: list[Section], pool: Pool) -> None:
    """三公 figures stated in sentences; those under a 三公 heading rank higher."""
    for sec in sections:
        text = sec.text
        in_section = "三公" in sec.context or "三公" in text
        rank = RANK_PROSE if in_section else RANK_PROSE_WEAK
        if "政府性基金" in sec.context:
            continue
        for key, label in _LABELS:
            for m in find_after(label, text):
                pool.add(f"three_public.{key}", m.value, rank, sec.source(m.start, m.end), "prose")
        if in_section:
            for key, pattern in _NONE_STATED:
                match = pattern.search(text)
                if match:
                    pool.add(
                        f"three_public.{key}",
                        Decimal(0),
                        RANK_PROSE + 1,
                        sec.source(match.start(), match.end()),
                        "prose",
                    )


_VEHICLES = re.compile(
    r"(?:共有|拥有|现有|共计有?)(?:公务用车|车辆|公务车辆|公车|各类车辆)\s*(\d{1,4})\s*(?:辆|台)"
)


def prose_vehicles(sections: list[Section], pool: Pool) -> None:
    for sec in sections:
        for m in _VEHICLES.finditer(sec.text):
            pool.add(
                "assets.vehicles",
                Decimal(m.group(1)),
                RANK_PROSE,
                sec.source(m.start(), m.end()),
                "prose",
            )


def asset_table_vehicles(table: LogicalTable, pool: Pool) -> None:
    """Vehicle count from a 资产 table: the 数量 of a 车辆/汽车 row."""
    qty = table.column("数量")
    if qty is None:
        return
    for row in table.body:
        if not row.cells:
            continue
        label = compact(row.cells[0]) or (compact(row.cells[1]) if len(row.cells) > 1 else "")
        if re.search(r"车辆|汽车|公务用车", label) and qty < len(row.cells):
            value = parse_amount(row.cells[qty])
            if value is not None and value == value.to_integral() and value >= 0:
                pool.add("assets.vehicles", value, RANK_TABLE, row.source(), "table")
                return


def procurement_table(table: LogicalTable, pool: Pool) -> None:
    """政府采购 total from the table's 合计 row, in the first 合计/总计 column."""
    col = table.column("总计", "合计")
    if col is None:
        return
    for row in table.body:
        if any(is_total_label(c) for c in row.cells[:2]) and col < len(row.cells):
            value = table.amount(row.cells[col])
            if value is not None:
                pool.add("totals.procurement_total", value, RANK_TABLE, row.source(), "table")
            return
