"""PDF reader: text-based PDFs (Word/WPS/Excel exports) to paragraphs and tables.

Design (measured on the five sample PDFs, see ``python -m disclosures.parsing.bench``):

* **Fast path, pypdfium2 only.** For every page we read the characters with their
  boxes (``FPDFText_*``) and the ruling lines from the page's path objects. Ruled
  ("lattice") tables are rebuilt from the ruling lines: the distinct x of the vertical
  rules are the column boundaries, the distinct y of the horizontal rules the row
  boundaries, and a missing rule between two grid cells means a merged cell. Text
  outside ruled tables is grouped into visual lines by y; runs of lines that split into
  several aligned pieces (big x gaps) become unruled ("stream") tables, whose columns
  come from a projection profile of the pieces. The rest becomes paragraphs, wrapped
  lines joined.
* **Slow path, pdfplumber, per page.** pdfplumber's table finder is accurate but ~30
  times slower than reading the characters with pdfium. It is only asked for the cell
  grid of pages whose rules the fast path could not turn into a consistent grid (many
  rules but no table, or characters straddling the rules it found); the cells are
  then filled with the same pdfium characters.

A merged cell's text is put in its top-left grid cell and the other cells it covers are
"" (the convention of the text dumps and of pdfplumber), so the columns of every row
line up with the header. Every block carries its 1-based page; a table split across
pages yields one Table per page, rows top to bottom.

Memory: pages are loaded, read and closed one at a time; only the extracted strings are
kept, so a 100-page file stays far below 300 MB.
"""

from __future__ import annotations

import bisect
import ctypes
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import ParseError
from ..types import Block, Document, Paragraph, Table

log = logging.getLogger(__name__)

__all__ = ["read_pdf"]

# Geometry tolerances, in PDF points (1/72 inch).
_SNAP = 2.0  # rules closer than this are the same rule (double lines, stroke width)
_JOIN = 3.0  # collinear rule pieces with a gap up to this are one rule (dashes)
_MIN_RULE = 4.0  # shorter path pieces are glyph decoration, not table rules

# How a numbered heading starts: 第二部分, 二、, （三）, 1. (not 1.5 or 2020).
_NUMBERED = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|"
    r"[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．](?!\d))"
)
_AMOUNT_RE = re.compile(r"^[-−+]?[\d,，]+(\.\d+)?%?$|^[-−]$")

# (a, b, c, d, e, f): X = a*x + b*y + c, Y = d*x + e*y + f (see _page_transform).
_Transform = tuple[float, float, float, float, float, float]
_Box = tuple[float, float, float, float]  # x0, top, x1, bottom in display coordinates
# A table found by pdfplumber: its bbox and, row by row, each cell's box (None: covered
# by a merged cell).
_CellTable = tuple[_Box, list[list[_Box | None]]]


