"""Totals (EXTRACTION.md "totals"): from 收支总表 rows, 合计 rows and sentences.

收支总表 rows are read as label/amount pairs, income on the left, expenditure on the
right (or, in a one-column table, income rows then expenditure rows). Income rows are
tracked by section: the funding-source rows (一般公共预算拨款…) count as this year's
income only when the table separates this year from carry-over (a 本年收入 row, or a
上年结转 row after them); a "收入合计" row after the carry-over is the grand total.

All funds vs 财政拨款: the 收支总表 of all funds gives the department's totals. A
财政拨款收支总表 (by its own title, else by its columns) gives the funding-source fields;
its totals are only the 财政拨款 part and stand for the department only when the
document shows all its funds are 财政拨款 (:func:`settle_fiscal`).

Sentences rank below tables; a number a change word precedes is never read
(:func:`.prose.is_change`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..normalize import compact, parse_amount
from ..types import Check, Source
from .candidates import (
    RANK_PROSE,
    RANK_PROSE_WEAK,
    RANK_TABLE,
    RANK_TABLE_FISCAL,
    Candidate,
    Pool,
)
from .prose import AMOUNT, find_after, is_change
from .tables import LogicalTable, Row, Section, has_cjk, is_total_label

__all__ = [
    "prose_totals",
    "settle_fiscal",
    "settle_income_stated",
    "summary_table_totals",
    "table_kind",
    "total_row_totals",
]

_TOL = Decimal("0.005")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|其中[:：])"
)


_SUMMARY_TITLE = re.compile(r"收支.{0,6}总表|收入支出.{0,4}总表|收支决算总表|收支预算总表")
# A paragraph above a table that is not its title: the note under the previous table
# ("注：本表反映财政拨款收支情况。") or a sentence.
_NOTE = re.compile(r"^(?:注|备注|说明|数据来源)[\d一二三四五六七八九十]*[:：]|。$")
# Income or column labels only a table of all funds has.
_NON_FISCAL = re.compile(
    r"事业收入|事业单位经营|经营收入|其他收入|上级补助|附属单位|财政专户|单位资金|自有资金|"
    r"非财政拨款|用事业基金"
)
_FUND_COLUMNS = ("一般公共预算", "政府性基金", "国有资本")


def _summary_scope(table: LogicalTable, title: str | None) -> str:
    """ "summary_fiscal" for a 财政拨款收支总表, else "summary" (all funds).

    The table's own title decides when it names 财政拨款 (a note left under the table
    before does not count). A title that does not say (cut, wrapped onto two lines,
    missing) leaves it to the columns: expenditure split into 一般公共预算 / 政府性基金 /
    国有资本经营 columns and nothing that only all funds have (事业收入, 其他收入,
    财政专户 …) is a 财政拨款 table."""
    if title and "财政拨款" in title:
        return "summary_fiscal"
    labels = " ".join(table.labels)
    funds = sum(1 for f in _FUND_COLUMNS if f in labels)
    row_text = " ".join(compact(c) for r in table.body for c in r.cells if has_cjk(c))
    if funds >= 2 and not _NON_FISCAL.search(labels) and not _NON_FISCAL.search(row_text):
        return "summary_fiscal"
    return "summary"


_INCOME_END = re.compile(r"^(?:本年收入合计|收入总计|收入合计)$")
_EXPENDITURE_END = re.compile(r"^(?:本年支出合计|支出总计|支出合计)$")


def _looks_like_summary(table: LogicalTable) -> bool:
    """An untitled table whose rows close both an income and an expenditure side."""
    labels = {_label(c) for r in table.body for c in r.cells if has_cjk(c)}
    return any(_INCOME_END.match(x) for x in labels) and any(
        _EXPENDITURE_END.match(x) for x in labels
    )


def table_kind(table: LogicalTable) -> str | None:
    """What a table is, from its title (and header when the title is silent)."""
    title = table.title
    head = " ".join(table.labels)
    both = title + " " + head
    if "三公" in title and "政府性基金" not in title:
        return "three_public"
    own = [p for p in title.split(" ") if _SUMMARY_TITLE.search(p) and not _NOTE.search(p)]
    if own:
        return _summary_scope(table, own[-1])
    if _SUMMARY_TITLE.search(title):
        return _summary_scope(table, title)
    if "政府采购" in title:
        return "procurement"
    if re.search(r"资产", title):
        return "assets"
    if "基本支出" in title and "政府经济分类" not in title:
        return "economic_basic"
    if re.search(r"收入", title) and "支出" not in title:
        return "income"
    if "政府性基金" in title or "国有资本" in title or "项目支出" in title:
        return None
    if "一般公共预算" in title and "支出" in title and "政府经济分类" not in title:
        return "functional_general"
    if (
        re.search(r"支出(?:预算|决算)?总表|部门支出(?:预算|决算)表|^支出决算表|\s支出决算表", title)
        and "财政拨款" not in title
    ):
        return "functional_department"
    if _looks_like_summary(table):
        return _summary_scope(table, None)
    if not title.strip() and re.search(r"科目", both):
        return "untitled"
    return None


def _label(text: str) -> str:
    t = compact(text)
    t = _NUMBERING.sub("", t)
    return t


_INCOME_TOTAL = re.compile(r"^(?:本年收入合计|本年收入小计|本年收入|收入本年合计)$")
_INCOME_ANY_TOTAL = re.compile(r"^收入合计$")
_GRAND_IN = re.compile(r"^(?:收入)?总计$")  # 决算 总表 say just 总计 on each side
_CARRY_IN = re.compile(r"^(?:上年结转(?:和结余|结余)?(?:资金|收入)?|年初结转和结余|上年结余)$")
_EXP_TOTAL = re.compile(r"^(?:本年支出合计|本年支出小计|本年支出)$")
_EXP_ANY_TOTAL = re.compile(r"^支出合计$")
_GRAND_OUT = re.compile(r"^(?:支出)?总计$")
_CARRY_OUT = re.compile(r"^(?:结转下年(?:资金)?|年末结转和结余|年末结转结余)$")
_SOURCES = (
    ("general_public_budget_income", re.compile(r"^一般公共预算(?:财政)?(?:拨款)?(?:收入|资金)?$")),
    ("government_fund_income", re.compile(r"^政府性基金预算(?:财政)?(?:拨款)?(?:收入|资金)?$")),
    ("state_capital_income", re.compile(r"^国有资本经营预算(?:财政)?(?:拨款)?(?:收入|资金)?$")),
)


def _year_columns(table: LogicalTable) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(label column, value column) of the income and expenditure sides when a summary
    table compares years (2022年预算数 | 2023年预算数, or 上年 | 本年); None otherwise.

    The document's own figures are the latest year's, never the previous year's.
    """
    labels = table.labels
    label_cols = [
        j
        for j, lab in enumerate(labels)
        if re.search(r"项目|科目|收入|支出", lab) and not re.search(r"\d|数|金额", lab)
    ]
    if len(label_cols) < 2:
        return None
    sides = []
    for k, label_at in enumerate(label_cols[:2]):
        end = label_cols[k + 1] if k + 1 < len(label_cols) else len(labels)
        columns = range(label_at + 1, end)
        years = [(j, int(y)) for j in columns for y in re.findall(r"(20\d\d)\s*年", labels[j])]
        if len({y for _, y in years}) >= 2:
            latest = max(y for _, y in years)
            sides.append((label_at, min(j for j, y in years if y == latest)))
        elif any("上年" in labels[j] for j in columns) and any(
            "本年" in labels[j] for j in columns
        ):
            sides.append((label_at, next(j for j in columns if "本年" in labels[j])))
        else:
            return None
    return sides[0], sides[1]


