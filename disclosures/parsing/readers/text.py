"""Text / Markdown reader: a text dump of a PDF or Word file → paragraphs and tables.

The dumps people paste or export come in a few shapes, all handled here:

* running text, one paragraph per line, sometimes broken mid-sentence where a page
  ended ("…当年拨" / "款 1454.32 万元") — such fragments are joined back;
* Markdown headings (``## 三、…``) and bold (``**…**``) — markup is stripped;
* tables as tab-separated rows (``项目\\t2020年预算数\\t…``);
* tables written one cell per line with a leading tab (Word's export of complex
  tables), where a blank line ends a row — when there are no blank lines the row
  structure is lost and each cell becomes a one-cell row;
* Markdown pipe tables (``| a | b |``), separator rows skipped;
* tables a web page was flattened to (``a | b | c`` lines, html2text's ``---|---``
  separator): each line stays a paragraph of its own, never joined to the next, and
  :func:`rebuild_flattened_tables` turns runs of them into tables — for every format,
  since the same lines pasted into Word or printed to PDF are paragraphs too.

:func:`rebuild_flattened_tables` also re-aligns rows of a paired table (收支总表
"收入项目 | 金额 | 支出项目 | 金额") that a converter printed in another order: empty
cells dropped, or the text cells of a row first and its numbers after. A row is re-read
only when one reading is possible; otherwise its labels are kept, its amounts are left
out and a check quotes the row.
"""

from __future__ import annotations

import dataclasses
import re

from ..errors import ParseError
from ..normalize import compact, parse_amount
from ..types import Block, Check, Document, Paragraph, Table

__all__ = ["decode_text", "read_text", "rebuild_flattened_tables"]

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_LIST_MARK = re.compile(r"^\s*[-*+]\s+(?=\S)")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_DASH_ROW = re.compile(r"^-{3,}$")
# A line ending here finishes a sentence or a heading; anything else may continue.
_SENTENCE_END = '。；;：:！？!?）)」』”"】]>'
# Lines that start a new item even when the previous line did not end a sentence.
_NEW_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．)]|第[一二三四五六七八九十]+|"
    r"附件|附表|表[一二三四五六七八九十\d]|单位[:：]|注[:：])"
)


def decode_text(data: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM) or GB18030; raise ParseError otherwise."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError("binary_text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ParseError("damaged_utf16") from err
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError("unknown_encoding")


def read_text(data: bytes, filename: str = "") -> Document:
    """Read a TXT/MD dump into :class:`Paragraph` and :class:`Table` blocks (format "text")."""
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError("empty_text")
    return Document(blocks=tuple(_blocks(text.split("\n"))), format="text")


def _kind(line: str) -> str:
    """Classify one raw line: blank, row (tab-separated), cell (one tab-led cell),
    pipe (Markdown table row), or text."""
    if not line.strip():
        return "blank"
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        return "pipe"
    if "\t" not in line and flat_cells(stripped) is not None:
        return "flat"
    if "\t" in line:
        cells = line.split("\t")
        if not cells[0].strip() and len(cells) == 2:
            return "cell"
        if len(cells) >= 3 or sum(1 for c in cells if c.strip()) >= 2 or not cells[0].strip():
            # "政府性基金预算拨款\t\t\t\t" is a row whose other cells are empty.
            return "row"
        # "六、政府采购预算情况\t": a heading with one stray tab.
        return "text"
    return "text"


def _clean_cell(cell: str) -> str:
    cell = _BOOKMARK.sub("", cell)
    return cell.replace("**", "").strip().strip("\u3000").strip()


def _clean_line(line: str) -> tuple[str, bool]:
    """Strip Markdown markup; return the text and whether the line was a heading."""
    line = _BOOKMARK.sub("", line)
    heading = bool(_HEADING.match(line))
    line = _HEADING.sub("", line)
    line = _LIST_MARK.sub("", line)
    line = line.replace("**", "").replace("__", "")
    return line.strip().strip("\u3000").strip(), heading