class _Char:
    """One glyph in display coordinates (top-down); centre and size precomputed
    because layout reads them many times per character. ``base`` is the baseline:
    lines are grouped by it because punctuation (，、。) often has a box far
    smaller and lower than the characters beside it."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "space", "cx", "cy", "size", "base")

    def __init__(
        self, text: str, x0: float, top: float, x1: float, bottom: float, space: bool, base: float
    ) -> None:
        self.text = text
        self.x0, self.top, self.x1, self.bottom = x0, top, x1, bottom
        self.space = space  # a space (real or inferred by pdfium) precedes it
        self.cx = (x0 + x1) / 2
        self.cy = (top + bottom) / 2
        self.size = bottom - top
        self.base = base


@dataclass(slots=True)
class _Line:
    chars: list[_Char]
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    size: float = 0.0  # median character height: robust to mixed fonts in a line
    pieces: list[list[_Char]] = field(default_factory=list)

    def finish(self) -> _Line:
        chars = self.chars
        chars.sort(key=lambda c: c.x0)
        self.x0 = min(c.x0 for c in chars)
        self.x1 = max(c.x1 for c in chars)
        self.top = min(c.top for c in chars)
        self.bottom = max(c.bottom for c in chars)
        self.size = sorted(c.bottom - c.top for c in chars)[len(chars) // 2]
        return self


@dataclass(slots=True)
class _Seg:
    """A ruling line: horizontal (fixed y, from a to b along x) or vertical."""

    pos: float
    a: float
    b: float


@dataclass(slots=True)
class _Grid:
    """A ruled table: boundaries plus the rules, for merged-cell detection."""

    xs: list[float]
    ys: list[float]
    hsegs: list[_Seg]
    vsegs: list[_Seg]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


@dataclass(slots=True)
class _Item:
    """A positioned page element before it becomes a block."""

    top: float
    x0: float
    line: _Line | None = None
    rows: list[tuple[str, ...]] | None = None


@dataclass(slots=True)
class PdfStats:
    """What the reader did, for the benchmark (pages sent to pdfplumber etc.)."""

    pages: int = 0
    slow_pages: list[int] = field(default_factory=list)
    ruled_tables: int = 0
    stream_tables: int = 0
    textless_pages: list[int] = field(default_factory=list)


# ---------------------------------------------------------------------------- entry


def read_pdf(
    data: bytes,
    filename: str = "",
    *,
    stats: PdfStats | None = None,
    progress: Callable[[int], None] | None = None,
) -> Document:
    """Read a PDF into a :class:`Document`.

    Pages without a text layer that hold a scan, and every page of a file whose text
    layer is mostly unmapped glyphs, are read by OCR (:mod:`.ocr`, which reports to
    ``progress``). Raises :class:`ParseError` for an encrypted, corrupt or truncated file
    and for a PDF with neither text nor anything to recognise. ``stats``, when given, is
    filled with what the reader did (used by the benchmark).
    """
    stats = stats if stats is not None else PdfStats()
    pdf = _open(data)
    try:
        n_pages = len(pdf)
        stats.pages = n_pages
        blocks: list[Block] = []
        text_chars = 0
        unmapped = 0
        plumber: _Plumber | None = None
        for index in range(n_pages):
            page = pdf[index]
            try:
                chars, n_unmapped = _page_chars(page)
                text_chars += len(chars)
                unmapped += n_unmapped
                if not chars:
                    stats.textless_pages.append(index + 1)
                    continue
                hsegs, vsegs = _page_rules(page)
                grids = _grids(hsegs, vsegs)
                if _needs_slow_path(chars, hsegs, vsegs, grids):
                    if plumber is None:
                        plumber = _Plumber(data)
                    plumber_grids = plumber.cells(index, page)
                    if plumber_grids is not None:
                        stats.slow_pages.append(index + 1)
                        items = _layout_cells(chars, plumber_grids, stats)
                    else:
                        items = _layout(chars, grids, stats)
                else:
                    items = _layout(chars, grids, stats)
            finally:
                page.close()
            _emit(items, index + 1, blocks)
        if plumber is not None:
            plumber.close()
    finally:
        pdf.close()

    garbage = unmapped > 0.5 * (text_chars + unmapped)
    if stats.textless_pages or garbage:
        from .ocr import read_scanned_pages

        scanned = read_scanned_pages(
            data,
            range(1, n_pages + 1) if garbage else stats.textless_pages,
            [] if garbage else blocks,
            n_pages,
            force=garbage,
            progress=progress,
        )
        if scanned is not None:
            return scanned
    if text_chars == 0 or garbage:
        raise ParseError("scanned_pdf")
    return Document(blocks=tuple(blocks), format="pdf", pages=n_pages)


def _open(data: bytes) -> pdfium.PdfDocument:
    if not data.rstrip(b"\x00 \t\r\n")[-1024:].count(b"%%EOF"):
        # pdfium silently "repairs" a cut-off download and returns the first pages;
        # a truncated upload must be reported, not half-read.
        raise ParseError("truncated_pdf")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ParseError("encrypted") from err
        raise ParseError("damaged_pdf") from err


# -------------------------------------------------------------------- page content


def _page_transform(page: pdfium.PdfPage) -> _Transform:
    """Coefficients (a, b, c, d, e, f) mapping PDF user space to top-down display
    coordinates, X = a*x + b*y + c and Y = d*x + e*y + f (honours /Rotate)."""
    left, bottom, right, top = page.get_mediabox()
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return 0.0, 1.0, -bottom, 1.0, 0.0, -left
    if rotation == 180:
        return -1.0, 0.0, right, 0.0, 1.0, -bottom
    if rotation == 270:
        return 0.0, -1.0, top, -1.0, 0.0, right
    return 1.0, 0.0, -left, 0.0, -1.0, top


def _box(tf: _Transform, left: float, bottom: float, right: float, top: float) -> _Box:
    a, b, c, d, e, f = tf
    ax, ay = a * left + b * bottom + c, d * left + e * bottom + f
    bx, by = a * right + b * top + c, d * right + e * top + f
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _point(tf: _Transform, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = tf
    return a * x + b * y + c, d * x + e * y + f


def _fix_char(ch: str) -> str:
    # WPS/Word exports often map glyphs to Kangxi radicals or compatibility
    # ideographs (⽤ for 用); fold only those ranges so full-width punctuation stays.
    o = ord(ch)
    if 0x2E80 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF:
        return unicodedata.normalize("NFKC", ch)
    return ch


def _page_chars(page: pdfium.PdfPage) -> tuple[list[_Char], int]:
    """The page's visible characters in display coordinates, and how many have no
    Unicode mapping (garbage text layers count as no text)."""
    tf = _page_transform(page)
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        rect = pdfium_c.FS_RECTF()
        chars: list[_Char] = []
        unmapped = 0
        pending_space = False
        # One call for the whole text instead of one per character.
        buf = ctypes.create_string_buffer((n + 1) * 2)
        got = pdfium_c.FPDFText_GetText(
            raw, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort))
        )
        units: Sequence[int] = memoryview(buf.raw).cast("H")[: max(got - 1, 0)]
        if len(units) != n:  # should not happen; fall back to per-char reads
            units = [pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(n)]
        get_box = pdfium_c.FPDFText_GetLooseCharBox
        get_origin = pdfium_c.FPDFText_GetCharOrigin
        ox, oy = ctypes.c_double(), ctypes.c_double()
        upright = tf[:2] == (1.0, 0.0) and tf[3:5] == (0.0, -1.0)
        dx, dy = -tf[2], tf[5]
        map_error = pdfium_c.FPDFText_HasUnicodeMapError
        for i in range(n):
            code = units[i]
            if code in (32, 0x3000, 0xA0, 13, 10, 9, 0, 0xFFFE, 0xFFFF):
                pending_space = pending_space or code in (32, 0x3000, 0xA0)
                continue
            if 0xD800 <= code < 0xE000:
                continue  # surrogate halves: rare outside CJK extension B; skip
            if map_error(raw, i):
                unmapped += 1
                continue
            get_box(raw, i, rect)
            get_origin(raw, i, ox, oy)
            if upright:  # the common case, inlined: this loop runs for every char
                x0, x1, top, bottom = (
                    rect.left - dx,
                    rect.right - dx,
                    dy - rect.top,
                    dy - rect.bottom,
                )
                base = dy - oy.value
            else:
                x0, top, x1, bottom = _box(tf, rect.left, rect.bottom, rect.right, rect.top)
                base = _point(tf, ox.value, oy.value)[1]
            if bottom - top <= 0.1:
                continue
            chars.append(_Char(_fix_char(chr(code)), x0, top, x1, bottom, pending_space, base))
            pending_space = False
        return chars, unmapped
    finally:
        textpage.close()


def _page_rules(page: pdfium.PdfPage) -> tuple[list[_Seg], list[_Seg]]:
    """Horizontal and vertical ruling lines drawn on the page (merged)."""
    tf = _page_transform(page)
    width, height = page.get_size()
    hs: list[_Seg] = []
    vs: list[_Seg] = []
    left = ctypes.c_float()
    bottom = ctypes.c_float()
    right = ctypes.c_float()
    top = ctypes.c_float()
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    px = ctypes.c_float()
    py = ctypes.c_float()

    def add(x0: float, y0: float, x1: float, y1: float) -> None:
        if abs(y1 - y0) <= _SNAP and abs(x1 - x0) >= _MIN_RULE / 2:
            hs.append(_Seg((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= _SNAP and abs(y1 - y0) >= _MIN_RULE / 2:
            vs.append(_Seg((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    for raw in _path_objects(page):
        if not pdfium_c.FPDFPageObj_GetBounds(raw, left, bottom, right, top):
            continue
        x0, y0, x1, y1 = _box(tf, left.value, bottom.value, right.value, top.value)
        w, h = x1 - x0, y1 - y0
        if w <= _SNAP * 1.5 or h <= _SNAP * 1.5:
            # A stroked line or a thin filled bar: its bounds are the rule.
            add(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2) if w > h else add(
                (x0 + x1) / 2, y0, (x0 + x1) / 2, y1
            )
            continue
        if w > 0.9 * width and h > 0.9 * height:
            continue  # page background or frame, never a table
        pdfium_c.FPDFPath_GetDrawMode(raw, fill, stroke)
        if not stroke.value:
            continue  # filled areas (cell shading) are not rules
        # A stroked outline (cell rectangles, polylines): take its straight pieces.
        m = pdfium_c.FS_MATRIX()
        pdfium_c.FPDFPageObj_GetMatrix(raw, m)
        a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
        start: tuple[float, float] | None = None
        prev: tuple[float, float] | None = None
        for k in range(pdfium_c.FPDFPath_CountSegments(raw)):
            seg = pdfium_c.FPDFPath_GetPathSegment(raw, k)
            pdfium_c.FPDFPathSegment_GetPoint(seg, px, py)
            ux, uy = a * px.value + c * py.value + e, b * px.value + d * py.value + f
            point = _point(tf, ux, uy)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = point
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
                add(prev[0], prev[1], point[0], point[1])
            prev = point
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                add(point[0], point[1], start[0], start[1])
                prev = start
    return _merge_segs(hs), _merge_segs(vs)


def _path_objects(page: pdfium.PdfPage) -> Iterator[Any]:
    """Raw handles of the page's path objects, including those inside form
    XObjects (raw calls: the object wrappers cost more than the reading)."""
    count, get, kind = (
        pdfium_c.FPDFPage_CountObjects,
        pdfium_c.FPDFPage_GetObject,
        pdfium_c.FPDFPageObj_GetType,
    )
    path, form = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    stack = []
    for i in range(count(page.raw)):
        stack.append(get(page.raw, i))
    while stack:
        obj = stack.pop()
        t = kind(obj)
        if t == path:
            yield obj
        elif t == form:
            for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                stack.append(pdfium_c.FPDFFormObj_GetObject(obj, i))


def _merge_segs(segs: list[_Seg]) -> list[_Seg]:
    """Snap rules to common positions and join collinear pieces."""
    if not segs:
        return []
    segs.sort(key=lambda s: s.pos)
    groups: list[list[_Seg]] = [[segs[0]]]
    for s in segs[1:]:
        if s.pos - groups[-1][-1].pos <= _SNAP:
            groups[-1].append(s)
        else:
            groups.append([s])
    out: list[_Seg] = []
    for group in groups:
        pos = sum(s.pos for s in group) / len(group)
        group.sort(key=lambda s: s.a)
        cur = _Seg(pos, group[0].a, group[0].b)
        for s in group[1:]:
            if s.a <= cur.b + _JOIN:
                cur.b = max(cur.b, s.b)
            else:
                out.append(cur)
                cur = _Seg(pos, s.a, s.b)
        out.append(cur)
    return [s for s in out if s.b - s.a >= _MIN_RULE]


# ------------------------------------------------------------------- ruled tables


def _grids(hsegs: list[_Seg], vsegs: list[_Seg]) -> list[_Grid]:
    """Connected sets of crossing rules that form at least a 1x2 grid."""
    n_h = len(hsegs)
    segs = [("h", s) for s in hsegs] + [("v", s) for s in vsegs]
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = _JOIN
    for i, h in enumerate(hsegs):
        for j, v in enumerate(vsegs, start=n_h):
            if h.a - tol <= v.pos <= h.b + tol and v.a - tol <= h.pos <= v.b + tol:
                parent[find(i)] = find(j)
    comps: dict[int, list[int]] = {}
    for i in range(len(segs)):
        comps.setdefault(find(i), []).append(i)

    grids: list[_Grid] = []
    for members in comps.values():
        hh = [segs[i][1] for i in members if segs[i][0] == "h"]
        vv = [segs[i][1] for i in members if segs[i][0] == "v"]
        if len(hh) < 2 or not vv:
            continue
        ys = _cluster([s.pos for s in hh])
        xs = _cluster([s.pos for s in vv])
        # Tables drawn without outer side borders: the horizontal rules' ends are
        # the outer column boundaries (and the vertical rules' ends the outer rows).
        xl, xr = min(s.a for s in hh), max(s.b for s in hh)
        if xl < xs[0] - _JOIN:
            xs.insert(0, xl)
        if xr > xs[-1] + _JOIN:
            xs.append(xr)
        yt, yb = min(s.a for s in vv), max(s.b for s in vv)
        if yt < ys[0] - _JOIN:
            ys.insert(0, yt)
        if yb > ys[-1] + _JOIN:
            ys.append(yb)
        if len(xs) < 2 or len(ys) < 2 or (len(xs) - 1) * (len(ys) - 1) < 2:
            continue  # a single framed box (text box, page frame), not a table
        grids.append(_Grid(xs, ys, hh, vv))
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids


def _cluster(values: list[float]) -> list[float]:
    values = sorted(values)
    out: list[list[float]] = [[values[0]]]
    for v in values[1:]:
        if v - out[-1][-1] <= _SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _covered(segs: list[_Seg], pos: float, at: float) -> bool:
    """Is there a rule at ``pos`` passing through ``at``?"""
    for s in segs:
        if abs(s.pos - pos) <= _SNAP and s.a - _SNAP <= at <= s.b + _SNAP:
            return True
    return False


def _grid_regions(grid: _Grid) -> list[tuple[int, int, int, int]]:
    """Merged cells of a grid as (row0, col0, row1, col1), end-exclusive."""
    xs, ys = grid.xs, grid.ys
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner = [[-1] * n_cols for _ in range(n_rows)]
    regions: list[tuple[int, int, int, int]] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if owner[r][c] >= 0:
                continue
            # Extend right while no vertical rule separates, then down while no
            # horizontal rule closes the whole span.
            c1 = c + 1
            ymid = (ys[r] + ys[r + 1]) / 2
            while c1 < n_cols and not _covered(grid.vsegs, xs[c1], ymid) and owner[r][c1] < 0:
                c1 += 1
            r1 = r + 1
            while r1 < n_rows and all(
                not _covered(grid.hsegs, ys[r1], (xs[k] + xs[k + 1]) / 2) and owner[r1][k] < 0
                for k in range(c, c1)
            ):
                r1 += 1
            region = len(regions)
            regions.append((r, c, r1, c1))
            for rr in range(r, r1):
                for cc in range(c, c1):
                    owner[rr][cc] = region
    return regions


def _fill_grid(grid: _Grid, chars: list[_Char]) -> list[tuple[str, ...]]:
    """Rows of cell texts for one ruled table (chars already inside its bbox)."""
    xs, ys = grid.xs, grid.ys
    n_cols = len(xs) - 1
    regions = _grid_regions(grid)
    # Map each char to the grid cell holding its centre, then to that cell's region.
    cell_region: dict[tuple[int, int], int] = {}
    for k, (r0, c0, r1, c1) in enumerate(regions):
        for r in range(r0, r1):
            for c in range(c0, c1):
                cell_region[(r, c)] = k
    region_chars: list[list[_Char]] = [[] for _ in regions]
    for ch in chars:
        r = min(max(bisect.bisect_right(ys, ch.cy) - 1, 0), len(ys) - 2)
        c = min(max(bisect.bisect_right(xs, ch.cx) - 1, 0), n_cols - 1)
        region_chars[cell_region[(r, c)]].append(ch)

    rows: list[tuple[str, ...]] = []
    by_row: dict[int, list[int]] = {}
    for k, reg in enumerate(regions):
        by_row.setdefault(reg[0], []).append(k)
    for r in range(len(ys) - 1):
        starting = by_row.get(r, [])
        cells_lines = {k: _lines(region_chars[k]) for k in starting}
        # A band without horizontal rules between its text lines (tables ruled
        # only by columns): split it into one row per visual line.
        stacked = any(
            regions[k][2] == r + 1
            and len(ls) >= 2
            and sum(1 for ln in ls if _AMOUNT_RE.match(_line_text(ln))) >= 2
            for k, ls in cells_lines.items()
        )
        if stacked:
            rows.extend(_split_band(regions, starting, cells_lines, n_cols))
            continue
        row = [""] * n_cols
        for k in starting:
            row[regions[k][1]] = _join_lines(cells_lines[k])
        rows.append(tuple(row))
    return rows


def _split_band(
    regions: list[tuple[int, int, int, int]],
    starting: list[int],
    cells_lines: dict[int, list[_Line]],
    n_cols: int,
) -> list[tuple[str, ...]]:
    """One output row per visual text line across a band of cells."""
    lines = [(ln, k) for k in starting for ln in cells_lines[k]]
    lines.sort(key=lambda t: t[0].top)
    groups: list[list[tuple[_Line, int]]] = []
    for ln, k in lines:
        if groups:
            ref = groups[-1][0][0]
            if ln.top < (ref.top + ref.bottom) / 2 and ln.top < ref.bottom - 0.3 * ln.size:
                groups[-1].append((ln, k))
                continue
        groups.append([(ln, k)])
    rows = []
    for group in groups:
        row = [""] * n_cols
        for ln, k in group:
            col = regions[k][1]
            text = _line_text(ln)
            row[col] = _join_text(row[col], text) if row[col] else text
        rows.append(tuple(row))
    return rows


# -------------------------------------------------------------------- lines, text


def _lines(chars: list[_Char]) -> list[_Line]:
    """Group characters into visual lines (top to bottom)."""
    if not chars:
        return []
    chars = sorted(chars, key=lambda c: c.base)
    lines: list[_Line] = []
    cur = [chars[0]]
    base_sum, size = chars[0].base, chars[0].size
    for ch in chars[1:]:
        # Same line when the baseline is within 0.4 character of the line's mean
        # baseline; a fixed reference (not a growing band) keeps tightly spaced
        # lines apart, and the largest glyph sets the scale (punctuation is tiny).
        if ch.base - base_sum / len(cur) < 0.4 * max(size, ch.size):
            cur.append(ch)
            base_sum += ch.base
            size = max(size, ch.size)
        else:
            lines.append(_Line(cur).finish())
            cur = [ch]
            base_sum, size = ch.base, ch.size
    lines.append(_Line(cur).finish())
    return lines


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _chars_text(chars: list[_Char]) -> str:
    out: list[str] = []
    prev: _Char | None = None
    for ch in chars:
        if prev is not None:
            gap = ch.x0 - prev.x1
            size = max(ch.size, prev.size)
            # Trust a space in the content only where there is a visible gap (the
            # content order may differ from our x order); infer one for wide gaps.
            if (ch.space and gap > 0.1 * size) or gap > 0.6 * size:
                out.append(" ")
        out.append(ch.text)
        prev = ch
    return "".join(out)


def _line_text(line: _Line) -> str:
    return _chars_text(line.chars)


def _join_text(a: str, b: str) -> str:
    """Join wrapped text: no space between CJK, a space between Latin words."""
    if not a:
        return b
    if not b:
        return a
    if _is_cjk(a[-1]) or _is_cjk(b[0]) or a[-1] in "-/（(":
        return a + b
    return a + " " + b


def _join_lines(lines: list[_Line]) -> str:
    text = ""
    for ln in lines:
        text = _join_text(text, _line_text(ln))
    return text.strip()


def _pieces(line: _Line) -> list[list[_Char]]:
    """Split a line at gaps wider than about one character (column gutters)."""
    pieces = [[line.chars[0]]]
    for prev, ch in zip(line.chars, line.chars[1:], strict=False):
        if ch.x0 - prev.x1 > 1.0 * max(ch.size, prev.size):
            pieces.append([ch])
        else:
            pieces[-1].append(ch)
    return pieces


# ------------------------------------------------------------------ page layout


def _needs_slow_path(
    chars: list[_Char], hsegs: list[_Seg], vsegs: list[_Seg], grids: list[_Grid]
) -> bool:
    """Rules that did not form a usable grid, or a grid that cuts through text."""
    long_h = [s for s in hsegs if s.b - s.a > 30]
    if not grids:
        return len(long_h) >= 4 and len(vsegs) >= 2
    for grid in grids:
        x0, y0, x1, y1 = grid.bbox
        inner = grid.xs[1:-1]
        for ch in chars:
            if not (x0 <= ch.cx <= x1 and y0 <= ch.cy <= y1):
                continue
            w = ch.x1 - ch.x0
            for x in inner:
                # A character cut in the middle by a rule that runs through its row
                # means the grid is wrong (rules are drawn between cells).
                if ch.x0 + 0.3 * w < x < ch.x1 - 0.3 * w and _covered(grid.vsegs, x, ch.cy):
                    return True
    return False


def _layout(chars: list[_Char], grids: list[_Grid], stats: PdfStats) -> list[_Item]:
    """Place one page's chars into ruled tables, stream tables and text lines."""
    items: list[_Item] = []
    rest = chars
    for grid in grids:
        x0, y0, x1, y1 = grid.bbox
        inside: list[_Char] = []
        outside: list[_Char] = []
        for ch in rest:
            (inside if x0 <= ch.cx <= x1 and y0 <= ch.cy <= y1 else outside).append(ch)
        rest = outside
        if not inside:
            continue  # a drawn box with nothing in it (signature box, empty form)
        rows = _fill_grid(grid, inside)
        rows = [r for r in rows if any(r)]
        if rows:
            stats.ruled_tables += 1
            items.append(_Item(y0, x0, rows=rows))
    items.extend(_text_items(_lines(rest), stats))
    items.sort(key=lambda it: (it.top, it.x0))
    return items