# Figures of the whole department: in a 财政拨款收支总表 the same rows state only the
# 财政拨款 part, kept apart under "_fiscal.<key>" (see :func:`settle_fiscal`).
_ALL_FUNDS_KEYS = (
    "income_total",
    "carryover_income",
    "grand_total",
    "expenditure_total",
    "carryforward",
    "basic_expenditure",
    "project_expenditure",
)
_BARE_TOTAL = re.compile(r"^合计$")
_BASIC_ROW = re.compile(r"^基本支出(?:合计)?$")
_PROJECT_ROW = re.compile(r"^项目支出(?:合计)?$")
_ROW_LABELS = (
    _INCOME_TOTAL,
    _INCOME_ANY_TOTAL,
    _GRAND_IN,
    _CARRY_IN,
    _EXP_TOTAL,
    _EXP_ANY_TOTAL,
    _GRAND_OUT,
    _CARRY_OUT,
    _BASIC_ROW,
    _PROJECT_ROW,
    *(pattern for _, pattern in _SOURCES),
)


@dataclass(frozen=True, slots=True)
class _Pair:
    """One label cell of a 收支总表 with the value cell beside it."""

    label: str  # compacted, item numbering removed
    numbered: bool  # the cell starts a numbered item ("二、…"), never a continuation
    raw: str  # the value cell as printed
    position: int  # index of the row in the table body
    row: Row


def _known(label: str) -> bool:
    return any(p.match(label) for p in _ROW_LABELS)


def _join_wrapped(pairs: list[_Pair]) -> list[_Pair]:
    """Labels wrapped inside their cell over two rows ("二、政府性基金预算拨" / "款收入",
    "本年收入" / "合计 3,300.00") joined back: two neighbouring rows of one side, one
    without a value, whose texts together make a row label neither makes alone."""
    out: list[_Pair] = []
    i = 0
    while i < len(pairs):
        p = pairs[i]
        q = pairs[i + 1] if i + 1 < len(pairs) else None
        if (
            q is not None
            and q.position == p.position + 1
            and not q.numbered
            and (parse_amount(p.raw) is None) != (parse_amount(q.raw) is None)
            and _known(p.label + q.label)
            and not (_known(p.label) and _known(q.label))
        ):
            value = p if parse_amount(p.raw) is not None else q
            out.append(_Pair(p.label + q.label, p.numbered, value.raw, p.position, value.row))
            i += 2
            continue
        out.append(p)
        i += 1
    return out


