"""Made-up layouts as real PDFs: a text dump (the tests/parsing/data/*.txt format) laid out
on A4 pages the way department reports are published.

Headings and paragraphs are text lines wrapped at the page width (first line indented two
characters, a paragraph may continue on the next page); tables are ruled grids with every
cell's text inside its cell, wrapped to the column width, numbers right-aligned, header
rows centred; a table that does not fit goes on over the next pages without repeating its
header, as real reports do. Pages are numbered "- N -" at the foot. Chinese is set in a
real CJK TrueType font embedded in the file, Latin letters and digits in Times-Roman (the
宋体 + Times New Roman of a Word report), so a line mixes two fonts with different boxes.

The PDF is drawn with pdfium's editing API (pypdfium2, already a dependency). The CJK font
is WenQuanYi Micro Hei from Debian's ``fonts-wqy-microhei``: pdfium embeds TrueType
outlines only (the CFF-based Noto CJK collection loads but makes 15 MB files), and the
Droid fallback font lacks ≤ ≥ ① 〈 that real reports print. :func:`cjk_font` finds it; a
machine without it fails the tests that need it with the package to install.
"""

from __future__ import annotations

import ctypes
import functools
import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .dumps import pieces

__all__ = ["FONT_PACKAGE", "as_pdf", "cjk_font"]

FONT_PACKAGE = "fonts-wqy-microhei"
_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),  # other distributions
)

# Page geometry in PDF points, y measured down from the top of the page.
A4 = (595.28, 841.89)
_MARGIN_X = 62.0  # 22 mm
_MARGIN_TOP = 72.0
_MARGIN_BOTTOM = 72.0
_FOOTER = 40.0  # baseline of the page number above the bottom edge
_TITLE = 16.0  # 三号: the document title
_HEADING = 12.0  # 小四
_BODY = 10.5  # 五号
_TABLE = 9.0  # 小五; wide tables go down to _TABLE_MIN, then onto landscape pages
_TABLE_MIN = 6.0
_PAD_X = 3.0
_PAD_Y = 2.5
_ASCENT = 0.86  # baseline below the top of a line, in ems
_GAP = 6.0  # between a table and what surrounds it: two grids never touch

_AMOUNT = re.compile(r"^[-−+]?[\d,，]+(\.\d+)?%?$|^[-−]$")
_CODE = re.compile(r"^(?:\d{2}|[1-9]\d{2}|[1-9]\d{4}|[1-9]\d{6})$")
# CJK line breaking: these never start a line, those never end one.
_CLOSING = set("，。、；：！？）》」』】〕〉”’%．,.;:!?)]")
_OPENING = set("（《「『【〔〈“‘([")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_TOKEN = re.compile(r"[!-~]+|\s|.")


def cjk_font() -> bytes:
    """The CJK TrueType font the made-up PDFs embed (the first face of a collection).

    Fails the calling test, naming the Debian package to install, when it is missing.
    """
    for path in _FONT_FILES:
        if path.is_file():
            return _first_face(path)
    pytest.fail(
        f"The made-up PDFs need a CJK TrueType font: install the Debian package "
        f"{FONT_PACKAGE} (apt-get install {FONT_PACKAGE}); looked for "
        + ", ".join(str(p) for p in _FONT_FILES),
        pytrace=False,
    )


@functools.cache
def _first_face(path: Path) -> bytes:
    """A TrueType collection's first face as a plain TrueType file (a PDF's FontFile2
    holds one font, not a collection); a plain .ttf is returned as it is."""
    data = path.read_bytes()
    if data[:4] != b"ttcf":
        return data
    (offset,) = struct.unpack_from(">I", data, 12)
    (n_tables,) = struct.unpack_from(">H", data, offset + 4)
    records = [struct.unpack_from(">4sIII", data, offset + 12 + 16 * i) for i in range(n_tables)]
    head = bytearray(data[offset : offset + 12])
    body = bytearray()
    start = 12 + 16 * n_tables
    directory = bytearray()
    for tag, checksum, at, length in records:
        directory += struct.pack(">4sIII", tag, checksum, start + len(body), length)
        body += data[at : at + length]
        body += b"\0" * (-len(body) % 4)
    return bytes(head + directory + body)


