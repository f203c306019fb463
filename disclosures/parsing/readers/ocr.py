"""OCR reader: scanned (image-only) PDF pages to the same blocks as the text path.

Many county and district disclosures are scanned, stamped paper. The PDF reader sends
every page without a usable text layer here (:func:`read_scanned_pages`); everything
after the reader — extraction, checks, provenance — is the same code as for a text PDF.

Per page:

1. **Render** the page with pdfium at :data:`OCR_DPI` in grayscale.
2. **Ruling lines** from the pixels: runs of dark pixels at least
   :data:`_MIN_RULE_PT` long along a row are horizontal rules; along a column, vertical
   rules when both ends meet a horizontal rule (a character's stroke never does) or when
   they are very long. They become the PDF reader's line segments, so its grid logic
   (``_grids``: boundaries, merged cells) builds the ruled tables exactly as for a text
   PDF. The rules are then whitened so they are not read as "1" or "|".
3. **Recognition** with RapidOCR (PP-OCRv4 Chinese detection and recognition models,
   shipped inside the ``rapidocr_onnxruntime`` wheel, run by onnxruntime on the CPU,
   offline: nothing is downloaded at run time). Each recognised line comes with the
   position of every character (from the CTC decoding), which become the PDF reader's
   characters in PDF points.
4. **Layout** with the PDF reader's own ``_layout``/``_emit``: characters in ruled
   tables go to their cells, aligned lines outside tables become stream tables (columns
   by x), the rest paragraphs.

Why RapidOCR and not Tesseract (measured on the 92 pages of the five sample PDFs,
rendered at 200 dpi, against each page's own text layer; ``docs`` in the commit): it
reads more numbers exactly and far more Chinese labels, and its models ship with the
package (Tesseract needs Debian's ``tesseract-ocr-chi-sim`` on every machine).

The result is an :class:`OcrDocument`: a :class:`Document` that also knows which pages
were read by OCR and where each recognised line lies, so :func:`mark_ocr` can flag the
provenance (``ocr``, ``bbox``) and add a check for every OCR'd figure no check confirms.

Limits (OCR costs seconds a page, the text path milliseconds): at most
:data:`OCR_MAX_PAGES` pages are recognised and the recognition must finish within
:data:`OCR_TIME_BUDGET` seconds, below the worker's soft time limit (240 s by default), so
a scan that is too long or too slow fails with its own message instead of a timeout.
"""

from __future__ import annotations

import collections
import concurrent.futures
import ctypes
import dataclasses
import functools
import logging
import os
import queue
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import ParseError
from ..types import Block, Check, Document, ParsedDisclosure, Source
from . import pdf as _pdf

log = logging.getLogger(__name__)

__all__ = [
    "OCR_DPI",
    "OCR_MAX_PAGES",
    "OCR_PROGRESS_SPAN",
    "OCR_TIME_BUDGET",
    "OcrDocument",
    "OcrLine",
    "mark_ocr",
    "read_scanned_pages",
]

# Resolution pages are rendered at. Recognition cost does not depend on it (every text
# line is scaled to the model's 48-pixel height); detection and ruling lines do. 200 dpi
# gives 10.5 pt characters about 29 pixels high, well inside what the models read.
OCR_DPI = 200
# A scan with more pages to recognise is refused (``scanned_pdf_too_long``): at 2–4 s a
# page on two cores, 60 pages stay inside OCR_TIME_BUDGET. A PDF that also has a text
# layer keeps its text pages and skips OCR instead.
OCR_MAX_PAGES = 60
# Seconds all pages' recognition may take together; past it the parse fails with
# ``ocr_timeout``. Below the worker's soft limit (CELERY_TASK_SOFT_TIME_LIMIT, 240 s) so
# the person sees why, with room left for extraction and storing.
OCR_TIME_BUDGET = 180.0
# Share of the 0–100 progress the recognition reports (parse() reports 50 after reading).
OCR_PROGRESS_SPAN = 48
# A page is a scan when images cover at least this share of it (a blank page or one
# with only a logo is not recognised).
_MIN_IMAGE_SHARE = 0.25
# Pages recognised at the same time, one engine and one core each.
OCR_WORKERS = max(1, min(2, os.cpu_count() or 1))
# The detector's input, long side in pixels (the page is scaled down to it).
_DET_SIDE = 1600

