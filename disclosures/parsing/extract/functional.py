"""Classification items: functional (支出功能分类) and economic (部门经济分类) rows.

Table rows: the code may be one cell (2080101), split over 类/款/项 columns
(208 | 01 | 01, 类 left blank under its parent), written "208 1 2" in one cell, or put
in front of the name ("208 社会保障和就业支出"). Amount columns are located relative to
the name column, because dumps shift whole rows by one cell where merged cells were
flattened. Rows for 合计, units and the department itself are not items.

Prose (reports without tables): "社会保障和就业（类）人力资源和社会保障管理事务（款）
行政运行（项）支出决算为1114.85万元" — codes come from the classification dictionary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from ..checks import is_outside_classification, top_level_rows, within
from ..classification import classification_level
from ..normalize import clean_name, compact, parse_amount, to_wan
from ..types import Check, LineItem, Source
from .prose import AMOUNT, is_change
from .tables import LogicalTable, Row, Section, has_cjk, is_total_label

__all__ = ["ItemsResult", "economic_items", "functional_items", "prose_functional_items"]

_DIGITS = re.compile(r"^\d+(?:\s+\d+)*$")
_CODE_IN_NAME = re.compile(r"^[\[【]?(\d{3}(?:\s*\d{2}){0,2})[\]】]?\s*(?=[\u4e00-\u9fff])")
_UNIT_NAME = re.compile(
    r"(?:局|科|室|中心|站|所|队|院|办|委|会|处|单位|部|本级|公司|学校)(?:[（(][^（(）)]{1,8}[）)])?$"
)


@dataclass(slots=True)
class ItemsResult:
    items: list[LineItem]
    checks: list[Check]
    has_basic_project: bool = False


class _Dictionary(Protocol):
    """What the prose reader uses of the classification dictionary (``..classification``)."""

    def functional_name(self, code: str | int) -> str | None: ...

    def functional_code_for_name(self, name: str, parent_code: str | None = None) -> str | None: ...

    def iter_functional(self) -> Iterator[tuple[str, str, str, str | None]]: ...


_Found = dict[tuple[str | None, str], LineItem]


def _lookup() -> _Dictionary | None:
    try:
        from .. import classification
    except ImportError:  # the dictionary is optional: codes in tables need no look-up
        return None
    return classification


def _pad(token: str) -> str:
    return token.zfill(2) if len(token) <= 2 else token


def _code_from_cells(
    cells: list[str], positions: dict[str, int] | None, inherited: dict[str, str], economic: bool
) -> str | None:
    """The full code of a row from the cells before its name."""
    valid_first = "3" if economic else "2"
    lengths = (3, 5) if economic else (3, 5, 7)
    per_cell = [
        " ".join(c.split()).split() if _DIGITS.match(" ".join(c.split())) else [] for c in cells
    ]
    # A full code in its own cell wins ("208 | 01 | 01 | 2080101").
    full = [
        t[0]
        for t in per_cell
        if len(t) == 1 and len(t[0]) in lengths[1:] and t[0][0] == valid_first
    ]
    if full:
        return max(full, key=len)
    if positions and not any(len(t) > 1 for t in per_cell):
        # 类/款/项 columns: a blank 类 or 款 under its parent is inherited.
        found = {}
        for level in ("类", "款", "项"):
            j = positions.get(level)
            if j is not None and j < len(per_cell) and len(per_cell[j]) == 1:
                found[level] = per_cell[j][0]
        if found:
            cls = found.get("类") or inherited.get("类")
            if not cls or len(cls) != 3 or cls[0] != valid_first:
                return None
            code = cls
            if "款" in found or "项" in found:
                kuan = found.get("款") or inherited.get("款")
                if not kuan or len(kuan) > 2:
                    return None
                code += _pad(kuan)
            if "项" in found:
                if len(found["项"]) > 2:
                    return None
                code += _pad(found["项"])
            return code if len(code) in lengths else None
    # "208 1 2" in one cell, or 208 | 1 | 2 without a header naming the columns.
    tokens = [t for cell in per_cell for t in cell]
    if (
        tokens
        and len(tokens[0]) == 3
        and tokens[0][0] == valid_first
        and all(len(t) <= 2 for t in tokens[1:3])
    ):
        code = tokens[0] + "".join(_pad(t) for t in tokens[1:3])
        return code if len(code) in lengths else None
    return None


def _split_positions(table: LogicalTable) -> dict[str, int] | None:
    positions: dict[str, int] = {}
    for j, label in enumerate(table.labels):
        own = label.split(" ")[-1] if label else ""
        for level in ("类", "款", "项"):
            if own == level and level not in positions:
                positions[level] = j
    return positions if "类" in positions else None


def _name_index(cells: tuple[str, ...]) -> int | None:
    for i, c in enumerate(cells):
        if has_cjk(c) and parse_amount(c) is None:
            return i
    return None


def _header_name_col(table: LogicalTable) -> int | None:
    """The header column that holds item names (科目名称, 单位名称(科目), 项目)."""
    found = None
    for j, label in enumerate(table.labels):
        own = label.split(" ")[-1] if label else ""
        if re.search(r"名称|项目", label) and not re.search(r"合计|总计|支出|经费", own):
            found = j
        elif re.fullmatch(r"(?:功能|经济)?(?:分类)?科目", own):
            found = j  # one "科目" column holding "2080101 行政运行"
    return found


def _cell_at(
    table: LogicalTable, cells: tuple[str, ...], name_at: int, name_col: int, col: int | None
) -> Decimal | None:
    if col is None:
        return None
    j = name_at + (col - name_col)
    return table.amount(cells[j]) if 0 <= j < len(cells) else None


def _actual_columns_start(table: LogicalTable, start: int) -> int:
    """Where the columns to read begin when a table shows more than the year's figures.

    * A final account may give the opening budget, carry-over or income first (年初预算数,
      年初结转和结余, 本年收入) and then what was spent (本年支出 / 决算数): the figures of
      a 决算 are the actual ones, so read from that group.
    * A budget may compare years (2022年预算数 | 2023年预算数 | 增减, or 上年 | 本年):
      read the latest year's (the document's own) columns.
    """
    actual = table.column("本年支出", "决算数", "支出决算", "本年决算", start=start)
    if actual is not None:
        return actual
    years = [
        (j, int(y))
        for j, label in enumerate(table.labels)
        if j >= start
        for y in re.findall(r"(20\d\d)\s*年", label)
    ]
    if len({y for _, y in years}) >= 2:
        latest = max(y for _, y in years)
        return min(j for j, y in years if y == latest)
    if table.column("上年", start=start) is not None:
        current = table.column("本年", start=start)
        if current is not None:
            return current
    return start


def _items_from_table(
    table: LogicalTable, *, economic: bool, want_columns: bool, path: str
) -> ItemsResult:
    checks: list[Check] = []
    items: list[LineItem] = []
    name_col = _header_name_col(table)
    total_col = basic_col = project_col = None
    if name_col is not None:
        start = _actual_columns_start(table, name_col + 1)
        total_col = table.column("合计", "总计", "小计", "金额", "预算数", "决算数", start=start)
        if total_col is None and start < len(table.labels):
            total_col = start
        if want_columns:
            basic_col = table.column("基本支出", exclude=("合计",), start=start)
            project_col = table.column("项目支出", start=start)
    positions = _split_positions(table)
    inherited: dict[str, str] = {}
    seen: set[str] = set()
    blocks: list[list[LineItem]] = [items]
    table_total: Decimal | None = None
    started = False
    lookup = _lookup()
    for row in table.body:
        cells = row.cells
        ni = _name_index(cells)
        if ni is None:
            continue
        raw_name = cells[ni]
        name = clean_name(raw_name)
        before = list(cells[:ni])
        m = _CODE_IN_NAME.match(raw_name.strip())
        if m:
            # "208 社会保障和就业支出": the code written in front of the name.
            before.append(m.group(1))
            name = clean_name(raw_name.strip()[m.end() :])
        if is_total_label(name):
            if table_total is None and name_col is not None and not items:
                table_total = _cell_at(table, cells, ni, name_col, total_col)
            continue
        # Items are numbered in some templates ("1.工资福利支出"): the number is not a name.
        name = re.sub(r"^(?:[一二三四五六七八九十]+、|\d+[.、．](?!\d))", "", name)
        code = _code_from_cells(before, positions, inherited, economic)
        if code is None and not started:
            continue  # header-like and unit rows above the first item
        if name_col is not None:
            # Amounts sit at the same offset from the name as in the header.
            total, basic, project = (
                _cell_at(table, cells, ni, name_col, c) for c in (total_col, basic_col, project_col)
            )
        else:
            nums = [table.amount(c) for c in cells[ni + 1 :]]
            nums = [n for n in nums if n is not None]
            total, basic, project = (nums[0] if nums else None), None, None
        if total is None and basic is None and project is None:
            continue  # an empty row states nothing
        if code is None and not economic and is_outside_classification(name):
            # "单位预留机动经费": part of the total, in no 类 — kept without a code.
            checks.append(
                Check(
                    "info",
                    "outside_classification",
                    f"“{name}”不属于任何功能分类科目，保留为没有编码的一行，计入支出合计的核对。",
                    path,
                )
            )
        elif code is None:
            found = None
            if lookup is not None and not economic:
                parent = items[-1].code if items and items[-1].code else None
                found = _code_for_name(lookup, name, parent)
            if found is None and _UNIT_NAME.search(name):
                continue  # a unit's own row (社保科, 某某中心) between items
            code = found
            if code is None:
                checks.append(
                    Check(
                        "warning",
                        "code_missing",
                        f"“{name}”没有科目编码，词典中也找不到唯一对应的编码。",
                        f"{path}[{len(items)}]",
                    )
                )
        if code is not None:
            if code in seen:
                # The codes start again: the table lists a block per unit.
                items = []
                blocks.append(items)
                seen = set()
            seen.add(code)
            level = classification_level(code)
            if level == 1:
                inherited = {"类": code}
            elif level == 2:
                inherited = {"类": code[:3], "款": code[3:5]}
        started = True
        items.append(
            LineItem(
                code=code, name=name, total=total, basic=basic, project=project, source=row.source()
            )
        )
    items = _resolve_blocks(blocks, table_total, checks, path)
    return ItemsResult(
        items, checks, has_basic_project=basic_col is not None or project_col is not None
    )


def _class_sum(items: list[LineItem]) -> Decimal:
    return sum((total for _, total in top_level_rows(items)), Decimal(0))


def _resolve_blocks(
    blocks: list[list[LineItem]], table_total: Decimal | None, checks: list[Check], path: str
) -> list[LineItem]:
    """One list of items from a table that may repeat its codes in blocks (one per unit).

    The first block is the department's when its classes add up to the table's 合计 (the
    usual layout: department, then each unit again). When only all blocks together add up
    to the 合计, the department's items are the exact per-code sums of the blocks (marked
    derived). Otherwise the first block is kept and a check says the rest was not read.
    """
    blocks = [b for b in blocks if b]
    if len(blocks) <= 1:
        return blocks[0] if blocks else []
    first = blocks[0]
    if table_total is not None and within(table_total, [_class_sum(first)]):
        checks.append(
            Check(
                "info",
                "repeated_block",
                "表格在部门合计之后按单位重复列出科目，只读取了部门一组。",
                path,
            )
        )
        return first
    everything = [i for b in blocks for i in b]
    if table_total is not None and within(table_total, [_class_sum(b) for b in blocks]):
        checks.append(
            Check(
                "info",
                "summed_unit_blocks",
                f"表格按单位分 {len(blocks)} 组列出科目，部门数为各组同一科目之和。",
                path,
            )
        )
        return _sum_by_code(everything)
    checks.append(
        Check(
            "warning",
            "repeated_block",
            "表格按单位重复列出科目，各组之和与合计对不上，只读取了第一组，请核对。",
            path,
        )
    )
    return first


def _sum_by_code(items: list[LineItem]) -> list[LineItem]:
    order: list[str] = []
    groups: dict[str, list[LineItem]] = {}
    for item in items:
        key = item.code or f"name={item.name}"
        if key not in groups:
            order.append(key)
            groups[key] = []
        groups[key].append(item)

    def add(values: list[Decimal | None]) -> Decimal | None:
        stated = [v for v in values if v is not None]
        return sum(stated, Decimal(0)) if stated else None

    out = []
    for key in order:
        rows = groups[key]
        first = rows[0]
        src = first.source
        source = (
            Source(
                text=" + ".join(r.source.text for r in rows if r.source)[:300],
                page=src.page,
                block=src.block,
                row=src.row,
                derived=len(rows) > 1,
            )
            if src
            else None
        )
        out.append(
            LineItem(
                code=first.code,
                name=first.name,
                total=add([r.total for r in rows]),
                basic=add([r.basic for r in rows]),
                project=add([r.project for r in rows]),
                source=source,
            )
        )
    return out


def functional_items(table: LogicalTable, path: str) -> ItemsResult:
    """Functional classification rows of one table (department or general budget)."""
    return _merged(
        [
            _items_from_table(t, economic=False, want_columns=True, path=path)
            for t in _side_by_side(table)
        ]
    )


def economic_items(table: LogicalTable, path: str) -> ItemsResult:
    """部门经济分类 rows (301…, 30101…) of a basic-expenditure table."""
    result = _merged(
        [
            _items_from_table(t, economic=True, want_columns=False, path=path)
            for t in _side_by_side(table)
        ]
    )
    result.items = [LineItem(i.code, i.name, i.total, None, None, i.source) for i in result.items]
    return result


_GROUP_START = re.compile(r"科目编码|科目代码|^编码$|^代码$")


def _side_by_side(table: LogicalTable) -> list[LogicalTable]:
    """A table printed as several column groups side by side (科目编码 | 科目名称 | 金额,
    repeated — the usual layout of a 基本支出 table split into 人员经费 and 公用经费)
    becomes one table per group; otherwise the table itself."""
    starts = [
        j
        for j, label in enumerate(table.labels)
        if _GROUP_START.search(label.split(" ")[-1] if label else "")
    ]
    if len(starts) < 2:
        return [table]
    bounds = list(zip(starts, [*starts[1:], table.width], strict=True))
    parts = []
    for start, end in bounds:
        rows = [Row(r.cells[start:end], r.block, r.row, r.page) for r in table.rows]
        part = LogicalTable(
            title=table.title,
            unit=table.unit,
            unit_stated=table.unit_stated,
            rows=rows,
            header_count=table.header_count,
            labels=table.labels[start:end],
        )
        parts.append(part)
    return parts


def _merged(results: list[ItemsResult]) -> ItemsResult:
    if len(results) == 1:
        return results[0]
    merged = results[0]
    for extra in results[1:]:
        seen = {i.code for i in merged.items if i.code}
        merged.items.extend(i for i in extra.items if not i.code or i.code not in seen)
        merged.checks.extend(extra.checks)
        merged.has_basic_project = merged.has_basic_project or extra.has_basic_project
    return merged


# -------------------------------------------------------------------- dictionary

_CONNECTORS = re.compile(r"[和及与的]")


def _variants(name: str) -> list[str]:
    name = compact(name).strip("：:、，,。")
    out = [name]
    if name.endswith("支出"):
        out.append(name[:-2])
    else:
        out.append(name + "支出")
    return out


def _code_for_name(lookup: _Dictionary, name: str, parent: str | None) -> str | None:
    """Code for a name, exact first (with and without 支出), then a unique fuzzy match
    among the parent's children ("公积金" → 住房公积金, "劳动关系维权" → 劳动关系和维权)."""
    parents = [parent[:5], parent[:3]] if parent and len(parent) >= 5 else [parent]
    for p in parents:
        for v in _variants(name):
            code = lookup.functional_code_for_name(v, p)
            if code:
                return code
    if not parent:
        return None
    target = _CONNECTORS.sub("", compact(name))
    if len(target) < 3:
        return None
    for p in parents:
        if p is None:
            continue
        matches: list[str] = []
        for code, full, _level, _parent in lookup.iter_functional():
            if not code.startswith(p) or code == p or len(code) != len(p) + 2 and len(p) == 5:
                continue
            other = _CONNECTORS.sub("", compact(full))
            if other == target or other.endswith(target):
                matches.append(code)
        if len(matches) == 1:
            return matches[0]
    return None