# ------------------------------------------------------------------ font metrics


class _TrueType:
    """The CJK font, read once: Unicode → glyph, advance widths, and a subset holding
    only the glyphs a document uses (the full font is 5 MB: embedding it whole makes
    every file 2 MB and every build 0.4 s). Glyph numbers stay as they are, so the
    metrics tables are kept unchanged; unused outlines are emptied and the character
    map lists only the document's characters."""

    _KEEP = (b"OS/2", b"cvt ", b"fpgm", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"prep")

    def __init__(self, data: bytes) -> None:
        n_tables = struct.unpack_from(">H", data, 4)[0]
        self.tables: dict[bytes, bytes] = {}
        for i in range(n_tables):
            tag, _, at, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            self.tables[tag] = data[at : at + length]
        head, maxp, hhea = self.tables[b"head"], self.tables[b"maxp"], self.tables[b"hhea"]
        self.units = struct.unpack_from(">H", head, 18)[0]
        n_glyphs = struct.unpack_from(">H", maxp, 4)[0]
        long_loca = struct.unpack_from(">h", head, 50)[0] == 1
        loca = self.tables[b"loca"]
        if long_loca:
            self.loca = list(struct.unpack_from(f">{n_glyphs + 1}I", loca))
        else:
            self.loca = [2 * v for v in struct.unpack_from(f">{n_glyphs + 1}H", loca)]
        n_metrics = struct.unpack_from(">H", hhea, 34)[0]
        hmtx = self.tables[b"hmtx"]
        self.advances = [struct.unpack_from(">H", hmtx, 4 * i)[0] for i in range(n_metrics)]
        self.cmap = self._read_cmap(self.tables[b"cmap"])

    @staticmethod
    def _read_cmap(cmap: bytes) -> dict[int, int]:
        """The Windows Unicode BMP subtable (format 4) as {code point: glyph}."""
        for i in range(struct.unpack_from(">H", cmap, 2)[0]):
            platform, encoding, at = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
            if (platform, encoding) == (3, 1) and struct.unpack_from(">H", cmap, at)[0] == 4:
                break
        else:
            raise ValueError("the CJK font has no Unicode (3, 1) format 4 character map")
        seg = struct.unpack_from(">H", cmap, at + 6)[0] // 2
        ends = struct.unpack_from(f">{seg}H", cmap, at + 14)
        starts = struct.unpack_from(f">{seg}H", cmap, at + 16 + 2 * seg)
        deltas = struct.unpack_from(f">{seg}h", cmap, at + 16 + 4 * seg)
        ranges_at = at + 16 + 6 * seg
        ranges = struct.unpack_from(f">{seg}H", cmap, ranges_at)
        out: dict[int, int] = {}
        for k in range(seg):
            for code in range(starts[k], ends[k] + 1):
                if code == 0xFFFF:
                    continue
                if ranges[k] == 0:
                    glyph = (code + deltas[k]) & 0xFFFF
                else:
                    where = ranges_at + 2 * k + ranges[k] + 2 * (code - starts[k])
                    glyph = struct.unpack_from(">H", cmap, where)[0]
                    glyph = (glyph + deltas[k]) & 0xFFFF if glyph else 0
                if glyph:
                    out[code] = glyph
        return out

    def advance(self, ch: str) -> float | None:
        """Advance width in ems, None when the font has no glyph for ``ch``."""
        glyph = self.cmap.get(ord(ch))
        if glyph is None:
            return None
        return self.advances[min(glyph, len(self.advances) - 1)] / self.units

    def subset(self, chars: set[str]) -> bytes:
        glyf = self.tables[b"glyf"]
        wanted = {0} | {self.cmap[ord(ch)] for ch in chars if ord(ch) in self.cmap}
        todo = list(wanted)
        while todo:  # composite glyphs need their components
            g = todo.pop()
            data = glyf[self.loca[g] : self.loca[g + 1]]
            if len(data) < 10 or struct.unpack_from(">h", data, 0)[0] >= 0:
                continue
            at = 10
            while True:
                flags, part = struct.unpack_from(">HH", data, at)
                if part not in wanted:
                    wanted.add(part)
                    todo.append(part)
                at += 4 + (4 if flags & 1 else 2)
                at += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
                if not flags & 0x20:
                    break
        new_glyf = bytearray()
        offsets = [0]
        for g in range(len(self.loca) - 1):
            if g in wanted:
                new_glyf += glyf[self.loca[g] : self.loca[g + 1]]
                new_glyf += b"\0" * (-len(new_glyf) % 4)
            offsets.append(len(new_glyf))
        tables = {tag: self.tables[tag] for tag in self._KEEP if tag in self.tables}
        head = bytearray(tables[b"head"])
        struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment: not worth computing
        struct.pack_into(">h", head, 50, 1)  # long loca offsets
        tables[b"head"] = bytes(head)
        tables[b"glyf"] = bytes(new_glyf)
        tables[b"loca"] = struct.pack(f">{len(offsets)}I", *offsets)
        tables[b"post"] = b"\x00\x03\x00\x00" + self.tables[b"post"][4:32]  # no glyph names
        tables[b"cmap"] = self._write_cmap(
            sorted((ord(ch), self.cmap[ord(ch)]) for ch in chars if ord(ch) in self.cmap)
        )
        return _sfnt(tables)

    @staticmethod
    def _write_cmap(pairs: list[tuple[int, int]]) -> bytes:
        """A (3, 1) format 4 character map with one segment per character."""
        pairs = pairs + [(0xFFFF, 0)]
        seg = len(pairs)
        ends = [c for c, _ in pairs]
        deltas = [(g - c) & 0xFFFF if c != 0xFFFF else 1 for c, g in pairs]
        search = 2 ** (seg.bit_length() - 1)
        body = struct.pack(
            ">HHHH", 2 * seg, 2 * search, search.bit_length() - 1, 2 * seg - 2 * search
        )
        body += struct.pack(f">{seg}H", *ends) + b"\0\0" + struct.pack(f">{seg}H", *ends)
        body += struct.pack(f">{seg}H", *deltas) + b"\0\0" * seg
        sub = struct.pack(">HHH", 4, 6 + len(body), 0) + body
        return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + sub