_PT = 72.0 / OCR_DPI  # one pixel in PDF points
_DARK = 160  # gray level below which a pixel is ink (stamps in red render mid-gray)
_MIN_RULE_PT = 18.0  # horizontal rules: longer than a character's stroke (10.5 pt type)
_LONG_RULE_PT = 60.0  # vertical runs this long are rules even with no horizontal rule
_END_TOL_PT = 3.0  # a vertical rule's end meets a horizontal rule within this
_MAX_RULE_THICK_PT = 3.0  # thicker dark bands are filled areas (black bars), not rules
_NUMBER = re.compile(r"[-−]?\d[\d,，]*(?:\.\d+)?")

Progress = Callable[[int], None]
_Gray = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One recognised text line: its text, page and box (PDF points, top-down), and
    each character's x span (PDF points)."""

    text: str
    page: int
    bbox: tuple[float, float, float, float]
    score: float
    chars: tuple[tuple[str, float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class OcrDocument(Document):
    """A PDF read (partly) by OCR: the pages recognised and the lines read on them."""

    ocr_pages: tuple[int, ...] = ()
    lines: tuple[OcrLine, ...] = ()


@dataclass(frozen=True, slots=True)
class _Recognised:
    """One line from the recogniser, in pixels: box, text, score and per-char boxes."""

    box: tuple[float, float, float, float]
    text: str
    score: float
    chars: tuple[tuple[str, float, float], ...]  # (char, x0, x1) in pixels


# ---------------------------------------------------------------------------- entry


def read_scanned_pages(
    data: bytes,
    pages: Sequence[int],
    text_blocks: Sequence[Block],
    n_pages: int,
    *,
    force: bool = False,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> OcrDocument | None:
    """Recognise the scanned ones among ``pages`` (1-based pages without a text layer)
    and merge them with the text pages' blocks, in page order. With ``force`` every one
    of ``pages`` is recognised, scan or not (a text layer of unmapped glyphs).

    Returns None when none of ``pages`` is a scan (blank pages), or when the file has a
    text layer elsewhere and the scan part is over :data:`OCR_MAX_PAGES` (the text pages
    are then read as before). Raises :class:`ParseError` for a scan that is too long
    (``scanned_pdf_too_long``), too slow (``ocr_timeout``) or where nothing could be read
    (``scanned_pdf_unreadable``).
    """
    pdf = pdfium.PdfDocument(data)
    try:
        scanned = [p for p in pages if force or _is_scan(pdf[p - 1])]
        if not scanned:
            return None
        if len(scanned) > OCR_MAX_PAGES:
            if text_blocks:
                log.warning(
                    "%d scanned pages: over the OCR limit, read the text only", len(scanned)
                )
                return None
            raise ParseError("scanned_pdf_too_long", pages=len(scanned), limit=OCR_MAX_PAGES)
        try:
            engines = _engines()
        except ImportError:
            log.exception("the OCR engine is not installed")
            if text_blocks:
                return None
            raise ParseError("scanned_pdf") from None
        by_page, lines = _recognise_pages(pdf, scanned, engines, progress, clock)
    finally:
        pdf.close()
    if not lines and not text_blocks:
        raise ParseError("scanned_pdf_unreadable")
    return OcrDocument(
        blocks=_merge(text_blocks, by_page, n_pages),
        format="pdf",
        pages=n_pages,
        ocr_pages=tuple(scanned),
        lines=tuple(lines),
    )


def _merge(
    text_blocks: Sequence[Block], ocr: dict[int, list[Block]], n_pages: int
) -> tuple[Block, ...]:
    """Text and OCR blocks in page order, indexes renumbered."""
    by_page: dict[int | None, list[Block]] = {}
    for block in text_blocks:
        by_page.setdefault(block.page, []).append(block)
    ordered: list[Block] = []
    for page_no in range(1, n_pages + 1):
        ordered += ocr.get(page_no) or by_page.get(page_no, [])
    ordered += by_page.get(None, [])
    return tuple(dataclasses.replace(b, index=i) for i, b in enumerate(ordered))


def _is_scan(page: pdfium.PdfPage) -> bool:
    """Images cover a good part of the page (a scan), not a blank or vector-only page."""
    width, height = (float(v) for v in page.get_size())
    area = 0.0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj in _page_objects(page):
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        if pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            w = min(right.value, width) - max(left.value, 0.0)
            h = min(top.value, height) - max(bottom.value, 0.0)
            area += max(w, 0.0) * max(h, 0.0)
    return area >= _MIN_IMAGE_SHARE * width * height


def _page_objects(page: pdfium.PdfPage) -> Iterator[Any]:
    """Raw handles of the page's objects, including those inside form XObjects."""
    stack = [
        pdfium_c.FPDFPage_GetObject(page.raw, i)
        for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))
    ]
    while stack:
        obj = stack.pop()
        yield obj
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            stack += [
                pdfium_c.FPDFFormObj_GetObject(obj, i)
                for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))
            ]