# -------------------------------------------------------------------------- prose

_MARKER = re.compile(r"([\u4e00-\u9fff*＊]+)\s*[（(](类|款|项)[）)]")
_PROSE_AMOUNT = re.compile(AMOUNT)
_CLASS_SEGMENT = re.compile(r"([\u4e00-\u9fff]{2,20}?)(?:[（(]类[）)])?(?:支出)?\s*" + AMOUNT)


def prose_functional_items(sections: list[Section]) -> ItemsResult:
    """Items a narrative states under its 一般公共预算 expenditure headings."""
    lookup = _lookup()
    checks: list[Check] = []
    found: _Found = {}
    if lookup is None:
        return ItemsResult(
            [],
            [
                Check(
                    "info",
                    "classification_unavailable",
                    "科目词典不可用，未从说明文字中读取功能分类科目。",
                    "functional.general_budget",
                )
            ],
        )
    for sec in sections:
        ctx = sec.context
        if not (
            re.search(r"一般公共预算", ctx)
            and re.search(r"支出|拨款", ctx)
            and not re.search(r"基本支出|三公|收入|政府性基金|国有资本", ctx)
        ):
            continue
        text = sec.text
        _walk_markers(text, sec, lookup, found, checks)
        _class_segments(text, sec, lookup, found)
    items = sorted(found.values(), key=lambda i: (i.code is None, i.code or ""))
    return ItemsResult(items, checks)