def _layout_cells(chars: list[_Char], tables: list[_CellTable], stats: PdfStats) -> list[_Item]:
    """Layout with cell boxes from pdfplumber (slow path)."""
    items: list[_Item] = []
    rest = chars
    for bbox, rows_of_cells in tables:
        x0, y0, x1, y1 = bbox
        inside: list[_Char] = []
        outside: list[_Char] = []
        for ch in rest:
            (inside if x0 <= ch.cx <= x1 and y0 <= ch.cy <= y1 else outside).append(ch)
        rest = outside
        rows: list[tuple[str, ...]] = []
        for cells in rows_of_cells:
            row = []
            for cell in cells:
                if cell is None:
                    row.append("")
                    continue
                cx0, cy0, cx1, cy1 = cell
                mine = [c for c in inside if cx0 <= c.cx <= cx1 and cy0 <= c.cy <= cy1]
                row.append(_join_lines(_lines(mine)))
            if any(row):
                rows.append(tuple(row))
        if rows:
            stats.ruled_tables += 1
            items.append(_Item(y0, x0, rows=rows))
    items.extend(_text_items(_lines(rest), stats))
    items.sort(key=lambda it: (it.top, it.x0))
    return items


def _text_items(lines: list[_Line], stats: PdfStats) -> list[_Item]:
    """Text lines, with runs of column-aligned lines turned into stream tables."""
    for ln in lines:
        ln.pieces = _pieces(ln)
    items: list[_Item] = []
    i = 0
    while i < len(lines):
        run = _stream_run(lines, i)
        if run > i:
            rows = _stream_rows(lines[i:run])
            if rows:
                stats.stream_tables += 1
                items.append(_Item(lines[i].top, min(ln.x0 for ln in lines[i:run]), rows=rows))
                i = run
                continue
        items.append(_Item(lines[i].top, lines[i].x0, line=lines[i]))
        i += 1
    return items