def _pairs(table: LogicalTable) -> tuple[list[_Pair], list[_Pair]]:
    """The income side's and the expenditure side's (label, value) pairs."""
    # Which column starts the expenditure side: the header cell that says 支出.
    split = None
    for r in table.header:
        for j, c in enumerate(r.cells):
            if j > 0 and "支出" in compact(c) and split is None:
                split = j
    pairs_in: list[_Pair] = []
    pairs_out: list[_Pair] = []

    def pair(text: str, raw: str, position: int, row: Row) -> _Pair:
        return _Pair(_label(text), bool(_NUMBERING.match(compact(text))), raw, position, row)

    layout = _year_columns(table)
    found: list[tuple[int, _Pair]] = []  # (column, pair)
    for position, row in enumerate(table.body):
        cells = row.cells
        if layout is not None:
            # Several years side by side: read each side's label with its latest year.
            for side, (label_at, value_at) in zip((pairs_in, pairs_out), layout, strict=True):
                if label_at < len(cells) and has_cjk(cells[label_at]):
                    raw = cells[value_at] if value_at < len(cells) else ""
                    side.append(pair(cells[label_at], raw, position, row))
            continue
        j = 0
        while j < len(cells):
            text = cells[j]
            if has_cjk(text) and table.amount(text) is None:
                raw = cells[j + 1] if j + 1 < len(cells) else ""
                found.append((j, pair(text, raw, position, row)))
                j += 2
            else:
                j += 1
    if layout is None:
        if split is None and found and all(j < 2 for j, _ in found):
            # One label column (收入 rows, then 支出 rows): the side changes at the first
            # row that names an expenditure.
            side = pairs_in
            for _, p in found:
                if "支出" in p.label:
                    side = pairs_out
                side.append(p)
        else:
            for j, p in found:
                side_out = (split is not None and j >= split) or (split is None and j >= 2)
                (pairs_out if side_out else pairs_in).append(p)
    return _join_wrapped(pairs_in), _join_wrapped(pairs_out)


def _title_row(cells: tuple[str, ...]) -> str | None:
    """A row holding only a table's title ("财政拨款收支总表" across the whole width)."""
    texts = {compact(c) for c in cells if c.strip()}
    if len(texts) != 1:
        return None
    text = next(iter(texts))
    if "表" not in text or len(text) > 60 or parse_amount(text) is not None:
        return None
    return text


def _parts(table: LogicalTable) -> list[tuple[LogicalTable, str | None]]:
    """The tables a logical table holds: another table printed right after this one
    with its title in its first row (no paragraph between) arrives joined to it. Each
    part with its own title row (None for the first)."""
    cuts = [
        i
        for i, r in enumerate(table.rows)
        if i >= table.header_count and i > 0 and _title_row(r.cells)
    ]
    if not cuts:
        return [(table, None)]
    parts: list[tuple[LogicalTable, str | None]] = [
        (_sub_table(table, table.rows[: cuts[0]], table.header_count), None)
    ]
    for k, at in enumerate(cuts):
        rows = table.rows[at + 1 : cuts[k + 1] if k + 1 < len(cuts) else len(table.rows)]
        header = 0
        while header < len(rows) and not any(
            parse_amount(c) is not None for c in rows[header].cells
        ):
            header += 1
        parts.append((_sub_table(table, rows, header), _title_row(table.rows[at].cells)))
    return parts


def _sub_table(table: LogicalTable, rows: list[Row], header: int) -> LogicalTable:
    width = max((len(r.cells) for r in rows), default=0)
    labels = [
        " ".join(
            compact(r.cells[j]) for r in rows[:header] if j < len(r.cells) and r.cells[j].strip()
        )
        for j in range(width)
    ]
    return LogicalTable(
        title=table.title,
        unit=table.unit,
        unit_stated=table.unit_stated,
        rows=list(rows),
        header_count=header,
        labels=labels,
    )


def summary_table_totals(table: LogicalTable, pool: Pool, checks: list[Check]) -> None:
    """Read one 收支总表 (all funds) or 财政拨款收支总表 into the pool.

    A 财政拨款 table's funding-source rows are the department's own fields
    (general_public_budget_income …); its totals are only the 财政拨款 part and go to
    "_fiscal.<key>", never to the department's totals. A table joined to it (its title
    in its own first row) is read by its own title, or not at all when it is not a
    收支总表."""
    for part, title in _parts(table):
        if title is None:
            _read_summary(part, table_kind(table) == "summary_fiscal", pool, checks)
        elif _SUMMARY_TITLE.search(title):
            _read_summary(part, _summary_scope(part, title) == "summary_fiscal", pool, checks)