def _blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    i, n = 0, len(lines)
    # Whether the last paragraph may be continued by the next text line.
    open_paragraph = False

    def add_paragraph(text: str) -> None:
        blocks.append(Paragraph(text=text, index=len(blocks)))

    def add_table(rows: list[tuple[str, ...]]) -> None:
        rows = [r for r in rows if any(c for c in r)]
        if rows:
            blocks.append(Table(rows=tuple(rows), index=len(blocks)))

    while i < n:
        kind = _kind(lines[i])
        if kind == "blank":
            i += 1
            continue
        if kind == "row":
            rows: list[tuple[str, ...]] = []
            while i < n and _kind(lines[i]) == "row":
                rows.append(tuple(_clean_cell(c) for c in lines[i].split("\t")))
                i += 1
            add_table(rows)
            open_paragraph = False
            continue
        if kind == "cell":
            i, rows = _cell_per_line(lines, i)
            add_table(rows)
            open_paragraph = False
            continue
        if kind == "flat":
            # One row of a flattened table: a paragraph of its own, never continued
            # (rebuild_flattened_tables makes the table); the "---|---" line is dropped.
            text = _clean_cell(lines[i])
            if not _PIPE_SEPARATOR.match(text):
                add_paragraph(text)
            i += 1
            open_paragraph = False
            continue
        if kind == "pipe":
            rows = []
            while i < n and _kind(lines[i]) == "pipe":
                raw = lines[i].strip()
                if not _PIPE_SEPARATOR.match(raw):
                    rows.append(tuple(_clean_cell(c) for c in raw.strip("|").split("|")))
                i += 1
            add_table(rows)
            open_paragraph = False
            continue
        text, heading = _clean_line(lines[i])
        i += 1
        if not text or _DASH_ROW.match(text):
            continue
        previous = blocks[-1] if blocks else None
        if (
            open_paragraph
            and isinstance(previous, Paragraph)
            and not heading
            and not _NEW_ITEM.match(text)
        ):
            # A sentence broken where a page ended: join it back.
            blocks[-1] = Paragraph(text=previous.text + text, index=previous.index)
        else:
            add_paragraph(text)
        last = blocks[-1]
        assert isinstance(last, Paragraph)
        # A short numbered line ("四、…情况说明") is a heading even without "#".
        numbered_heading = bool(_NEW_ITEM.match(last.text)) and len(last.text) <= 40
        open_paragraph = (
            not heading
            and not numbered_heading
            and len(last.text) >= 20
            and last.text[-1] not in _SENTENCE_END
        )
    return blocks


def _cell_per_line(lines: list[str], i: int) -> tuple[int, list[tuple[str, ...]]]:
    """Read a run of one-cell lines. A blank line ends a row; a run without blank
    lines keeps one cell per row because the column count cannot be known."""
    n = len(lines)
    groups: list[list[str]] = [[]]
    while i < n:
        kind = _kind(lines[i])
        if kind == "cell":
            groups[-1].append(_clean_cell(lines[i].split("\t", 1)[1]))
            i += 1
        elif kind == "blank":
            # Look past blank lines: the table goes on if another cell line follows.
            j = i
            while j < n and _kind(lines[j]) == "blank":
                j += 1
            if j < n and _kind(lines[j]) == "cell":
                if groups[-1]:
                    groups.append([])
                i = j
            else:
                i = j
                break
        else:
            break
    groups = [g for g in groups if g]
    if len(groups) <= 1:
        return i, [(c,) for g in groups for c in g]
    return i, [tuple(g) for g in groups]


# ------------------------------------------------------------- flattened tables

_CJK = re.compile(r"[\u4e00-\u9fff]")


def flat_cells(text: str) -> tuple[str, ...] | None:
    """The cells of a line that is a table row flattened with "|" ("a | b | c",
    "| a | b |", "a |  | "), or None for any other line. A separator line ("---|---")
    gives ()."""
    stripped = text.strip()
    if "|" not in stripped:
        return None
    if _PIPE_SEPARATOR.match(stripped):
        return ()
    inner = stripped
    if inner.startswith("|") and inner.endswith("|") and len(inner) > 1:
        inner = inner[1:-1]
    cells = tuple(c.strip() for c in inner.split("|"))
    if not any(cells):
        return None
    return cells


def _pipe_runs(document: Document) -> list[tuple[int, int]]:
    """(start, end) block ranges of consecutive flattened rows that form a table: two
    rows or more, or one row of three cells or more."""
    runs: list[tuple[int, int]] = []
    blocks = document.blocks
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if not isinstance(block, Paragraph) or flat_cells(block.text) is None:
            i += 1
            continue
        rows: list[tuple[str, ...]] = []
        j = i
        while j < len(blocks):
            following = blocks[j]
            cells = flat_cells(following.text) if isinstance(following, Paragraph) else None
            if cells is None:
                break
            rows.append(cells)
            j += 1
        # Rows with two cells filled or more; a row with one ("三、… | | |") only
        # continues a table.
        full = [r for r in rows if r and sum(1 for c in r if c) >= 2]
        if len(full) >= 2 or (len(full) == 1 and sum(1 for c in full[0] if c) >= 3):
            runs.append((i, j))
        i = j
    return runs