def _is_tabular(line: _Line) -> bool:
    return len(line.pieces) >= 3 or (
        len(line.pieces) == 2 and _AMOUNT_RE.match(_chars_text(line.pieces[-1])) is not None
    )


def _stream_run(lines: list[_Line], i: int) -> int:
    """End (exclusive) of a run of at least 3 tabular lines starting at ``i``; a
    lone non-tabular line inside the run (a wrapped name) is allowed. Returns ``i``
    when there is no such run."""
    if not _is_tabular(lines[i]):
        return i
    j = i + 1
    last = i
    while j < len(lines):
        gap = lines[j].top - lines[j - 1].bottom
        if gap > 2.0 * lines[j].size:
            break
        if _is_tabular(lines[j]):
            last = j
        elif j - last > 1:
            break
        j += 1
    end = last + 1
    return end if end - i >= 3 else i


def _stream_rows(lines: list[_Line]) -> list[tuple[str, ...]]:
    """Columns of an unruled table from where its pieces lie (projection profile)."""
    x_min = min(ln.x0 for ln in lines)
    x_max = max(ln.x1 for ln in lines)
    width = int(x_max - x_min) + 2
    cover = [0] * width
    for ln in lines:
        for piece in ln.pieces:
            a = int(piece[0].x0 - x_min)
            b = int(piece[-1].x1 - x_min) + 1
            for x in range(max(a, 0), min(b, width)):
                cover[x] += 1
    # A gutter is where (almost) no line has text; a header spanning two columns
    # may bridge a gutter, hence the allowance.
    allow = len(lines) // 7
    bands: list[tuple[float, float]] = []
    start = None
    for x, n in enumerate(cover + [0]):
        if n > allow and start is None:
            start = x
        elif n <= allow and start is not None:
            bands.append((start + x_min, x + x_min))
            start = None
    if len(bands) < 2:
        return []
    rows = []
    for ln in lines:
        row = [""] * len(bands)
        for piece in ln.pieces:
            pa, pb = piece[0].x0, piece[-1].x1
            best, best_overlap = 0, -1.0
            for k, (ba, bb) in enumerate(bands):
                overlap = min(pb, bb) - max(pa, ba)
                if overlap > best_overlap:
                    best, best_overlap = k, overlap
            text = _chars_text(piece)
            row[best] = (row[best] + " " + text).strip() if row[best] else text
        rows.append(tuple(row))
    return rows


