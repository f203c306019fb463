"""Text / Markdown reader: a text dump of a PDF or Word file → paragraphs and tables.

The dumps people paste or export come in a few shapes, all handled here:

* running text, one paragraph per line, sometimes broken mid-sentence where a page
  ended ("…当年拨" / "款 1454.32 万元") — such fragments are joined back;
* Markdown headings (``## 三、…``) and bold (``**…**``) — markup is stripped;
* tables as tab-separated rows (``项目\\t2020年预算数\\t…``);
* tables written one cell per line with a leading tab (Word's export of complex
  tables), where a blank line ends a row — when there are no blank lines the row
  structure is lost and each cell becomes a one-cell row;
* Markdown pipe tables (``| a | b |``), separator rows skipped.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..types import Block, Check, Document, Paragraph, Table

__all__ = ["decode_text", "read_text"]

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


def rebuild_flattened_tables(document: Document) -> tuple[Document, tuple[Check, ...]]:
    """Tables a web page flattened to text (not rebuilt yet: the document as it is)."""
    return document, ()