# ------------------------------------------------------------------------- engine


def _engines() -> queue.Queue[Any]:
    """A pool of :data:`OCR_WORKERS` engines: each thread takes one for a page."""
    pool: queue.Queue[Any] = queue.Queue()
    for engine in _engine_list(OCR_WORKERS):
        pool.put(engine)
    return pool


@functools.lru_cache(maxsize=2)
def _engine_list(n: int) -> tuple[Any, ...]:
    return tuple(_engine() for _ in range(n))


def _engine() -> Any:
    """A RapidOCR engine (loading the models takes about a second; kept per process).

    Settings: no direction classifier (scanned reports are upright; a rotated page
    carries /Rotate, which rendering honours); detection on the page scaled to at most
    :data:`_DET_SIDE` pixels; recognition one line at a time (a batch is padded to its
    widest line, which costs more than it saves on pages of short cells and long
    sentences); one onnxruntime thread per engine (pages run in parallel instead, which
    wastes no time on thread synchronisation).
    """
    from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]
    from rapidocr_onnxruntime.ch_ppocr_det.utils import (  # type: ignore[import-untyped]
        DetPreProcess,
    )

    engine = RapidOCR(
        use_cls=False,
        max_side_len=10_000,  # never shrink the page before recognition
        rec_batch_num=1,
        intra_op_num_threads=1,
        inter_op_num_threads=1,
    )
    detector = engine.text_det
    # RapidOCR 1.4 picks the detector's input size itself (2000 pixels for a page:
    # 1 GB of activations); ours is fixed. Recognition still reads the full image.
    fixed = DetPreProcess(_DET_SIDE, "max", detector.mean, detector.std)
    detector.get_preprocess = lambda _longest_side: fixed
    return engine


def _recognise(engine: Any, image: _Gray) -> list[_Recognised]:
    rgb = np.ascontiguousarray(np.repeat(image[:, :, None], 3, axis=2))
    result, _elapsed = engine(rgb, use_cls=False, return_word_box=True)
    out: list[_Recognised] = []
    for entry in result or []:
        quad, text, score = entry[0], str(entry[1]), float(entry[2])
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        box = (min(xs), min(ys), max(xs), max(ys))
        out.append(_Recognised(box, text, score, _char_boxes(text, box, entry)))
    return out


def _char_boxes(
    text: str, box: tuple[float, float, float, float], entry: Sequence[Any]
) -> tuple[tuple[str, float, float], ...]:
    """Each character's x span: from the recogniser's per-character boxes when they
    match the text one to one, else by dividing the line box (CJK one em, others half)."""
    if len(entry) >= 5:
        boxes, contents = entry[3], entry[4]
        if len(boxes) == len(contents) and "".join(map(str, contents)) == text:
            spans = []
            for ch, quad in zip(contents, boxes, strict=True):
                xs = [float(p[0]) for p in quad]
                spans.append((str(ch), min(xs), max(xs)))
            return tuple(spans)
    weights = [1.0 if _pdf._is_cjk(ch) else 0.55 for ch in text]
    total = sum(weights) or 1.0
    x0, _, x1, _ = box
    out = []
    pos = x0
    for ch, w in zip(text, weights, strict=True):
        step = (x1 - x0) * w / total
        out.append((ch, pos, pos + step))
        pos += step
    return tuple(out)


# --------------------------------------------------------------------------- page