def _sfnt(tables: dict[bytes, bytes]) -> bytes:
    """A TrueType file of these tables (directory sorted by tag, with checksums)."""
    tags = sorted(tables)
    n = len(tags)
    search = 2 ** (n.bit_length() - 1)
    out = bytearray(
        struct.pack(
            ">IHHHH", 0x00010000, n, 16 * search, search.bit_length() - 1, 16 * n - 16 * search
        )
    )
    at = 12 + 16 * n
    body = bytearray()
    for tag in tags:
        data = tables[tag]
        padded = data + b"\0" * (-len(data) % 4)
        checksum = sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF
        out += struct.pack(">4sIII", tag, checksum, at + len(body), len(data))
        body += padded
    return bytes(out + body)


@dataclass(slots=True)
class _Metrics:
    latin: dict[str, float]  # Times-Roman advances in ems, printable ASCII
    cjk: _TrueType

    def advance(self, ch: str) -> float:
        """Advance width of one character in ems, in the font it is set in."""
        width = self.latin.get(ch)
        if width is not None:
            return width
        if ch.isspace():
            return 1.0 if ch == "\u3000" else self.latin[" "]
        width = self.cjk.advance(ch)
        if width is None:
            raise ValueError(f"the CJK font has no glyph for {ch!r} (U+{ord(ch):04X})")
        return width

    def width(self, text: str, size: float) -> float:
        return sum(self.advance(ch) for ch in text) * size