def _join_pipe_runs(document: Document) -> Document:
    runs = _pipe_runs(document)
    if not runs:
        return document
    blocks: list[Block] = []
    position = 0

    def keep(kept: tuple[Block, ...]) -> None:
        for block in kept:
            blocks.append(dataclasses.replace(block, index=len(blocks)))

    for start, end in runs:
        keep(document.blocks[position:start])
        rows: list[tuple[str, ...]] = []
        pages: list[int | None] = []
        for b in document.blocks[start:end]:
            assert isinstance(b, Paragraph)
            cells = flat_cells(b.text)
            if cells:
                rows.append(cells)
                pages.append(b.page)
        width = max(len(r) for r in rows)
        padded = tuple(r + ("",) * (width - len(r)) for r in rows)
        first_page = pages[0]
        row_pages = tuple(pages) if any(p != first_page for p in pages) else None
        blocks.append(Table(rows=padded, index=len(blocks), page=first_page, row_pages=row_pages))
        position = end
    keep(document.blocks[position:])
    return dataclasses.replace(document, blocks=tuple(blocks))


# A paired table's header: label columns ("收入项目", "项目", "支出") each followed by one
# amount column ("金额", "预算数", "2024年决算数").
_LABEL_HEAD = re.compile(r"项目|收入|支出|科目|名称|摘要")
_AMOUNT_HEAD = re.compile(r"金额|数|额|合计|万元|元")
# Which side of a 收支总表 a label belongs to, when a row lost its position.
_INCOME_WORDS = re.compile(r"收入|拨款|上年结转|年初结转|上年结余|年初结余|事业基金弥补")
_EXPENSE_WORDS = re.compile(r"支出|结转下年|年末结转|年末结余|结余分配")


def _is_number(cell: str) -> bool:
    return parse_amount(cell) is not None


def _is_label(cell: str) -> bool:
    return bool(_CJK.search(cell)) and parse_amount(cell) is None


def _paired_header(rows: tuple[tuple[str, ...], ...]) -> tuple[int, int] | None:
    """(header row, number of label/amount pairs) when one of the first rows reads
    "label | amount | label | amount …" (two pairs or more), else None."""
    for r, row in enumerate(rows[:4]):
        if any(_is_number(c) for c in row):
            return None
        cells = [compact(c) for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) < 4 or len(cells) % 2:
            continue
        labels, amounts = cells[0::2], cells[1::2]
        if all(_LABEL_HEAD.search(lab) and not _AMOUNT_HEAD.search(lab) for lab in labels) and all(
            a and _AMOUNT_HEAD.search(a) and not _LABEL_HEAD.search(a) for a in amounts
        ):
            return r, len(labels)
    return None


def _side(label: str) -> int | None:
    """0 for an income label, 1 for an expenditure label, None when it does not say."""
    text = compact(label)
    income = bool(_INCOME_WORDS.search(text))
    expense = bool(_EXPENSE_WORDS.search(text))
    if income == expense:
        return None
    return 0 if income else 1


def _sided(rows: tuple[tuple[str, ...], ...], header: int) -> bool:
    """Whether a two-pair table is a 收入 | 支出 table: its header rows say 收入 over
    the first pair and 支出 over the second ("收入项目 | 金额 | 支出项目 | 金额", or
    "收 入 | | 支 出 |" above "项目 | 预算数 | 项目 | 预算数")."""
    left = "".join(compact("".join(r[:2])) for r in rows[: header + 1])
    right = "".join(compact("".join(r[2:4])) for r in rows[: header + 1])
    return "收入" in left and "支出" in right and "支出" not in left