def _recognise_pages(
    pdf: pdfium.PdfDocument,
    pages: Sequence[int],
    engines: queue.Queue[Any],
    progress: Progress | None,
    clock: Callable[[], float],
) -> tuple[dict[int, list[Block]], list[OcrLine]]:
    """Recognise ``pages`` on :data:`OCR_WORKERS` threads, in order, within the budget.

    pdfium is not thread-safe: pages are rendered here, on the calling thread, at most
    one ahead of each worker (a rendered page is 4 MB); ruling lines, recognition and
    layout run on the workers (onnxruntime and numpy release the GIL)."""
    start = clock()
    by_page: dict[int, list[Block]] = {}
    lines: list[OcrLine] = []
    pending: collections.deque[tuple[int, concurrent.futures.Future[_PageResult]]]
    pending = collections.deque()
    done = 0

    def collect() -> None:
        nonlocal done
        page_no, future = pending.popleft()
        by_page[page_no], page_lines = future.result()
        lines.extend(page_lines)
        done += 1
        if progress:
            progress(int(OCR_PROGRESS_SPAN * done / len(pages)))

    def check_time() -> None:
        if clock() - start > OCR_TIME_BUDGET:
            for _, future in pending:
                future.cancel()
            raise ParseError("ocr_timeout", limit=int(OCR_TIME_BUDGET), done=done, pages=len(pages))

    workers = engines.qsize()
    with concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="ocr") as pool:
        for page_no in pages:
            check_time()
            image = _render(pdf, page_no)
            pending.append((page_no, pool.submit(_read_image, engines, image, page_no)))
            while len(pending) > workers:
                collect()
                check_time()
        while pending:
            collect()
            if pending:
                check_time()
    return by_page, lines


_PageResult = tuple[list[Block], list[OcrLine]]


def _render(pdf: pdfium.PdfDocument, page_no: int) -> _Gray:
    page = pdf[page_no - 1]
    try:
        bitmap = page.render(scale=OCR_DPI / 72.0, grayscale=True)
        image: _Gray = np.array(bitmap.to_numpy(), dtype=np.uint8)
        bitmap.close()
    finally:
        page.close()
    if image.ndim == 3:
        image = np.ascontiguousarray(image[:, :, 0])
    return image


def _read_image(engines: queue.Queue[Any], image: _Gray, page_no: int) -> _PageResult:
    """One rendered page to blocks (the PDF reader's layout) and recognised lines."""
    hsegs, vsegs, ink = _rules(image)
    image[ink] = 255  # rules whitened: not read as "1" or "|"
    engine = engines.get()
    try:
        recognised = _recognise(engine, image)
    finally:
        engines.put(engine)
    chars = _chars(recognised)
    grids = _pdf._grids(_pdf._merge_segs(hsegs), _pdf._merge_segs(vsegs))
    items = _pdf._layout(chars, grids, _pdf.PdfStats())
    blocks: list[Block] = []
    _pdf._emit(items, page_no, blocks)
    lines = [
        OcrLine(
            r.text,
            page_no,
            (r.box[0] * _PT, r.box[1] * _PT, r.box[2] * _PT, r.box[3] * _PT),
            r.score,
            tuple((ch, x0 * _PT, x1 * _PT) for ch, x0, x1 in r.chars),
        )
        for r in recognised
        if r.text.strip()
    ]
    return blocks, lines


def _chars(recognised: Sequence[_Recognised]) -> list[_pdf._Char]:
    """The recognised lines as the PDF reader's characters (PDF points, top-down).

    The line box's height is the character size (the detector's box is about one line
    of type high, like the text path's loose glyph boxes). Within a line the recogniser
    says where spaces are: characters not separated by one are made to touch, so the
    PDF reader's gap rules add no space of their own (a CJK quote mark's glyph sits on
    one side of its box, which the recogniser's positions would otherwise show as a
    gap); a recognised space keeps its gap and marks the next character."""
    out: list[_pdf._Char] = []
    for rec in recognised:
        _, top, _, bottom = rec.box
        top_pt, bottom_pt = top * _PT, bottom * _PT
        spans: list[tuple[str, float, float, bool]] = []
        space = False
        for ch, x0, x1 in rec.chars:
            if not ch.strip():
                space = True
                continue
            spans.append((ch, x0, x1, space))
            space = False
        for i, (ch, x0, x1, space) in enumerate(spans):
            if i + 1 < len(spans) and not spans[i + 1][3]:
                x1 = max(x1, spans[i + 1][1])
            out.append(_pdf._Char(ch, x0 * _PT, top_pt, x1 * _PT, bottom_pt, space, bottom_pt))
    return out


# ------------------------------------------------------------------ ruling lines