def _walk_markers(
    text: str, sec: Section, lookup: _Dictionary, found: _Found, checks: list[Check]
) -> None:
    events = [(m.start(), "marker", m) for m in _MARKER.finditer(text)]
    events += [(m.start(), "amount", m) for m in _PROSE_AMOUNT.finditer(text)]
    events.sort(key=lambda e: e[0])
    names: dict[str, str | None] = {"类": None, "款": None, "项": None}
    codes: dict[str, str | None] = {"类": None, "款": None, "项": None}
    pending: str | None = None
    for _pos, kind, m in events:
        if kind == "marker":
            raw, level = m.group(1), m.group(2)
            name = re.sub(r"^[\d]+", "", raw)
            if not re.search(r"[\u4e00-\u9fff]", name):
                name = ""
            if level == "类":
                names = {"类": name, "款": None, "项": None}
                codes = {"类": _class_code(lookup, name) if name else None, "款": None, "项": None}
            elif level == "款":
                names["款"], names["项"] = name, None
                codes["款"] = (
                    _code_for_name(lookup, name, codes["类"])
                    if name and codes["类"]
                    else _kuan_code(lookup, name)
                    if name
                    else None
                )
                if codes["款"] and len(codes["款"]) != 5:
                    codes["款"] = None
            else:
                names["项"] = name
            pending = level
            continue
        if pending is None:
            continue
        if is_change(text, m.start()):
            pending = None  # "行政运行（项）比上年增加50万元" states a change, not the item
            continue
        unit = "万元" if m.group("unit") == "万" else m.group("unit")
        value = to_wan(parse_amount(m.group("num")), unit)
        level, pending = pending, None
        item_name = names[level]
        if not item_name or value is None or value == 0:
            continue
        if level == "项":
            parent = codes["款"] or codes["类"]
            code = _code_for_name(lookup, item_name, parent) if parent else None
            if code and len(code) != 7:
                code = None
        else:
            code = codes[level]
        _add(found, lookup, code, item_name, value, sec, m, checks)