def _read_summary(table: LogicalTable, fiscal: bool, pool: Pool, checks: list[Check]) -> None:
    rank = RANK_TABLE_FISCAL if fiscal else RANK_TABLE

    def key(name: str) -> str:
        return f"_fiscal.{name}" if fiscal and name in _ALL_FUNDS_KEYS else f"totals.{name}"

    def add(name: str, value: Decimal | None, src: Source) -> None:
        pool.add(key(name), value, RANK_TABLE, src, "table")

    pairs_in, pairs_out = _pairs(table)
    has_current_marker = any(_INCOME_TOTAL.match(p.label) for p in pairs_in)
    has_carry = any(_CARRY_IN.match(p.label) for p in pairs_in)
    section = "current"
    seen_carry = sources_seen = stated_in = False
    bare_in: _Pair | None = None
    for p in pairs_in:
        lbl = p.label
        value = table.amount(p.raw)
        src = p.row.source()
        if _INCOME_TOTAL.match(lbl):
            add("income_total", value, src)
            stated_in = True
            # "一、本年收入" above its sources opens the section; "本年收入合计" below
            # them closes it.
            if sources_seen or "计" in lbl:
                section = "after"
        elif _INCOME_ANY_TOTAL.match(lbl):
            add("grand_total" if seen_carry else "income_total", value, src)
            stated_in = True
            section = "after"
        elif _GRAND_IN.match(lbl):
            add("grand_total", value, src)
            stated_in = True
            section = "after"
        elif _BARE_TOTAL.match(lbl):
            bare_in = bare_in or p
        elif _CARRY_IN.match(lbl):
            if not seen_carry:
                add("carryover_income", value, src)
            seen_carry = True
            section = "carry"
        elif section == "current" and (has_current_marker or has_carry):
            for name, pattern in _SOURCES:
                if pattern.match(lbl):
                    pool.add(f"totals.{name}", value, rank, src, "table")
                    sources_seen = True
    seen_carry_out = stated_out = False
    bare_out: _Pair | None = None
    for p in pairs_out:
        lbl = p.label
        value = table.amount(p.raw)
        src = p.row.source()
        if _EXP_TOTAL.match(lbl):
            add("expenditure_total", value, src)
            stated_out = True
        elif _EXP_ANY_TOTAL.match(lbl):
            if seen_carry_out:
                _grand_out(pool, key("grand_total"), value, src, checks)
            else:
                add("expenditure_total", value, src)
            stated_out = True
        elif _GRAND_OUT.match(lbl):
            _grand_out(pool, key("grand_total"), value, src, checks)
            stated_out = True
        elif _BARE_TOTAL.match(lbl):
            bare_out = bare_out or p
        elif _CARRY_OUT.match(lbl):
            add("carryforward", value, src)
            seen_carry_out = True
        elif _BASIC_ROW.match(lbl):
            add("basic_expenditure", value, src)
        elif _PROJECT_ROW.match(lbl):
            add("project_expenditure", value, src)
    if (
        bare_in is not None
        and bare_out is not None
        and not (stated_in or stated_out or seen_carry or seen_carry_out)
    ):
        # A table with no carry-over rows whose two sides end in a plain "合计": a
        # 收支总表 balances, so what comes in — this year's income with any carry-over
        # inside its source rows — is the 收入总计.
        value_in, value_out = table.amount(bare_in.raw), table.amount(bare_out.raw)
        if value_in is not None and value_out is not None and abs(value_in - value_out) <= _TOL:
            add("grand_total", value_in, bare_in.row.source())


def _grand_out(
    pool: Pool, key: str, value: Decimal | None, src: Source, checks: list[Check]
) -> None:
    """支出总计 must equal 收入总计; it is only recorded as a second witness."""
    if value is None:
        return
    # The 收入总计 of the same table (the row the 支出总计 is printed on).
    income = [
        c for c in pool.candidates(key) if c.origin == "table" and c.source.block == src.block
    ]
    if income and abs(income[0].value - value) > _TOL:
        checks.append(
            Check(
                "warning",
                "grand_total_mismatch",
                f"收入总计 {income[0].value} 与支出总计 {value} 不相等。",
                "totals.grand_total",
            )
        )
    elif not income:
        pool.add(key, value, RANK_TABLE, src, "table")


_KEY_WORDS = {
    "income_total": "本年收入合计",
    "carryover_income": "上年结转",
    "grand_total": "收入总计",
    "expenditure_total": "本年支出合计",
    "carryforward": "结转下年",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
}


def _first_table(pool: Pool, key: str) -> Candidate | None:
    return next((c for c in pool.candidates(key) if c.origin == "table"), None)