@functools.cache
def _metrics() -> _Metrics:
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    pdf = pdfium.PdfDocument.new()
    try:
        times = c.FPDFText_LoadStandardFont(pdf.raw, b"Times-Roman")
        w = ctypes.c_float()
        latin = {}
        for code in range(0x20, 0x7F):
            c.FPDFFont_GetGlyphWidth(times, code, ctypes.c_float(1.0), ctypes.byref(w))
            latin[chr(code)] = w.value
        c.FPDFFont_Close(times)
    finally:
        pdf.close()
    return _Metrics(latin, _TrueType(cjk_font()))


def _wrap(text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
    """Break text into lines no wider than ``width`` (the first ``indent`` narrower):
    CJK characters break anywhere, a run of Latin letters or digits (a number) never,
    closing punctuation stays with the character before it."""
    m = _metrics()
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0.0
    limit = width - indent
    for tok in _TOKEN.findall(text):
        w = m.width(tok, size)
        if cur and cur_w + w > limit + 0.01:
            if tok.isspace():
                lines.append("".join(cur).rstrip())
                cur, cur_w, limit = [], 0.0, width
                continue
            carry: list[str] = []
            if (tok[0] in _CLOSING or cur[-1][-1] in _OPENING) and len(cur) > 1:
                carry = [cur.pop()]
                if cur[-1][-1] in _OPENING and len(cur) > 1:
                    carry.insert(0, cur.pop())
            lines.append("".join(cur).rstrip())
            cur, limit = carry, width
            cur_w = m.width("".join(cur), size)
        if tok.isspace() and not cur and lines:
            continue  # a wrapped line does not start with a space
        if not cur and w > limit:
            # A Latin run longer than a whole line (a web address): break it anywhere.
            for ch in tok:
                cw = m.width(ch, size)
                if cur and cur_w + cw > limit:
                    lines.append("".join(cur))
                    cur, cur_w, limit = [], 0.0, width
                cur.append(ch)
                cur_w += cw
            continue
        cur.append(tok)
        cur_w += w
    if cur or not lines:
        lines.append("".join(cur).rstrip())
    return lines


# ------------------------------------------------------------------------ layout


@dataclass(slots=True)
class _Page:
    width: float
    height: float
    texts: list[tuple[float, float, float, str]] = field(default_factory=list)  # x, base, size
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


class _Layout:
    """Places the pieces of a dump on pages, top to bottom."""

    def __init__(self) -> None:
        self.pages: list[_Page] = []
        self.y = 0.0
        self.new_page()

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def new_page(self, landscape: bool = False) -> None:
        if self.pages and not self.page.texts and not self.page.rules:
            self.pages.pop()  # a page left empty by a landscape table: not printed
        w, h = A4
        self.pages.append(_Page(h, w) if landscape else _Page(w, h))
        self.y = _MARGIN_TOP

    @property
    def empty(self) -> bool:
        return self.y <= _MARGIN_TOP

    @property
    def room(self) -> float:
        return self.page.height - _MARGIN_BOTTOM - self.y

    @property
    def content_width(self) -> float:
        return self.page.width - 2 * _MARGIN_X

    def text(self, x: float, base: float, size: float, text: str) -> None:
        if text.strip():
            self.page.texts.append((x, base, size, text))

    # -- text

    def lines(self, lines: list[str], size: float, x: float, indent: float, pitch: float) -> None:
        """Lines of one paragraph; it may go on over a page break (never one line
        alone at the foot or the head of a page)."""
        i = 0
        while i < len(lines):
            fit = int((self.room + pitch - size) // pitch)
            rest = len(lines) - i
            if fit < rest:
                fit = min(fit, rest - 2) if rest >= 4 else 0
                if fit < 2 and not self.empty:
                    self.new_page()
                    continue
                fit = max(fit, 1)
            for k in range(i, i + min(fit, rest)):
                self.text(x + (indent if k == 0 else 0.0), self.y + _ASCENT * size, size, lines[k])
                self.y += pitch
            i += min(fit, rest)

    def paragraph(self, parts: list[str]) -> None:
        """A paragraph, first line indented; each part after the first goes on at the
        top of a new page (where the original's page ended), not indented."""
        for k, part in enumerate(parts):
            indent = 2 * _BODY if k == 0 else 0.0
            if k:
                self.new_page()
            lines = _wrap(part, self.content_width, _BODY, indent)
            self.lines(lines, _BODY, _MARGIN_X, indent, 1.5 * _BODY)
        self.y += 4.0

    def heading(self, text: str, title: bool) -> None:
        size = _TITLE if title else _HEADING
        lines = _wrap(text, self.content_width, size)
        self.y += 6.0
        if title:
            for line in lines:
                x = _MARGIN_X + (self.content_width - _metrics().width(line, size)) / 2
                self.lines([line], size, x, 0.0, 1.5 * size)
            self.y += 8.0
        else:
            self.lines(lines, size, _MARGIN_X, 0.0, 1.5 * size)
            self.y += 2.0

    def text_height(self, kind: str, text: str) -> float:
        if kind == "paragraph":
            n = len(_wrap(text, self.content_width, _BODY, 2 * _BODY))
            return n * 1.5 * _BODY + 4.0
        return len(_wrap(text, self.content_width, _HEADING)) * 1.5 * _HEADING + 8.0

    # -- tables

    def table(self, rows: list[list[str]]) -> None:
        t = _Table(rows, A4[0] - 2 * _MARGIN_X)
        if t.landscape and self.page.width < self.page.height:
            self.new_page(landscape=True)
        elif t.start_height() > self.room and not self.empty:
            self.new_page(t.landscape)  # its header rows stay with the first row of figures
        self.y += _GAP
        xs = [_MARGIN_X]
        for w in t.widths:
            xs.append(xs[-1] + w)
        m = _metrics()
        pitch = 1.25 * t.size
        ys = [self.y]
        for i, row in enumerate(t.rows):
            height = t.heights[i]
            if height > self.room and len(ys) > 1:
                self.grid(xs, ys)  # the table goes on over the page, header not repeated
                self.new_page(t.landscape)
                ys = [self.y]
            y = ys[-1]
            for j, lines in enumerate(t.cells[i]):
                base = y + (height - len(lines) * pitch) / 2 + _ASCENT * t.size
                base += (pitch - t.size) / 2
                for k, line in enumerate(lines):
                    w = m.width(line, t.size)
                    if i < t.head:
                        x = (xs[j] + xs[j + 1] - w) / 2
                    elif _AMOUNT.match(row[j]) and j not in t.codes:
                        x = xs[j + 1] - _PAD_X - w
                    else:
                        x = xs[j] + _PAD_X
                    self.text(x, base + k * pitch, t.size, line)
            ys.append(y + height)
            self.y = y + height
        self.grid(xs, ys)
        self.y += _GAP
        if t.landscape:
            self.new_page()

    def grid(self, xs: list[float], ys: list[float]) -> None:
        rules = self.page.rules
        rules.extend((xs[0], y, xs[-1], y) for y in ys)
        rules.extend((x, ys[0], x, ys[-1]) for x in xs)


class _Table:
    """A table's rows (padded to one width), font size, column widths, wrapped cell
    lines and row heights; on a landscape page when portrait is too narrow even in
    the smallest font."""

    def __init__(self, rows: list[list[str]], portrait_width: float) -> None:
        n = max(len(r) for r in rows)
        self.rows = [[c.strip() for c in r] + [""] * (n - len(r)) for r in rows]
        plan = _plan(self.rows, portrait_width)
        self.landscape = plan is None
        if plan is None:
            plan = _plan(self.rows, A4[1] - 2 * _MARGIN_X)
            if plan is None:
                raise ValueError(f"a table of {n} columns does not fit on a landscape page")
        self.size, self.widths = plan
        self.cells = [
            [
                _wrap(c, w - 2 * _PAD_X, self.size) if c else []
                for c, w in zip(row, self.widths, strict=True)
            ]
            for row in self.rows
        ]
        pitch = 1.25 * self.size
        self.heights = [
            max(max((len(c) for c in cells), default=0), 1) * pitch + 2 * _PAD_Y
            for cells in self.cells
        ]
        # Header rows: those before the first row with a figure.
        amounts = (i for i, r in enumerate(self.rows) if any(_AMOUNT.match(c) for c in r))
        self.head = next(amounts, 0)
        self.codes = _code_columns(self.rows[self.head :])

    def start_height(self) -> float:
        """The header rows and the first row of figures: never split by a page."""
        return sum(self.heights[: self.head + 1]) + _GAP


def _code_columns(body: list[list[str]]) -> set[int]:
    """Columns of classification codes (201, 20106, 2010601, or 01 in a split 款
    column): set left like text, not right like amounts."""
    out = set()
    for j in range(len(body[0]) if body else 0):
        cells = [r[j] for r in body if r[j]]
        if len(cells) >= 2 and all(_CODE.match(c) for c in cells):
            out.add(j)
    return out


def _plan(rows: list[list[str]], avail: float) -> tuple[float, list[float]] | None:
    """Font size and column widths filling ``avail``: natural widths when they fit,
    else text columns wrapped (never below their longest number or code, or four
    characters), else a smaller font."""
    m = _metrics()
    n = len(rows[0])
    size = _TABLE
    while size >= _TABLE_MIN - 0.01:
        nat = [2 * _PAD_X + 2 * size] * n
        low = [2 * _PAD_X + 2 * size] * n
        for row in rows:
            for j, cell in enumerate(row):
                if not cell:
                    continue
                full = m.width(cell, size)
                longest = max(m.width(t, size) for t in _TOKEN.findall(cell))
                nat[j] = max(nat[j], full + 2 * _PAD_X)
                low[j] = max(low[j], 2 * _PAD_X + max(longest, min(full, 4 * size)))
        if sum(nat) <= avail:
            return size, [w * avail / sum(nat) for w in nat]
        if sum(low) <= avail:
            # Cap the wide columns at c, found by bisection, so the widths add up.
            lo, hi = 0.0, max(nat)
            for _ in range(50):
                cap = (lo + hi) / 2
                if sum(max(a, min(b, cap)) for a, b in zip(low, nat, strict=True)) > avail:
                    hi = cap
                else:
                    lo = cap
            widths = [max(a, min(b, lo)) for a, b in zip(low, nat, strict=True)]
            spare = avail - sum(widths)
            return size, [w + spare / n for w in widths]
        size -= 0.5
    return None


def _cell_rows(text: str) -> str:
    """Rewrite Markdown pipe tables and runs of one-cell lines (Word's export of a
    complex table: a tab before each cell, a blank line after each row) as tab-separated
    rows, so the PDF shows the table those lines stand for — the rows the text reader
    rebuilds from them. A run without blank lines has lost its rows: one cell a row,
    as the text reader keeps it."""
    lines = text.splitlines()
    out: list[str] = []

    def is_pipe(line: str) -> bool:
        stripped = line.strip()
        return stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3

    def is_cell(line: str) -> bool:
        parts = line.split("\t")
        return bool(line.strip()) and len(parts) == 2 and not parts[0].strip()

    i = 0
    while i < len(lines):
        if is_pipe(lines[i]):
            # A Markdown table: its rows as tab-separated rows, the |---| line dropped.
            while i < len(lines) and is_pipe(lines[i]):
                if not _PIPE_SEPARATOR.match(lines[i].strip()):
                    out.append("\t".join(c.strip() for c in lines[i].strip()[1:-1].split("|")))
                i += 1
            out.append("")
            continue
        if not is_cell(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        groups: list[list[str]] = [[]]
        while i < len(lines):
            if is_cell(lines[i]):
                groups[-1].append(lines[i].split("\t", 1)[1].strip())
                i += 1
                continue
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j == i or j == len(lines) or not is_cell(lines[j]):
                break
            groups.append([])
            i = j
        groups = [g for g in groups if g]
        if len(groups) > 1:
            out.extend("\t".join(g) if len(g) > 1 else g[0] + "\t" for g in groups)
        else:
            out.extend("\t" + cell for g in groups for cell in g)
        out.append("")
    return "\n".join(out)


_MARKUP = re.compile(r"\[bookmark:[^\]]*\]|\*\*|__")
_LIST_MARK = re.compile(r"^[-*+]\s+(?=\S)")


def _unmark(piece: object) -> object:
    """Dump markup is not text of the document: Markdown bold, list marks and
    bookmarks are dropped (a PDF shows bold as bold, not as asterisks)."""
    if isinstance(piece, str):
        return _LIST_MARK.sub("", _MARKUP.sub("", piece)).strip()
    return [[_MARKUP.sub("", c) for c in row] for row in piece]


# The text reader's rule for a dump line broken where the original's page ended
# ("…当年拨" / "款 1454.32 万元"): a line of 20 characters or more that does not end a
# sentence goes on in the next line unless that starts a new item ("1." does, an amount
# "456.78万元" does not).
_SENTENCE_END = '。；;：:！？!?）)」』”"】]>'
_NEW_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．)](?!\d)|"
    r"第[一二三四五六七八九十]+|附件|附表|表[一二三四五六七八九十\d]|单位[:：]|注[:：])"
)