def _emit(items: list[_Item], page_no: int, blocks: list[Block]) -> None:
    """Turn a page's items into blocks, joining wrapped text lines into paragraphs."""
    text_lines = [it.line for it in items if it.line is not None]
    right = max((ln.x1 for ln in text_lines), default=0.0)
    left = min((ln.x0 for ln in text_lines), default=0.0)
    para: list[_Line] = []

    def flush() -> None:
        if para:
            text = ""
            for ln in para:
                text = _join_text(text, _piece_text(ln))
            text = text.strip()
            if text:
                blocks.append(Paragraph(text=text, index=len(blocks), page=page_no))
            para.clear()

    for it in items:
        if it.rows is not None:
            flush()
            blocks.append(Table(rows=tuple(it.rows), index=len(blocks), page=page_no))
            continue
        ln = it.line
        assert ln is not None
        if para:
            prev = para[-1]
            # Continue the paragraph when the previous line ran to the right margin
            # (it wrapped), this line is not indented, and the spacing is normal.
            ended = prev.chars[-1].text in "。：:！？!?"
            first = ln.chars[0].text
            wrapped = (
                prev.x1 >= right - 1.5 * prev.size
                # CJK line breaking keeps a character with the punctuation after it
                # (元，) so a wrapped line may stop up to two characters short.
                or (prev.x1 >= right - 2.5 * prev.size and not ended)
                # Word moves a whole number or Latin word to the next line, leaving
                # a wider gap; a sentence end means the paragraph really ended.
                or (
                    prev.x1 >= right - 6 * prev.size
                    and first.isascii()
                    and first.isalnum()
                    and not ended
                )
            )
            flush_left = ln.x0 <= left + 0.8 * ln.size
            # Line pitch from baselines: box heights differ between the CJK and
            # the Latin/digit fonts of one paragraph, baselines do not.
            close = ln.chars[0].base - prev.chars[-1].base < 2.2 * min(ln.size, prev.size)
            # A sentence that happens to end at the right margin, then a numbered
            # heading ("二、支出预算情况") flush left: the heading starts a new block.
            heading = ended and _NUMBERED.match(_chars_text(ln.chars[:8])) is not None
            if not (wrapped and flush_left and close) or heading:
                flush()
        para.append(ln)
    flush()