def settle_fiscal(pool: Pool, checks: list[Check]) -> None:
    """Decide what the 财政拨款收支总表's totals may say about the whole department.

    They are the 财政拨款 part only. They stand for the department when the document
    shows that all its funds are 财政拨款: its 收入总计 (all funds, from a table or a
    sentence) equals the 财政拨款 收入总计 — every part of all funds is at least its
    财政拨款 part, so equal sums make every part equal. Otherwise a total only the
    财政拨款 table states stays null (a check says so), and an all-funds total below its
    财政拨款 part is a contradiction the reviewer sees."""
    fiscal_grand = _first_table(pool, "_fiscal.grand_total")
    grand = pool.best("totals.grand_total")
    all_fiscal = (
        fiscal_grand is not None
        and grand is not None
        and grand.rank <= RANK_PROSE
        and abs(grand.value - fiscal_grand.value) <= _TOL
    )
    for name in _ALL_FUNDS_KEYS:
        fiscal = _first_table(pool, f"_fiscal.{name}")
        if fiscal is None:
            continue
        key = f"totals.{name}"
        if all_fiscal and not pool.has(key, RANK_TABLE):
            pool.add(key, fiscal.value, RANK_TABLE_FISCAL, fiscal.source, "table")
            continue
        best = pool.best(key)
        word = _KEY_WORDS[name]
        if best is None or best.rank > RANK_PROSE:
            checks.append(
                Check(
                    "info",
                    "fiscal_only",
                    f"{word}只见于财政拨款收支总表（{_fmt(fiscal.value)} 万元），那只是财政拨款"
                    "部分，不是部门全部资金，未作为部门数。",
                    key,
                )
            )
        elif best.value + _TOL < fiscal.value:
            checks.append(
                Check(
                    "warning",
                    "fiscal_exceeds_all_funds",
                    f"部门{word} {_fmt(best.value)} 万元小于财政拨款收支总表的 "
                    f"{_fmt(fiscal.value)} 万元；部门全部资金不应少于其中的财政拨款。",
                    key,
                )
            )