# A line of the dump that is the original's page number: its page ended there.
_PAGE_NUMBER = re.compile(
    r"^(?:第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?|[-—–]\s*\d{1,4}\s*[-—–]|\d{1,3})$"
)


def _document(text: str) -> list[tuple[str, object]]:
    """The pieces of the document a dump stands for: tables rebuilt from their dump
    forms, markup dropped. The original's page number ("第4页", "- 4 -") is a page
    break (the PDF prints its own numbers); a paragraph broken by a page break is one
    paragraph again, as ("paragraph", [part, part]): it goes on over a new page there,
    not indented. Other paragraphs are ("paragraph", [text]), broken where the PDF's
    own pages end."""
    out: list[tuple[str, object]] = []
    open_paragraph = False
    page_break = False
    for kind, piece in pieces(_cell_rows(text)):
        piece = _unmark(piece)
        if kind != "table" and not piece:
            continue
        if kind == "paragraph" and _PAGE_NUMBER.match(str(piece).replace(" ", "")):
            page_break = True
            continue
        if kind == "paragraph" and open_paragraph and not _NEW_ITEM.match(str(piece)):
            parts = list(out[-1][1])
            if page_break:
                parts.append(str(piece))
            else:
                parts[-1] += str(piece)
            out[-1] = ("paragraph", parts)
        else:
            if page_break:
                out.append(("page", None))
            out.append((kind, [piece] if kind == "paragraph" else piece))
        page_break = False
        last = str(out[-1][1][-1]) if out[-1][0] == "paragraph" else ""
        open_paragraph = (
            out[-1][0] == "paragraph"
            and not (_NEW_ITEM.match(last) and len(last) <= 40)
            and len(last) >= 20
            and last[-1] not in _SENTENCE_END
        )
    return out


