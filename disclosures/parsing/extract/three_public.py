"""三公经费 (from its table and from sentences), official vehicles and procurement tables.

The 三公 table's header names its columns (合计, 因公出国（境）费, 公务用车购置及运行费 →
小计 / 购置费 / 运行费, 公务接待费, often 会议费 and 培训费 beside them). Each column is
read by what its stacked header says, never by its position:

* a merged header cell covers the columns below it (the readers put its text in its
  first column only), so 公务用车购置及运行费 is the parent of 小计 / 购置费 / 运行费 and
  预算数 / 决算数 / "2024年预算数" name the group a column belongs to;
* a final account (决算) reports what was spent: only the 决算数 group is read, whether
  the groups stand side by side or alternate item by item; a budget reads this year's
  预算数; a table whose groups cannot be told apart is not read (a check says so);
* the 三公 total is the sum of the three 三公 items. Where the table also prints 会议费
  and 培训费, its 合计 includes them: that 合计 is only checked against the items, and
  the 三公 total is a 小计 / "三公经费合计" column, or the exact sum of the items
  (marked derived) when that 合计 proves them;
* a blank cell is 0 only when the other cells of its row add up to the printed total
  it belongs to (marked derived); otherwise it stays null and a check says why;
* the split of 公务用车 into 购置 and 运行 is used only when both columns are there: a
  dump that lost one of them shifts the figures, and the sentence then gives the split.

Tables printed the other way round (items as rows, 预算数 / 决算数 as columns) are read
with the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..checks import within
from ..normalize import compact, parse_amount
from ..types import Check, Source
from .candidates import RANK_PROSE, RANK_PROSE_WEAK, RANK_TABLE, Pool
from .prose import find_after
from .tables import LogicalTable, Row, Section, is_total_label

__all__ = [
    "asset_table_vehicles",
    "procurement_table",
    "prose_three_public",
    "prose_vehicles",
    "settle_three_public",
    "three_public_table",
]

# The items whose sum is the 三公 total. 会议费 / 培训费 (``meetings`` / ``training``) are
# printed beside them in many tables but are never part of it.
_ITEMS = ("overseas", "vehicle_purchase", "vehicle_operation", "reception")
_BESIDE = ("meetings", "training")
_KEYS = ("total", *_ITEMS, *_BESIDE)
_NAMES = {
    "total": "“三公”经费合计",
    "overseas": "因公出国（境）费",
    "vehicle": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "reception": "公务接待费",
    "meetings": "会议费",
    "training": "培训费",
    "grand": "合计（含会议费、培训费）",
}

# ------------------------------------------------------------------ what a label names

_NUMBERING = re.compile(r"^(?:其中[:：]?|[(（]?[一二三四五六七八九十\d]{1,2}[)）、.．]|[:：])+")
_RECEPTION_PART = re.compile(r"外事接待|国内接待|外宾接待|境外接待")


def _item_of(text: str) -> str | None:
    """The figure a header or row label names: a key of ``_KEYS``, ``vehicle`` (公务用车
    购置及运行费), ``sum`` (a bare 合计 / 小计 / 总计), ``part`` (a part of an item, e.g.
    外事接待费) or None (not an item: 预算数, 单位名称 …)."""
    t = _NUMBERING.sub("", re.sub(r"[“”\"'‘’]", "", compact(text)))
    if not t:
        return None
    meetings, training = "会议" in t, "培训" in t
    if meetings or training:
        if meetings and training:
            return None  # 会议费、培训费 in one column: neither figure
        return "meetings" if meetings else "training"
    if "出国" in t:
        return "overseas"
    if "接待" in t:
        return "part" if _RECEPTION_PART.search(t) else "reception"
    if "公务用车" in t or "公车" in t or t.startswith(("购置", "运行")):
        buy, run = "购置" in t, "运行" in t or "维护" in t
        if buy and not run:
            return "vehicle_purchase"
        if run and not buy:
            return "vehicle_operation"
        return "vehicle"
    if "三公" in t:
        return "total"
    if re.fullmatch(r"(?:合计|总计|小计|总合计)数?", t):
        return "sum"
    return None


_GROUP_WORDS = re.compile(r"预算|决算|执行数|实际|上年|本年|当年|\d{4}年")
_CHANGE_WORDS = re.compile(r"增减|增长|下降|减少|差额|变动|比|%|％|率")
_ACTUAL_WORDS = re.compile(r"决算|执行数|实际")
_BUDGET_WORDS = re.compile(r"预算|安排")
_PRIOR_WORDS = re.compile(r"上年|上一年|去年|以前年度")
_YEAR = re.compile(r"(20\d{2})年")


_FUND_SCOPES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算")


def _is_group(text: str) -> bool:
    """预算数 / 决算数 / 2024年预算数 / 当年财政拨款预算安排: a column group's name (the
    fund a table covers, 一般公共预算, is not one)."""
    return bool(_GROUP_WORDS.search(_FUND_SCOPES.sub("", text))) and _item_of(text) in (
        None,
        "total",
    )


def _choose_group(groups: list[str], kind: str | None) -> tuple[str | None, str | None]:
    """The group whose figures the disclosure reports, or (None, why not).

    The latest year, this year (not 上年), and for a final account the 决算数 (for a
    budget the 预算数); change columns (增减, 比上年) are never read."""
    cands = [g for g in dict.fromkeys(groups) if not _CHANGE_WORDS.search(g)]
    if not cands:
        return None, "表中只有增减变化栏"
    years = [_YEAR.findall(g) for g in cands]
    if all(years):
        latest = max(max(y) for y in years)
        cands = [g for g, y in zip(cands, years, strict=True) if latest in y]
    cands = [g for g in cands if not _PRIOR_WORDS.search(g)]
    if not cands:
        return None, "表中只有上年的数字"
    plain = {g: _FUND_SCOPES.sub("", g) for g in cands}
    actual = [g for g in cands if _ACTUAL_WORDS.search(plain[g])]
    budget = [g for g in cands if _BUDGET_WORDS.search(plain[g]) and g not in actual]
    neutral = [g for g in cands if g not in actual and g not in budget]
    if kind == "final":
        cands = actual or neutral
        if not cands:
            return None, "决算表中只有预算数，没有决算数"
    elif kind == "budget":
        cands = budget or neutral
        if not cands:
            return None, "预算表中只有决算数，没有预算数"
    elif actual and budget:
        return None, "表中有预算数和决算数两组，无法判断文件是预算还是决算"
    if len(cands) > 1:
        return None, f"表中有{'、'.join(cands)}几组数字，无法确定采用哪一组"
    return cands[0], None


# ------------------------------------------------------------------ header structure


def _is_title_row(cells: list[str]) -> bool:
    texts = {c for c in cells if c}
    return len(texts) == 1 and bool(re.search(r"表|^(?:金额)?单位[:：]", next(iter(texts))))


@dataclass(frozen=True, slots=True)
class _HeaderCell:
    text: str
    row: int
    origin: int  # the column where a merged cell's text stands


def _header_grid(table: LogicalTable) -> list[list[_HeaderCell]]:
    """Header rows with merged cells spread over the columns they cover.

    A blank header cell belongs to the merged cell on its left when some row below it
    names a column of its own (公务用车购置及运行费 over 小计 / 购置费 / 运行费, 预算数 over
    a whole group) and the cells above it span both columns too; a blank cell with
    nothing below is the rest of a cell merged downwards and stays blank. A title or unit line kept inside the table ("…“三公”经费
    支出表", "单位：万元") is not a column name and is left out."""
    width = table.width
    header = [
        cells
        for r in table.header
        for cells in [[compact(c) for c in r.cells] + [""] * (width - len(r.cells))]
        if not _is_title_row(cells)
    ]
    grid: list[list[_HeaderCell]] = []
    for i, cells in enumerate(header):
        out: list[_HeaderCell] = []
        for j, text in enumerate(cells):
            if text:
                out.append(_HeaderCell(text, i, j))
            elif (
                j > 0
                and out[j - 1].text
                and any(header[k][j] for k in range(i + 1, len(header)))
                and all(grid[k][j].text == grid[k][j - 1].text for k in range(i))
            ):
                out.append(out[j - 1])
            else:
                out.append(_HeaderCell("", i, j))
        grid.append(out)
    return grid


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    item: str  # a key of _KEYS, "vehicle", "sum" (a bare 合计/小计) or "grand"
    group: str | None
    label: str  # the column's own header text


def _columns(table: LogicalTable) -> list[_Column]:
    grid = _header_grid(table)
    columns: list[_Column] = []
    for j in range(table.width):
        stack = [row[j] for row in grid if row[j].text]
        group = next((c.text for c in reversed(stack) if _is_group(c.text)), None)
        own_at = next(
            (k for k in range(len(stack) - 1, -1, -1) if _item_of(stack[k].text) is not None),
            None,
        )
        if own_at is None:
            continue
        own = stack[own_at]
        item = _item_of(own.text)
        if item == "part" or item is None:
            continue
        if item == "sum":
            # A 小计 under 公务用车购置及运行费 is the vehicle subtotal (under 公务接待费,
            # split into 国内 / 外事, the reception figure); under a "三公经费" group that
            # leaves 会议费 / 培训费 outside, it is the 三公 total.
            for parent in reversed(stack[:own_at]):
                kind = _item_of(parent.text)
                if kind in ("vehicle", "overseas", "reception", *_BESIDE):
                    item = kind
                    break
                if kind == "total":
                    span = _span(grid[parent.row], j)
                    covers_beside = any(
                        _item_of(grid[r][k].text) in _BESIDE
                        for k in span
                        for r in range(parent.row + 1, len(grid))
                    )
                    if not covers_beside:
                        item = "total"
                        break
        label = own.text
        if _item_of(own.text) == "sum" and own_at > 0 and item != "sum":
            label = f"{stack[own_at - 1].text} {own.text}"
        columns.append(_Column(j, item, group, label))
    return columns


def _span(row: list[_HeaderCell], j: int) -> range:
    """The columns a header cell covers: the run of cells around ``j`` with its text (a
    reader that repeats a merged cell's text in every position gives the same run)."""
    text = row[j].text
    lo, hi = j, j
    while lo > 0 and row[lo - 1].text == text:
        lo -= 1
    while hi + 1 < len(row) and row[hi + 1].text == text:
        hi += 1
    return range(lo, hi + 1)


def _resolve_sums(cols: list[_Column]) -> list[_Column]:
    """Bare 合计 / 小计 columns of one group: the 三公 total when nothing else is in the
    table; beside 会议费 / 培训费 the 合计 (总计) includes them and a 小计 is the 三公 total."""
    beside = any(c.item in _BESIDE for c in cols)
    sums = [c for c in cols if c.item == "sum"]
    out = [c for c in cols if c.item != "sum"]
    if not beside:
        out += [_Column(c.index, "total", c.group, c.label) for c in sums]
    else:
        for c in sums:
            item = "total" if c.label.startswith("小计") else "grand"
            out.append(_Column(c.index, item, c.group, c.label))
    return sorted(out, key=lambda c: c.index)


# ------------------------------------------------------------------ reading a table


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    label: str
    source: Source


def three_public_table(
    table: LogicalTable, pool: Pool, checks: list[Check], kind: str | None = None
) -> None:
    """Read the 三公 table: its 合计 row (or only data row), or, when the items are rows,
    the column of the figures the disclosure reports (``kind``: budget / final)."""
    columns = _columns(table)
    if columns:
        cells = _read_columns(table, columns, kind, checks)
    else:
        cells = _read_rows(table, kind, checks)
    if cells:
        _settle_row(table, cells, pool, checks)


def _layout_check(message: str) -> Check:
    return Check("info", "three_public_table_layout", message, "three_public")


def _pick(cols: list[_Column], checks: list[Check]) -> dict[str, _Column] | None:
    """One column per figure; a figure named twice in the same group is not read."""
    chosen: dict[str, _Column] = {}
    doubled: set[str] = set()
    for c in cols:
        if c.item in chosen:
            doubled.add(c.item)
        chosen.setdefault(c.item, c)
    for item in doubled:
        del chosen[item]
    if doubled:
        order = [*_KEYS[:2], "vehicle", *_KEYS[2:], "grand"]
        names = "、".join(_NAMES[i] for i in sorted(doubled, key=order.index))
        if not chosen:
            checks.append(
                _layout_check(
                    f"“三公”经费表中{names}等栏目各出现两次（未标明预算数/决算数），"
                    "表中数字未采用，以说明文字为准。"
                )
            )
            return None
        checks.append(
            _layout_check(f"“三公”经费表中{names}出现两次，这一栏未采用，以说明文字为准。")
        )
    return chosen


def _read_columns(
    table: LogicalTable, columns: list[_Column], kind: str | None, checks: list[Check]
) -> dict[str, _Cell] | None:
    groups = [c.group for c in columns if c.group is not None]
    cols = columns
    if groups:
        group, why = _choose_group(groups, kind)
        if group is None:
            checks.append(_layout_check(f"“三公”经费表：{why}，表中数字未采用。"))
            return None
        cols = [c for c in columns if c.group == group]
    cols = _resolve_sums(cols)
    picked = _pick(cols, checks)
    if not picked:
        return None
    rows = [r for r in table.body if any(parse_amount(c) is not None for c in r.cells)]
    if not rows:
        return None
    row = next((r for r in rows if any(is_total_label(c) for c in r.cells[:3])), rows[0])
    if len(row.cells) != len(table.labels):
        checks.append(_layout_check("“三公”经费表的表头与数据列数不一致，改用说明文字中的数字。"))
        return None
    return {
        item: _Cell(row.cells[c.index], c.label, _cell_source(row, c, row.cells[c.index]))
        for item, c in picked.items()
    }


def _cell_source(row: Row, column: _Column, text: str) -> Source:
    group = f"{column.group} " if column.group else ""
    return row.source(f"{group}{column.label} {text.strip()}".strip())


def _row_label(row: Row) -> tuple[str, int]:
    """The cell naming a row's figure and its column: the first cell that names an item
    before the figures (a 序号, code or unit column may stand before it)."""
    for j, cell in enumerate(row.cells):
        if _item_of(cell) is not None:
            return cell, j
        if parse_amount(cell) is not None and not re.fullmatch(r"\d{1,2}", compact(cell)):
            break  # a figure: the label, if any, came before it
    return "", -1


def _read_rows(
    table: LogicalTable, kind: str | None, checks: list[Check]
) -> dict[str, _Cell] | None:
    """Items as rows (因公出国（境）费 | 预算数 | 决算数 …)."""
    labelled: list[tuple[Row, str, str]] = []  # row, item, label text
    previous: str | None = None
    label_column = 0
    for row in table.body:
        label, at = _row_label(row)
        item = _item_of(label)
        if item is None or item == "part":
            continue
        numbered = compact(label).startswith("其中")
        if item == previous and numbered:
            continue  # "其中：外事接待费" style part of the item above
        if (
            item == "sum"
            and previous == "vehicle"
            and labelled
            and not _has_amount(labelled[-1][0])
        ):
            item = "vehicle"
        labelled.append((row, item, compact(label)))
        label_column = max(label_column, at)
        previous = item
    if len({item for _, item, _ in labelled}) < 2:
        return None
    grid = _header_grid(table)
    numeric = sorted(
        {
            j
            for row, _, _ in labelled
            for j, cell in enumerate(row.cells)
            if j > label_column and parse_amount(cell) is not None
        }
    )
    if not numeric:
        return None
    group_of: dict[int, str | None] = {}
    for j in numeric:
        stack = [row[j].text for row in grid if j < len(row) and row[j].text]
        group_of[j] = next((t for t in reversed(stack) if _is_group(t)), None)
    named = [g for g in group_of.values() if g is not None]
    if len(numeric) == 1 and not named:
        column = numeric[0]
    else:
        group, why = _choose_group(named, kind) if named else (None, "表中有几列数字，未标明哪一列")
        if group is None:
            checks.append(_layout_check(f"“三公”经费表：{why}，表中数字未采用。"))
            return None
        matching = [j for j in numeric if group_of[j] == group]
        if len(matching) != 1:
            checks.append(_layout_check(f"“三公”经费表：{group}一栏出现多次，表中数字未采用。"))
            return None
        column = matching[0]
    group_name = group_of.get(column)
    beside = any(item in _BESIDE for _, item, _ in labelled)
    cols: list[_Column] = []
    sources: dict[int, Row] = {}
    for n, (row, item, label) in enumerate(labelled):
        if item == "sum":
            item = "total" if not beside or label.startswith("小计") else "grand"
        cols.append(_Column(n, item, group_name, label))
        sources[n] = row
    picked = _pick(cols, checks)
    if not picked:
        return None
    out: dict[str, _Cell] = {}
    for item, c in picked.items():
        row = sources[c.index]
        text = row.cells[column] if column < len(row.cells) else ""
        out[item] = _Cell(text, c.label, _cell_source(row, c, text))
    return out


def _has_amount(row: Row) -> bool:
    return any(parse_amount(c) is not None for c in row.cells)


# ------------------------------------------------------------------ one row's figures


def _settle_row(
    table: LogicalTable, cells: dict[str, _Cell], pool: Pool, checks: list[Check]
) -> None:
    """Amounts of one row: blanks that the row's totals prove to be 0, the 三公 total
    (derived from the items when the table prints none), checks of the row's sums."""
    if ("vehicle_purchase" in cells) != ("vehicle_operation" in cells):
        cells = {
            k: v for k, v in cells.items() if k not in ("vehicle_purchase", "vehicle_operation")
        }
        checks.append(
            _layout_check(
                "“三公”经费表只有公务用车购置费或运行费其中一列，该列数字未采用，以说明文字为准。"
            )
        )
    values: dict[str, Decimal | None] = {}
    blank: set[str] = set()
    for key, cell in cells.items():
        text = compact(cell.text)
        if text in ("无", "零"):
            values[key] = Decimal(0)
            continue
        values[key] = table.amount(cell.text)
        if values[key] is None and parse_amount(cell.text) is None and not re.search(r"\d", text):
            blank.add(key)

    split = ["vehicle_purchase", "vehicle_operation"] if "vehicle_purchase" in cells else []
    vehicle = ["vehicle"] if "vehicle" in cells else split
    items = ["overseas", *vehicle, "reception"] if vehicle else []
    complete = bool(items) and all(k in cells for k in items)
    sums: list[tuple[str, list[str]]] = []
    if "vehicle" in cells and split:
        sums.append(("vehicle", split))
    if complete and "total" in cells:
        sums.append(("total", items))
    beside = [k for k in _BESIDE if k in cells]
    if "grand" in cells and beside:
        three = ["total"] if "total" in cells else items
        if complete or "total" in cells:
            sums.append(("grand", [*three, *beside]))

    derived: dict[str, str] = {}  # key -> the whole its 0 was derived from
    changed = True
    while changed:
        changed = False
        for whole, parts in sums:
            total = values.get(whole)
            unknown = [p for p in parts if values.get(p) is None]
            if total is None:
                # A blank total cell over printed parts is their sum.
                if whole in blank and whole != "grand" and not unknown:
                    values[whole] = sum((values[p] or Decimal(0) for p in parts), Decimal(0))
                    derived[whole] = "+".join(parts)
                    changed = True
                continue
            if not unknown or any(p not in blank for p in unknown):
                continue
            known = [v for v in (values.get(p) for p in parts) if v is not None]
            if within(total, known, slack_items=max(len(parts), 1)):
                for p in unknown:
                    values[p] = Decimal(0)
                    derived[p] = whole
                changed = True

    for whole, parts in sums:
        total = values.get(whole)
        if total is None:
            continue
        missing = [p for p in parts if values.get(p) is None]
        known = [v for v in (values.get(p) for p in parts) if v is not None]
        if missing and any(p in blank for p in missing):
            checks.append(
                Check(
                    "warning",
                    "three_public_table_sum",
                    f"“三公”经费表中{'、'.join(_NAMES.get(p, p) for p in missing)}为空，"
                    f"同一行其余各项之和 {_fmt(sum(known, Decimal(0)))} 与"
                    f"{_NAMES[whole] if whole != 'total' else '合计'} {_fmt(total)} 不符，"
                    "空白栏未按 0 采用。",
                    f"three_public.{missing[0] if missing[0] in _KEYS else 'total'}",
                )
            )
        elif not missing and whole != "total" and not within(total, known):
            checks.append(
                Check(
                    "warning",
                    "three_public_table_sum",
                    f"“三公”经费表中{_NAMES[whole]} {_fmt(total)} 不等于"
                    f"{'、'.join(_NAMES.get(p, p) for p in parts)}之和 "
                    f"{_fmt(sum(known, Decimal(0)))}。",
                    "three_public.total",
                )
            )

    # The 三公 total the table does not print is the items' sum only where the row's
    # 合计 (with 会议费 / 培训费) holds: then a printed figure stands behind it.
    grand_holds = any(
        whole == "grand"
        and values.get(whole) is not None
        and all(values.get(p) is not None for p in parts)
        and within(values[whole] or Decimal(0), [values[p] or Decimal(0) for p in parts])
        for whole, parts in sums
    )
    if "total" not in cells and complete and grand_holds:
        total = sum((values[k] or Decimal(0) for k in items), Decimal(0))
        first = cells[items[0]].source
        pool.add(
            "three_public.total",
            total,
            RANK_TABLE,
            Source(
                text=f"“三公”经费合计 = {' + '.join(_NAMES[k] for k in items)} = {_fmt(total)}"
                "（表中未单列，由各项相加）",
                page=first.page,
                block=first.block,
                row=first.row,
                derived=True,
            ),
            "table",
        )
    for key in _KEYS:
        if key not in cells:
            continue
        value = values.get(key)
        src = cells[key].source
        if key in derived:
            whole = derived[key]
            src = Source(
                text=f"{cells[key].label}（空白）= 0：同一行其余各项之和等于"
                f"{_NAMES.get(whole, whole)} {_fmt(values[whole] or Decimal(0))}"
                if whole in values
                else f"{cells[key].label} = {_fmt(value or Decimal(0))}（各项相加）",
                page=src.page,
                block=src.block,
                row=src.row,
                derived=True,
            )
        pool.add(f"three_public.{key}", value, RANK_TABLE, src, "table")


def _fmt(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


# ------------------------------------------------------------------ sentences

_LABELS = (
    ("total", r"[“\"‘']?三公[”\"’']?经费(?:财政拨款)?"),
    ("overseas", r"因公出国[（(]境[）)](?:经)?费(?:用)?"),
    ("vehicle_purchase", r"公务用车购置(?!及|和|与|运行)(?:费|经费)?"),
    ("vehicle_operation", r"公务用车运行(?:维护|维修)?(?:费|经费)?"),
    ("reception", r"公务接待(?:费|经费)?"),
)
_BESIDE_LABELS = (("meetings", r"会议费"), ("training", r"培训费"))
# Sentences about other money that lists 会议费 / 培训费 among its parts.
_OTHER_SCOPE = re.compile(r"机关运行|运行经费|运行费用|公用经费|政府性基金|国有资本")

# "无…" / "未安排…" / "没有…": what follows, up to the end of the clause, is a list of
# figures that are 0.
_NONE_WORDS = re.compile(r"(?:无|没有|未安排|未发生|未列支|未产生|不涉及)(?:安排)?")
_NONE_ITEMS = (
    (("vehicle_purchase", "vehicle_operation"), r"公务用车购置及运行(?:维护|维修)?(?:费|经费)?"),
    (("overseas",), r"因公出国[（(]境[）)](?:经)?费(?:用)?"),
    (("vehicle_purchase",), r"公务用车购置(?:费|经费)?"),
    (("vehicle_operation",), r"公务用车运行(?:维护|维修)?(?:费|经费)?"),
    (("reception",), r"公务接待(?:费|经费)?"),
    (("total", *_ITEMS), r"[“\"‘']?三公[”\"’']?经费"),
    (("meetings",), r"会议费"),
    (("training",), r"培训费"),
)
_NONE_FILLER = re.compile(r"(?:[、和及与,，]|预算|支出|决算|安排|财政拨款|资金|经费|费用)*")
_NONE_AFTER = re.compile(
    r"(?P<label>[“\"‘']?三公[”\"’']?经费|因公出国[（(]境[）)](?:经)?费(?:用)?|公务用车购置(?:费|经费)?|"
    r"公务用车运行(?:维护|维修)?(?:费|经费)?|公务接待(?:费|经费)?|会议费|培训费)"
    r"(?:预算|支出|决算)?(?:数)?\s*(?:为|[:：])?\s*(?:无|零)(?=[，。；;,、)）]|$)"
)


def _stated_none(text: str) -> list[tuple[tuple[str, ...], int, int]]:
    """(keys, start, end) of every figure a sentence says there is none of."""
    found: list[tuple[tuple[str, ...], int, int]] = []
    for neg in _NONE_WORDS.finditer(text):
        if _PRIOR_WORDS.search(text, 0, neg.start()):
            continue  # "上年无…" says nothing about this year
        pos = neg.end()
        while True:
            for keys, pattern in _NONE_ITEMS:
                m = re.compile(pattern).match(text, pos)
                if m:
                    found.append((keys, neg.start(), m.end()))
                    pos = _NONE_FILLER.match(text, m.end()).end()  # type: ignore[union-attr]
                    break
            else:
                break
    for m in _NONE_AFTER.finditer(text):
        if _PRIOR_WORDS.search(text, 0, m.start()):
            continue
        label = m.group("label")
        for keys, pattern in _NONE_ITEMS:
            if re.fullmatch(pattern, label):
                found.append((keys, m.start(), m.end()))
                break
    return found


def prose_three_public(sections: list[Section], pool: Pool) -> None:
    """三公 figures stated in sentences; those under a 三公 heading rank higher.

    会议费 / 培训费 are read only where the sentence or its heading is about 三公 (or about
    them), never from a list of what 机关运行经费 pays for. "无…" / "未安排…" is 0."""
    for sec in sections:
        text = sec.text
        in_section = "三公" in sec.context or "三公" in text
        rank = RANK_PROSE if in_section else RANK_PROSE_WEAK
        if "政府性基金" in sec.context:
            continue
        for key, label in _LABELS:
            for m in find_after(label, text):
                pool.add(f"three_public.{key}", m.value, rank, sec.source(m.start, m.end), "prose")
        beside_section = in_section or bool(re.search(r"会议费|培训费", sec.context))
        if beside_section and not _OTHER_SCOPE.search(sec.context):
            clauses = _clauses(text)
            for key, label in _BESIDE_LABELS:
                for m in find_after(label, text):
                    start, end = next(c for c in clauses if c[0] <= m.start < c[1])
                    if _OTHER_SCOPE.search(text[start:end]):
                        continue
                    pool.add(
                        f"three_public.{key}",
                        m.value,
                        RANK_PROSE,
                        sec.source(m.start, m.end),
                        "prose",
                    )
        if not in_section and not beside_section:
            continue
        for start, end in _clauses(text):
            clause = text[start:end]
            if _OTHER_SCOPE.search(clause):
                continue
            for keys, m_start, m_end in _stated_none(clause):
                for key in keys:
                    if key in _BESIDE and not beside_section:
                        continue
                    pool.add(
                        f"three_public.{key}",
                        Decimal(0),
                        RANK_PROSE + 1,
                        sec.source(start + m_start, start + m_end),
                        "prose",
                    )


def _clauses(text: str) -> list[tuple[int, int]]:
    """Sentences of a paragraph (split at 。；!?) as (start, end)."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[。；;！？!?]", text):
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def settle_three_public(pool: Pool) -> None:
    """Items a document leaves out are 0 when the items it states already add up to
    the 三公 total (items cannot be negative); the 0 is marked derived."""
    total = pool.value("three_public.total")
    if total is None:
        return
    stated = {k: pool.value(f"three_public.{k}") for k in _ITEMS}
    missing = [k for k, v in stated.items() if v is None]
    known = [v for v in stated.values() if v is not None]
    if not missing or not within(total, known, slack_items=len(_ITEMS)):
        return
    best = pool.best("three_public.total")
    assert best is not None
    for key in missing:
        pool.add(
            f"three_public.{key}",
            Decimal(0),
            RANK_PROSE_WEAK,
            Source(
                text=f"{_NAMES[key]}未列出 = 0：已列出的各项之和等于“三公”经费合计 {_fmt(total)}",
                page=best.source.page,
                block=best.source.block,
                row=best.source.row,
                derived=True,
            ),
            "prose",
        )


# ------------------------------------------------------------------ vehicles, procurement

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