def _fmt(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


_PERSONNEL_TOTAL = re.compile(r"^人员(?:经费|支出)(?:合计|小计)$")
_PUBLIC_TOTAL = re.compile(r"^(?:日常)?公用(?:经费|支出)(?:合计|小计)$")


def _labelled_totals(table: LogicalTable, pool: Pool) -> bool:
    """ "人员经费合计 … 650 | 公用经费合计 … 160": the side-by-side layout's total row."""
    found = False
    for row in table.body:
        cells = row.cells
        for j, cell in enumerate(cells):
            label = compact(cell)
            key = (
                "totals.personnel_expenditure"
                if _PERSONNEL_TOTAL.match(label)
                else "totals.public_expenditure"
                if _PUBLIC_TOTAL.match(label)
                else None
            )
            if key is None:
                continue
            value = next(
                (table.amount(c) for c in cells[j + 1 :] if table.amount(c) is not None), None
            )
            if value is not None:
                pool.add(key, value, RANK_TABLE, row.source(), "table")
                found = True
    return found


def _is_total_row(table: LogicalTable, cells: tuple[str, ...]) -> bool:
    """A 合计 row: "合计" in a label cell before the first amount, wherever the table's
    code columns (类 | 款 | 项 | 科目编码, left blank on this row) put it."""
    for c in cells:
        if is_total_label(c):
            return True
        if table.amount(c) is not None:
            return False
    return False


def total_row_totals(table: LogicalTable, kind: str, pool: Pool) -> None:
    """合计 row of the department's functional table (basic/project/all) and of the
    basic-expenditure table (人员经费/公用经费)."""
    if kind == "economic_basic" and _labelled_totals(table, pool):
        return
    for row in table.body:
        cells = row.cells
        if not _is_total_row(table, cells):
            continue
        src = row.source()
        if kind == "functional_department":
            total_col = table.column("合计", "总计", "小计")
            basic_col = table.column("基本支出", exclude=("合计",))
            project_col = table.column("项目支出")
            _from_col(table, cells, total_col, "totals.expenditure_total", pool, src)
            _from_col(table, cells, basic_col, "totals.basic_expenditure", pool, src)
            _from_col(table, cells, project_col, "totals.project_expenditure", pool, src)
        elif kind == "economic_basic":
            _from_col(
                table,
                cells,
                table.column("人员经费", "人员支出"),
                "totals.personnel_expenditure",
                pool,
                src,
            )
            _from_col(
                table,
                cells,
                table.column("公用经费", "公用支出"),
                "totals.public_expenditure",
                pool,
                src,
            )
        return


def _from_col(
    table: LogicalTable,
    cells: tuple[str, ...],
    col: int | None,
    key: str,
    pool: Pool,
    src: Source,
) -> None:
    # Header and body can be off by one where the dump merged cells; accept the
    # column only when the row is as wide as the header.
    if col is None or col >= len(cells) or len(cells) < len(table.labels):
        return
    pool.add(key, table.amount(cells[col]), RANK_TABLE, src, "table")


# ------------------------------------------------------------------------ prose

# Keys that describe the whole department; a sentence about 财政拨款 or 一般公共预算
# states a narrower figure under the same words.
_DEPARTMENT_WIDE = {
    "income_total",
    "carryover_income",
    "grand_total",
    "expenditure_total",
    "carryforward",
    "basic_expenditure",
    "project_expenditure",
}
_NARROW_CONTEXT = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本")

_PROSE_LABELS: tuple[tuple[str, str], ...] = (
    ("income_total", r"本年收入(?:合计)?"),
    # "支出预算" must not be the tail of another label ("…费支出预算为 0.00 万元").
    (
        "expenditure_total",
        r"本年支出(?:合计)?|(?:(?<=年)|(?<=部门)|(?<![\u4e00-\u9fff]))"
        r"(?:支出预算|支出决算总?(?:数)?)",
    ),
    ("grand_total", r"(?<!财政拨款)收[、，,]?支总(?:预算|决算|计)|收入总计"),
    ("carryover_income", r"上年结转(?:和结余|结余)?(?:资金|收入)?|年初结转和结余(?:资金)?"),
    ("carryforward", r"结转下年(?:资金)?|年末结转和结余(?:资金)?"),
    (
        "general_public_budget_income",
        r"一般公共预算(?:财政)?拨款(?:收入|资金)?|一般公共预算(?:收入|资金)",
    ),
    (
        "government_fund_income",
        r"政府性基金预算(?:财政)?拨款(?:收入|资金)?|政府性基金(?:预算)?收入|(?<!政府性)基金预算(?:财政)?拨款(?:收入)?",
    ),
    (
        "state_capital_income",
        r"国有资本经营预算(?:财政)?拨款(?:收入|资金)?|国有资本经营(?:预算)?收入",
    ),
    ("basic_expenditure", r"基本支出"),
    ("project_expenditure", r"项目支出"),
    ("personnel_expenditure", r"人员经费"),
    ("public_expenditure", r"(?:日常)?公用经费"),
    ("operating_expenditure", r"机关运行(?:经费|费用|费)"),
    ("procurement_total", r"政府采购(?:预算|支出|资金)?(?:总额|总金额|合计|总计)?"),
)
_TIGHT = {"general_public_budget_income", "government_fund_income", "state_capital_income"}
_ITEM_MARKER = re.compile(r"[（(](?:类|款|项)[）)]")
_SECOND_AMOUNT = re.compile(r"\s*(?:万元)?\s*[、和与及]\s*([\d,，.]+)\s*万元")
# Not the tail of another label ("基金预算收入0万元").
_INCOME_STATED = re.compile(r"(?:(?<=年)|(?<=部门)|(?<![\u4e00-\u9fff]))(?:预算收入|收入预算)")
_CARRY_WORD = re.compile(r"上年结转|年初结转|结转和结余")
_PAIRED_GRAND = re.compile(
    r"(?<!财政拨款)收\s*、\s*支总计\s*"
    + AMOUNT.replace("?P<num>", "?P<a>").replace("?P<unit>", "?P<ua>")
    + r"\s*、\s*"
    + AMOUNT.replace("?P<num>", "?P<b>").replace("?P<unit>", "?P<ub>")
)
_FISCAL_GRAND = r"财政拨款收(?:入)?支(?:出)?总(?:计|预算|决算)(?:数)?"
_TOTAL_LIST = re.compile(
    r"(?P<label>预算支出|支出预算|本年支出)[:：][^。]*?(?:共计|合计|总计)\s*" + AMOUNT
)
_NO_PROCUREMENT = re.compile(r"(?:没有|未)(?:实施|安排)?(?:政府采购)|无政府采购")
_NO_OPERATING = re.compile(
    r"(?:无|没有|未安排|未列|不涉及)(?:安排)?机关运行(?:经费|费用|费)|"
    r"机关运行(?:经费|费用|费)[:：]?(?:为)?无(?![\u4e00-\u9fff])"
)
# "本年收入合计 1,000.00 万元，其中,一般公共预算 321.09 万元，政府性基金预算 0 万元":
# a fund named bare (no 拨款/收入/资金 after it) in the list under a total.
_FUND_PART = re.compile(
    r"(?P<fund>一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?)"
    r"(?!拨款|收入|资金|财政|支出|预算)[:：]?\s*(?:为\s*)?"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)(?![\d.%])\s*(?P<unit>万元|千元|亿元|元|万(?![\u4e00-\u9fff]))?"
)
_FUND_KEYS = {
    "一般公共预算": "general_public_budget_income",
    "政府性基金": "government_fund_income",
    "国有资本经营": "state_capital_income",
}
# What the head of a "其中" list totals: this year's income, income with carry-over, or
# something else (支出, 政府采购, 三公 …) the fund parts say nothing about.
_HEAD_WORD = re.compile(
    r"(?P<income>本年收入|收入预算|预算收入)|(?P<grand>收入总计|收支总|总收入)|"
    r"(?P<other>支出|采购|三公|经费|结转)"
)
# Subjects other than the department's whole expenditure a sentence may be about.
_OTHER_SUBJECT = re.compile(r"三公|费|采购|项目|基本支出|工资|资本性|一般公共预算|基金|国有资本")
_PROCUREMENT_PARTS = re.compile(r"货物|工程|服务|中小企业|小微")