def _runs(
    mask: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Runs of True along each row: (row, start, end exclusive)."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    diff = np.diff(padded, axis=1)
    rows, starts = np.nonzero(diff == 1)
    _, ends = np.nonzero(diff == -1)
    return rows, starts, ends


def _rules(image: _Gray) -> tuple[list[_pdf._Seg], list[_pdf._Seg], npt.NDArray[np.bool_]]:
    """Horizontal and vertical ruling lines (PDF points) and the mask of their ink
    (rules that belong to a table, so a long stroke of a title character is kept)."""
    dark = image < _DARK
    min_len = _MIN_RULE_PT / _PT
    tol = _END_TOL_PT / _PT
    hbands = _bands(*_runs(dark), min_len)
    vbands = [
        band
        for band in _bands(*_runs(dark.T), min_len)
        # A character's stroke does not run from rule to rule.
        if band[2] - band[1] >= _LONG_RULE_PT / _PT
        or (_meets(hbands, band[1], band[0], tol) and _meets(hbands, band[2], band[0], tol))
    ]
    ink = np.zeros_like(dark)
    for pos, a, b, thick in hbands:
        crossed = any(
            a - tol <= x <= b + tol and va - tol <= pos <= vb + tol for x, va, vb, _ in vbands
        )
        if crossed or b - a >= _LONG_RULE_PT / _PT:
            _erase(ink, pos, a, b, thick)
    for pos, a, b, thick in vbands:
        _erase(ink.T, pos, a, b, thick)
    hs = [_pdf._Seg(pos * _PT, a * _PT, b * _PT) for pos, a, b, _ in hbands]
    vs = [_pdf._Seg(pos * _PT, a * _PT, b * _PT) for pos, a, b, _ in vbands]
    return hs, vs, ink


def _erase(ink: npt.NDArray[np.bool_], pos: float, a: float, b: float, thick: float) -> None:
    """Mark a rule's pixels, with two pixels either side for anti-aliasing and blur."""
    lo = max(int(pos - thick / 2) - 2, 0)
    hi = int(pos + thick / 2) + 3
    ink[lo:hi, max(int(a) - 1, 0) : int(b) + 1] = True


_Band = tuple[float, float, float, float]  # centre lane, start, end, thickness (pixels)


def _bands(
    lanes: npt.NDArray[np.intp],
    starts: npt.NDArray[np.intp],
    ends: npt.NDArray[np.intp],
    min_len: float,
) -> list[_Band]:
    """Runs at least ``min_len`` long on adjacent lanes (pixel rows or columns) that
    overlap are one rule of some thickness. Too thick a band is a filled area."""
    keep = ends - starts >= min_len
    lanes, starts, ends = lanes[keep], starts[keep], ends[keep]
    order = np.lexsort((starts, lanes))
    open_: list[list[float]] = []  # [first lane, last lane, start, end]
    done: list[list[float]] = []
    for i in order.tolist():
        lane, a, b = float(lanes[i]), float(starts[i]), float(ends[i])
        match = None
        for band in open_:
            if band[1] == lane - 1 and band[2] < b and a < band[3]:
                match = band
                break
        if match is not None:
            match[1] = lane
            match[2], match[3] = min(match[2], a), max(match[3], b)
        else:
            open_.append([lane, lane, a, b])
        still: list[list[float]] = []
        for band in open_:
            (still if band[1] >= lane - 1 else done).append(band)
        open_ = still
    done += open_
    max_thick = _MAX_RULE_THICK_PT / _PT
    return [((f + z) / 2, a, b, z - f + 1) for f, z, a, b in done if z - f + 1 <= max_thick]


def _meets(bands: list[_Band], at: float, x: float, tol: float) -> bool:
    """Does a band lie at ``at`` (within ``tol``) and cover ``x``?"""
    return any(abs(pos - at) <= tol and a - tol <= x <= b + tol for pos, a, b, _ in bands)


# ------------------------------------------------------------- after extraction


def mark_ocr(result: ParsedDisclosure, document: Document) -> ParsedDisclosure:
    """Flag what was read by OCR: every provenance entry on a recognised page gets
    ``ocr`` and, where the figure's printed number is found among the recognised lines
    of that page, its ``bbox``; every OCR'd figure that no check confirms gets an
    ``ocr_unconfirmed`` warning (the number may be misread; nothing stands behind it)."""
    if not isinstance(document, OcrDocument) or not document.ocr_pages:
        return result
    ocr_pages = set(document.ocr_pages)
    lines_by_page: dict[int, list[OcrLine]] = {}
    for line in document.lines:
        lines_by_page.setdefault(line.page, []).append(line)
    values = _figure_values(result)
    provenance: dict[str, Source] = {}
    checks: list[Check] = []
    for path, source in result.provenance.items():
        if source.page not in ocr_pages:
            provenance[path] = source
            continue
        bbox = source.bbox or _find_bbox(
            source, values.get(path), lines_by_page.get(source.page, [])
        )
        provenance[path] = dataclasses.replace(source, ocr=True, bbox=bbox)
        if path in values and values[path] is not None and source.confirmed is not True:
            checks.append(
                Check(
                    "warning",
                    "ocr_unconfirmed",
                    f"该数字由扫描件文字识别（OCR）读出，没有任何核对关系能证实它"
                    f"（read by OCR, unconfirmed），请对照原件第 {source.page} 页核实："
                    f"{source.text[:60]}",
                    path,
                )
            )
    return dataclasses.replace(result, provenance=provenance, checks=(*result.checks, *checks))


def _figure_values(result: ParsedDisclosure) -> dict[str, Decimal | None]:
    """Field path → the figure's amount, for every figure the result states."""
    out: dict[str, Decimal | None] = {}
    for group, mapping in (("totals", result.totals), ("three_public", result.three_public)):
        for key, value in mapping.items():
            out[f"{group}.{key}"] = value
    for key, count in result.assets.items():
        out[f"assets.{key}"] = None if count is None else Decimal(count)
    for group, scopes in (("functional", result.functional), ("economic", result.economic)):
        for scope, items in scopes.items():
            for i, item in enumerate(items):
                amounts = (item.total, item.basic, item.project)
                out[f"{group}.{scope}[{i}]"] = next((v for v in amounts if v is not None), None)
    return out


def _find_bbox(
    source: Source, value: Decimal | None, lines: Sequence[OcrLine]
) -> tuple[float, float, float, float] | None:
    """The box of the figure's printed number on the page: a number of the source text
    equal to the value (as printed in 万元, 千元 or 元), found in exactly one recognised
    line whose text around it is the source's text around it."""
    if value is None:
        return None
    found: list[tuple[float, float, float, float]] = []
    for cell in source.text.split(" | "):  # a table row's cells, or one sentence
        found += _find_number(_compact(cell), value, lines)
    unique = sorted(set(found))
    if len(unique) > 1 and " | " in source.text:
        # A table row printing the amount twice (total and basic, income and spending
        # side): the matches level with the row's label, together.
        labels = [
            label
            for label in map(_compact, source.text.split(" | "))
            if len(label) >= 2 and not _NUMBER.fullmatch(label)
        ]
        levels = [
            (line.bbox[1] + line.bbox[3]) / 2
            for line in lines
            if any(label in _compact(line.text) for label in labels)
        ]
        unique = [b for b in unique if any(b[1] <= y <= b[3] for y in levels)]
        top = min((b[3] for b in unique), default=0.0)
        if unique and all(b[1] < top for b in unique):  # all on one row
            return (
                min(b[0] for b in unique),
                min(b[1] for b in unique),
                max(b[2] for b in unique),
                max(b[3] for b in unique),
            )
    return unique[0] if len(unique) == 1 else None


def _find_number(
    wanted: str, value: Decimal, lines: Sequence[OcrLine]
) -> list[tuple[float, float, float, float]]:
    """Boxes of the numbers of ``wanted`` equal to ``value`` in the recognised lines,
    where the line's text around each is ``wanted``'s text around it."""
    found: list[tuple[float, float, float, float]] = []
    for match in _NUMBER.finditer(wanted):
        token = match.group()
        try:
            number = Decimal(token.replace("，", "").replace("−", "-"))
        except InvalidOperation:
            continue
        if not any(number == value * scale for scale in (1, 10, 10_000)):
            continue
        before = wanted[max(0, match.start() - 4) : match.start()]
        after = wanted[match.end() : match.end() + 2]
        for line in lines:
            chars = [(ch, x0, x1) for ch, x0, x1 in line.chars if ch not in _SKIP]
            text = "".join(ch for ch, _, _ in chars)
            at = text.find(token)
            while at >= 0:
                end = at + len(token)
                whole = _NUMBER.match(text, at)
                if (
                    whole is not None
                    and whole.end() == end
                    and (at == 0 or not text[at - 1].isdigit())
                    and (not before or text[:at].endswith(before) or at == 0)
                    and (not after or text[end:].startswith(after) or end == len(text))
                ):
                    x0 = chars[at][1]
                    x1 = chars[end - 1][2]
                    found.append((x0, line.bbox[1], x1, line.bbox[3]))
                at = text.find(token, at + 1)
    return found


_SKIP = frozenset(" ,")


def _compact(text: str) -> str:
    """Text without spaces and thousands commas (as the recognised lines are compared)."""
    return "".join(ch for ch in text.replace(" | ", "") if ch not in _SKIP)