def _piece_text(line: _Line) -> str:
    # Pieces of a non-table line (e.g. "单位：XX局      单位：万元") keep a visible
    # separation so neighbouring fields do not run together.
    return "  ".join(_chars_text(p) for p in (line.pieces or [line.chars]))


# ---------------------------------------------------------------- pdfplumber path


class _Plumber:
    """pdfplumber opened lazily, only when a page needs its table finder."""

    def __init__(self, data: bytes) -> None:
        import io

        import pdfplumber

        self._pdf: Any = pdfplumber.open(io.BytesIO(data))

    def cells(self, index: int, page: pdfium.PdfPage) -> list[_CellTable] | None:
        """[(bbox, rows of cell boxes or None)] in our display coordinates, or None."""
        if page.get_rotation() % 360:
            return None  # coordinates would need rotating; the fast path is kept
        try:
            ppage = self._pdf.pages[index]
            # pdfplumber (pdfminer) measures x from the mediabox's left edge and y
            # down from its top, exactly like _page_transform for an unrotated page.
            out = []
            for table in ppage.find_tables():
                rows = [
                    [None if cell is None else tuple(cell) for cell in row.cells]
                    for row in table.rows
                ]
                out.append((tuple(table.bbox), rows))
            ppage.close()
            return out
        except Exception:  # noqa: BLE001 - the fast path result is still usable
            log.warning(
                "pdfplumber failed on page %s; using the fast path", index + 1, exc_info=True
            )
            return None

    def close(self) -> None:
        self._pdf.close()