def prose_totals(sections: list[Section], pool: Pool, checks: list[Check]) -> None:
    """Collect totals stated in sentences (ranked below tables)."""
    from ..normalize import parse_amount, to_wan

    for sec in sections:
        text = sec.text
        narrow_heading = bool(
            re.search(r"财政拨款收|一般公共预算|政府性基金|国有资本", sec.context)
        )
        for key, label in _PROSE_LABELS:
            for m in find_after(
                label, text, allow_period=key != "procurement_total", strict=key in _TIGHT
            ):
                before = text[max(0, m.start - 14) : m.start]
                clause = text[
                    max(text.rfind("。", 0, m.start), text.rfind("；", 0, m.start)) + 1 : m.start
                ]
                if _ITEM_MARKER.search(clause):
                    continue  # "…行政运行（项）：支出决算为800万元" is an item, not a total
                if key == "grand_total":
                    second = _SECOND_AMOUNT.match(text, m.end)
                    if second and to_wan(parse_amount(second.group(1)), "万元") != m.value:
                        # "收、支总计2952.11万元、2845.57万元": 收入总计 ≠ 支出总计.
                        checks.append(
                            Check(
                                "warning",
                                "grand_total_mismatch",
                                f"说明中收、支总计不相等：“{text[m.start : second.end()]}”，"
                                "未采用。",
                                "totals.grand_total",
                            )
                        )
                        continue
                # The clause a "其中" list hangs from names the scope of the list.
                head = text[: m.start]
                head = head[: head.find("其中")] if "其中" in head else head
                rank = RANK_PROSE
                if key in _DEPARTMENT_WIDE and (
                    narrow_heading or _NARROW_CONTEXT.search(before) or _NARROW_CONTEXT.search(head)
                ):
                    rank = RANK_PROSE_WEAK
                if (
                    key in _TIGHT
                    and "收入" not in m.label
                    and "收入" not in _sentence(text, m.start)
                ):
                    continue  # "涉及一般公共预算财政拨款 10246.82 万元" is not income
                if key == "procurement_total" and _PROCUREMENT_PARTS.search(text[m.start : m.end]):
                    continue
                if key == "operating_expenditure" and "下属" in before:
                    continue
                if (
                    key == "expenditure_total"
                    and m.label.startswith("支出")
                    and not re.search(r"(?:年|部门)$", text[: m.start])
                    and _OTHER_SUBJECT.search(_sentence_before(text, m.start))
                ):
                    # "“三公”经费…支出预算为20.00万元，支出决算为12.50万元": a bare 支出决算
                    # after another subject in the sentence is that subject's.
                    continue
                if key == "income_total":
                    sentence = text[
                        m.end : text.find("。", m.end) if "。" in text[m.end :] else None
                    ]
                    if _CARRY_WORD.search(sentence):
                        # "本年收入合计2952.11万元，其中：…年初结转和结余40.04万元": the figure
                        # includes carry-over, so it is not this year's income.
                        checks.append(
                            Check(
                                "warning",
                                "income_total_includes_carryover",
                                f"“{text[m.start : m.end]}”的构成中包含上年结转，与“本年收入合计”"
                                "的含义不符，未采用。",
                                "totals.income_total",
                            )
                        )
                        continue
                pool.add(f"totals.{key}", m.value, rank, sec.source(m.start, m.end), "prose")
        # "机关运行经费。2024 年…运行经费 558.19 万元": the heading names it.
        if "机关运行" in text or "机关运行" in sec.context:
            for m in find_after(r"(?<!机关)运行经费|(?<!机关)运行费用", text):
                if "下属" not in text[max(0, m.start - 20) : m.start]:
                    pool.add(
                        "totals.operating_expenditure",
                        m.value,
                        RANK_PROSE,
                        sec.source(m.start, m.end),
                        "prose",
                    )
        # "2019年…政府采购预算，总金额为3.2万元".
        if "政府采购" in text:
            for m in find_after(r"政府采购[^。；;]{0,24}?(?:总金额|总额)", text):
                pool.add(
                    "totals.procurement_total",
                    m.value,
                    RANK_PROSE,
                    sec.source(m.start, m.end),
                    "prose",
                )
            if _NO_PROCUREMENT.search(text) and not pool.has("totals.procurement_total"):
                pool.add("totals.procurement_total", Decimal(0), RANK_PROSE, sec.source(), "prose")
        # "本部门为事业单位，未安排机关运行经费": a stated nil is 0.
        none = _NO_OPERATING.search(text)
        if none and not pool.has("totals.operating_expenditure"):
            pool.add(
                "totals.operating_expenditure",
                Decimal(0),
                RANK_PROSE,
                sec.source(none.start(), none.end()),
                "prose",
            )
        _fund_parts(sec, pool)
        # "预算支出：人员经费…，项目支出…，共计10009.93万元".
        for match in _TOTAL_LIST.finditer(text):
            unit = "万元" if match.group("unit") == "万" else match.group("unit")
            rank = RANK_PROSE_WEAK if narrow_heading else RANK_PROSE
            pool.add(
                "totals.expenditure_total",
                to_wan(parse_amount(match.group("num")), unit),
                rank,
                sec.source(match.start(), match.end()),
                "prose",
            )
        # "财政拨款收入支出总计0.3万元": compared with the 财政拨款收支总表 only.
        for m in find_after(_FISCAL_GRAND, text):
            pool.add(
                "_fiscal.grand_total", m.value, RANK_PROSE, sec.source(m.start, m.end), "prose"
            )
        # "收、支总计2952.11万元、2845.57万元": equal only when nothing is carried forward.
        for match in _PAIRED_GRAND.finditer(text):
            a = to_wan(
                parse_amount(match.group("a")),
                "万元" if match.group("ua") == "万" else match.group("ua"),
            )
            b = to_wan(
                parse_amount(match.group("b")),
                "万元" if match.group("ub") == "万" else match.group("ub"),
            )
            if a is not None and a == b:
                pool.add(
                    "totals.grand_total",
                    a,
                    RANK_PROSE,
                    sec.source(match.start(), match.end()),
                    "prose",
                )
            else:
                checks.append(
                    Check(
                        "warning",
                        "grand_total_mismatch",
                        f"“{match.group(0)}”：收入总计与支出总计不相等，收入总计未采用。",
                        "totals.grand_total",
                    )
                )
        # "预算收入2655.35万元" / "收入预算 2354.20 万元": this year's income, or with
        # carry-over — decided once the tables and sentences are all read.
        if not narrow_heading:
            for m in find_after(_INCOME_STATED.pattern, text):
                pool.add("income_stated", m.value, RANK_PROSE, sec.source(m.start, m.end), "prose")