def _fits(row: tuple[str, ...], pairs: int, sided: bool) -> bool:
    """The row already has its labels in label columns and its numbers in amount columns
    (and, in a 收入 | 支出 table, no expenditure label on the income side or the reverse:
    "结转下年 | 0.00" printed at the start of a row lost its empty cells)."""
    for j, cell in enumerate(row):
        if not cell.strip():
            continue
        if j >= 2 * pairs:
            return True  # wider than the header: not a flattening this rule knows
        if (j % 2 == 0 and _is_number(cell)) or (j % 2 == 1 and _is_label(cell)):
            return False
        if sided and j % 2 == 0 and _side(cell) not in (None, j // 2):
            return False
    return True


def _readings(cells: list[str]) -> list[list[tuple[str, str]]]:
    """The ways the non-empty cells of a row can pair labels with amounts:
    as printed with empty cells dropped (each number right after its label), or
    labels first and numbers after (as many numbers as labels)."""
    kinds = ["n" if _is_number(c) else "l" if _is_label(c) else "?" for c in cells]
    if "?" in kinds:
        return []
    readings: list[list[tuple[str, str]]] = []
    if kinds and kinds[0] == "l" and "nn" not in "".join(kinds):
        pairs: list[tuple[str, str]] = []
        for cell, kind in zip(cells, kinds, strict=True):
            if kind == "l":
                pairs.append((cell, ""))
            else:
                pairs[-1] = (pairs[-1][0], cell)
        readings.append(pairs)
    labels = [c for c, k in zip(cells, kinds, strict=True) if k == "l"]
    numbers = [c for c, k in zip(cells, kinds, strict=True) if k == "n"]
    if labels and "nl" not in "".join(kinds):
        if len(numbers) == len(labels):
            readings.append(list(zip(labels, numbers, strict=True)))
        elif numbers:
            # Labels first, some numbers missing: which label lost its number is unknown.
            readings.append([])
    distinct: list[list[tuple[str, str]]] = []
    for reading in readings:
        if reading not in distinct:
            distinct.append(reading)
    return distinct


def _place(pairs: list[tuple[str, str]], count: int, sided: bool) -> list[int] | None:
    """The pair slot of each (label, amount), or None when it cannot be known. Fewer
    pairs than the table has are placed only in a 收入 | 支出 table, by their words."""
    sides = [_side(label) for label, _ in pairs]
    if len(pairs) == count:
        # In order; a row whose words say the opposite sides is not trusted.
        if sided and sides[0] == 1 and sides[1] == 0:
            return None
        return list(range(count))
    if not sided or any(s is None for s in sides) or len(set(sides)) != len(sides):
        return None
    return [s for s in sides if s is not None]


def _realign(table: Table) -> tuple[Table, list[Check]]:
    found = _paired_header(table.rows)
    if found is None:
        return table, []
    header, count = found
    sided = count == 2 and _sided(table.rows, header)
    width = max(len(table.rows[header]), 2 * count)
    rows = list(table.rows)
    moved: list[str] = []
    checks: list[Check] = []
    for r in range(header + 1, len(rows)):
        row = rows[r]
        if _fits(row, count, sided):
            continue
        cells = [c for c in row if c.strip()]
        shown = " | ".join(cells)
        readings = _readings(cells)
        slots = _place(readings[0], count, sided) if len(readings) == 1 and readings[0] else None
        new = [""] * width
        if slots is not None:
            for (label, amount), slot in zip(readings[0], slots, strict=True):
                new[2 * slot], new[2 * slot + 1] = label, amount
            moved.append(shown)
        else:
            labels = [c for c in cells if _is_label(c)]
            sides = [_side(c) for c in labels]
            known = (
                sided
                and len(labels) <= count
                and None not in sides
                and len(set(sides)) == len(sides)
            )
            order = [k if s is None or not known else s for k, s in enumerate(sides)]
            for label, slot in zip(labels[:count], order, strict=False):
                new[2 * slot] = label
            checks.append(
                Check(
                    "warning",
                    "flattened_row_ambiguous",
                    f"表格转成文字时这一行错了位（“{shown}”）：无法确定其中的金额属于哪一项，"
                    "这一行的金额未读取，请对照原表核对。",
                    "totals" if sided else None,
                )
            )
        rows[r] = tuple(new)
    if not moved and not checks:
        return table, []
    if moved:
        checks.insert(
            0,
            Check(
                "info",
                "flattened_rows_realigned",
                f"表格转成文字时有 {len(moved)} 行次序错乱（如“{moved[0]}”），"
                "已按“项目、金额”重新对齐后读取。",
                None,
            ),
        )
    return dataclasses.replace(table, rows=tuple(rows)), checks


def rebuild_flattened_tables(document: Document) -> tuple[Document, tuple[Check, ...]]:
    """Tables a web page flattened to "a | b | c" lines, rebuilt from their paragraphs;
    rows of paired tables printed out of order re-aligned where only one reading is
    possible. Returns the document and checks saying what was re-read or left out."""
    document = _join_pipe_runs(document)
    checks: list[Check] = []
    blocks: list[Block] = []
    changed = False
    for block in document.blocks:
        if isinstance(block, Table):
            new, found = _realign(block)
            checks.extend(found)
            changed = changed or new is not block
            blocks.append(new)
        else:
            blocks.append(block)
    if changed:
        document = dataclasses.replace(document, blocks=tuple(blocks))
    return document, tuple(checks)