def _layout(text: str) -> list[_Page]:
    layout = _Layout()
    items = _document(text)
    first_heading = True
    for i, (kind, piece) in enumerate(items):
        if kind == "table":
            layout.table(piece)
            continue
        if kind == "page":
            if not layout.empty:
                layout.new_page()
            continue
        parts = piece if isinstance(piece, list) else [piece]
        # Keep a table's title and captions with the start of the table (Word's
        # "keep with next"): short text pieces right before a table move with it.
        need = 0.0
        for k in range(i, min(i + 4, len(items))):
            k_kind, k_piece = items[k]
            if k_kind == "page":
                need = 0.0
                break
            if k_kind == "table":
                table = _Table(k_piece, A4[0] - 2 * _MARGIN_X)
                if table.landscape and layout.page.width < layout.page.height:
                    layout.new_page(landscape=True)  # the title goes with it
                need += table.start_height()
                break
            text = "".join(k_piece) if k_kind == "paragraph" else str(k_piece)
            if len(text) > 40:
                need = 0.0
                break
            need += layout.text_height(k_kind, text)
        else:
            need = 0.0
        if need and need > layout.room and not layout.empty:
            layout.new_page()
        if kind == "heading":
            layout.heading(str(parts[0]), title=first_heading)
            first_heading = False
        else:
            layout.paragraph(parts)
    if len(layout.pages) > 1 and not layout.page.texts and not layout.page.rules:
        layout.pages.pop()
    m = _metrics()
    for number, page in enumerate(layout.pages, start=1):
        label = f"- {number} -"
        page.texts.append(
            ((page.width - m.width(label, 9.0)) / 2, page.height - _FOOTER, 9.0, label)
        )
    return layout.pages