def _fund_parts(sec: Section, pool: Pool) -> None:
    """Funds named bare in the "其中" list of an income total: this year's income from
    each fund when the total is this year's income, or when the list names the
    carry-over apart ("收入总计…，其中,一般公共预算 500.00 万元，上年结转 200.00 万元");
    a part of a total with carry-over inside, of expenditure or of procurement is not
    a field. A part without its own unit takes the total's."""
    from ..normalize import parse_amount, to_wan

    offset = 0
    for sentence in re.split(r"(?<=。)", sec.text):
        at = offset
        offset += len(sentence)
        split = re.search(r"其中[,，:：、]?", sentence)
        if not split:
            continue
        head, parts = sentence[: split.start()], sentence[split.end() :]
        words = list(_HEAD_WORD.finditer(head))
        amounts = list(re.finditer(AMOUNT, head))
        if not words or not amounts:
            continue
        kind = words[-1].lastgroup
        if kind == "grand" and not _CARRY_WORD.search(parts):
            continue
        if kind not in ("income", "grand"):
            continue
        unit = amounts[-1].group("unit")
        for m in _FUND_PART.finditer(parts):
            part_unit = m.group("unit") or unit
            start = at + split.end() + m.start("num")
            if is_change(sec.text, start):
                continue
            value = to_wan(parse_amount(m.group("num")), "万元" if part_unit == "万" else part_unit)
            fund = next(k for f, k in _FUND_KEYS.items() if m.group("fund").startswith(f))
            pool.add(
                f"totals.{fund}",
                value,
                RANK_PROSE,
                sec.source(at + split.end() + m.start(), at + split.end() + m.end()),
                "prose",
            )


def _sentence_before(text: str, pos: int) -> str:
    """The sentence around ``pos`` up to ``pos`` (from the last full stop or semicolon)."""
    start = max(text.rfind("。", 0, pos), text.rfind("；", 0, pos), text.rfind(";", 0, pos)) + 1
    return text[start:pos]


def _sentence(text: str, pos: int) -> str:
    """The sentence around ``pos`` (between full stops)."""
    start = text.rfind("。", 0, pos) + 1
    end = text.find("。", pos)
    return text[start : end if end >= 0 else len(text)]


def settle_income_stated(pool: Pool) -> None:
    """A stated "预算收入" is the grand total when the document states a carry-over,
    else this year's income."""
    best = pool.best("income_stated")
    pool_cands = pool.candidates("income_stated")
    pool.discard("income_stated")
    if best is None:
        return
    carry = pool.value("totals.carryover_income")
    key = "totals.grand_total" if carry is not None and carry > 0 else "totals.income_total"
    if carry is None and pool.has("totals.grand_total"):
        key = "totals.grand_total"
    for c in pool_cands:
        pool.add(key, c.value, c.rank, c.source, c.origin)