def _kuan_code(lookup: _Dictionary, name: str) -> str | None:
    """A 款 named without its 类 ("人力资源和社会保障管理事务（款）行政运行（项）…"): its
    code when the name is one 款's only."""
    for v in _variants(name):
        code = lookup.functional_code_for_name(v)
        if classification_level(code) == 2:
            return code
    return None


def _class_code(lookup: _Dictionary, name: str) -> str | None:
    for v in _variants(name):
        code = lookup.functional_code_for_name(v)
        if classification_level(code) == 1:
            return code
    return None


def _class_segments(text: str, sec: Section, lookup: _Dictionary, found: _Found) -> None:
    """ "…主要用于以下方面: 一般公共服务（类）支出69.65万元；…卫生健康支出104.70万元"."""
    for segment in re.split(r"[；;，,。:：]", text):
        m = _CLASS_SEGMENT.fullmatch(segment.strip().rstrip("、"))
        if not m:
            m = _CLASS_SEGMENT.match(segment.strip())
        if not m:
            continue
        name = re.sub(r"^(?:\d+[.、．]|其中)", "", m.group(1))
        if is_change(m.string, m.start("num")):
            continue
        code = _class_code(lookup, name)
        if not code:
            continue
        unit = "万元" if m.group("unit") == "万" else m.group("unit")
        value = to_wan(parse_amount(m.group("num")), unit)
        if value is None or value == 0:
            continue
        _add(found, lookup, code, name, value, sec, m, None)


def _add(
    found: _Found,
    lookup: _Dictionary,
    code: str | None,
    name: str,
    value: Decimal,
    sec: Section,
    m: re.Match[str],
    checks: list[Check] | None,
) -> None:
    key = (code, name if code is None else "")
    display = (lookup.functional_name(code) if code else None) or name
    if key in found:
        return
    if code is None and checks is not None:
        checks.append(
            Check(
                "warning",
                "code_missing",
                f"说明文字中的科目“{name}”（{format(value, 'f')} 万元）在词典中找不到唯一编码，请人工指定。",
                "functional.general_budget",
            )
        )
    found[key] = LineItem(
        code=code,
        name=display,
        total=value,
        source=Source(
            text=sec.text[max(0, m.start() - 40) : m.end()], page=sec.page, block=sec.block
        ),
    )