# ------------------------------------------------------------------------- render


def _runs(text: str) -> Iterator[tuple[int, str]]:
    """Consecutive characters set in the same font: (0, Latin) or (1, CJK). Spaces are
    set as Latin spaces so the text layer keeps them."""
    start = 0
    kind = -1
    for i, ch in enumerate(text):
        k = 0 if ("\x20" <= ch <= "\x7e" or ch.isspace()) else 1
        if k != kind:
            if i > start:
                yield kind, text[start:i]
            start, kind = i, k
    if start < len(text):
        yield kind, text[start:]


def as_pdf(text: str) -> bytes:
    """A text dump (tests/parsing/data/*.txt format) as an A4 PDF with a real text layer,
    ruled tables and an embedded CJK font."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    pages = _layout(text)
    m = _metrics()
    used = {ch for spec in pages for *_, line in spec.texts for ch in line}
    font_data = m.cjk.subset({ch for ch in used if not ("\x20" <= ch <= "\x7e" or ch.isspace())})
    pdf = pdfium.PdfDocument.new()
    buf = (ctypes.c_uint8 * len(font_data)).from_buffer_copy(font_data)
    cjk = c.FPDFText_LoadFont(pdf.raw, buf, len(font_data), c.FPDF_FONT_TRUETYPE, True)
    latin = c.FPDFText_LoadStandardFont(pdf.raw, b"Times-Roman")
    if not cjk or not latin:
        raise RuntimeError("pdfium could not load the fonts")
    try:
        for spec in pages:
            page = pdf.new_page(spec.width, spec.height)
            for x, base, size, line in spec.texts:
                for kind, run in _runs(line):
                    if kind == 0:
                        shown = "".join(" " if ch.isspace() else ch for ch in run)
                    else:
                        shown = run
                    obj = c.FPDFPageObj_CreateTextObj(
                        pdf.raw, cjk if kind else latin, ctypes.c_float(size)
                    )
                    wide = ctypes.create_string_buffer((shown + "\0").encode("utf-16-le"))
                    c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(c.FPDF_WCHAR)))
                    c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, spec.height - base)
                    c.FPDFPage_InsertObject(page.raw, obj)
                    x += m.width(run, size)
            for x0, y0, x1, y1 in spec.rules:
                path = c.FPDFPageObj_CreateNewPath(
                    ctypes.c_float(x0), ctypes.c_float(spec.height - y0)
                )
                c.FPDFPath_LineTo(path, ctypes.c_float(x1), ctypes.c_float(spec.height - y1))
                c.FPDFPageObj_SetStrokeWidth(path, ctypes.c_float(0.5))
                c.FPDFPageObj_SetStrokeColor(path, 0, 0, 0, 255)
                c.FPDFPath_SetDrawMode(path, 0, 1)
                c.FPDFPage_InsertObject(page.raw, path)
            c.FPDFPage_GenerateContent(page.raw)
            page.close()
        out = io.BytesIO()
        pdf.save(out)
    finally:
        c.FPDFFont_Close(cjk)
        c.FPDFFont_Close(latin)
        pdf.close()
    return out.getvalue()
