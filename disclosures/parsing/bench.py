"""Parser benchmark: speed and memory per format, against pypdfium2's raw text.

    python -m disclosures.parsing.bench [PATHS…] [--read-only] [--big] [--repeat N]
    python -m disclosures.parsing.bench --ocr [PATHS…] [--dpi N]

PATHS are files or directories (default: every file in ``disclosures/samples`` and
its ``fixtures/``). For each format it prints files, files/s, pages, pages/s and peak
memory, timing the FULL parse (:func:`disclosures.parsing.parse`) — or only
:func:`read_document` with ``--read-only`` (also used automatically, with a note, when
the extractor is not importable yet). For the PDFs it also times pypdfium2's raw text
extraction (``get_text_bounded`` on every page) and prints the ratio, and lists the
pages the PDF reader sent to pdfplumber (its slow path).

Memory is measured two ways and labelled: ``tracemalloc`` peak (Python objects only,
measured in a separate pass so it does not slow the timing pass) and ``ru_maxrss``
/ VmHWM (whole-process resident peak, includes pdfium's C heap and the interpreter;
VmHWM is reset per format where Linux allows it). ``--big``
builds a 100-page PDF from the sample PDFs' pages (pypdfium2 ``import_pages``) in a
temporary file and parses it in a fresh subprocess, so its ru_maxrss is its own.
``--ocr`` times the OCR path instead: each PDF is turned into a scan (pages rendered to
JPEG images, no text layer, :func:`scanned_pdf`) and the scans are parsed in a fresh
subprocess, printing pages/s and peak resident memory per file and in total.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BIG_PAGES = 100


def _default_paths() -> list[Path]:
    files = [p for p in sorted(SAMPLES.iterdir()) if p.is_file()]
    fixtures = SAMPLES / "fixtures"
    if fixtures.is_dir():
        files += [p for p in sorted(fixtures.iterdir()) if p.is_file()]
    return files


def _expand(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out += [q for q in sorted(p.rglob("*")) if q.is_file()]
        elif p.is_file():
            out.append(p)
        else:
            print(f"skipping {raw}: not found", file=sys.stderr)
    return out


def _runner(read_only: bool) -> tuple[Callable[[bytes, str], Any], bool]:
    """The function to time, and whether it is read-only."""
    from . import read_document

    if read_only:
        return read_document, True
    try:
        from . import parse
        from .extract import extract  # noqa: F401 - fail early if not ready
    except ImportError as err:
        print(f"note: extractor not available ({err}); timing read_document only", file=sys.stderr)
        return read_document, True
    return parse, False


def _pages(result: Any) -> int | None:
    return getattr(result, "pages", None)


def _fmt_mb(n: float) -> str:
    return f"{n / 2**20:.1f} MB"


def _maxrss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB


def _reset_peak_rss() -> bool:
    """Reset the kernel's resident-set high-water mark (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_rss() -> int:
    """Peak resident set: VmHWM (resettable, and not inherited across exec the way
    ru_maxrss is) where /proc exists, else ru_maxrss."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return _maxrss_bytes()


def run(paths: list[Path], read_only: bool, repeat: int) -> int:
    from . import ParseError, detect_format

    func, read_only = _runner(read_only)
    groups: dict[str, list[tuple[Path, bytes]]] = defaultdict(list)
    for path in paths:
        data = path.read_bytes()
        try:
            fmt = detect_format(data, path.name)
        except ParseError as err:
            print(f"skipping {path.name}: {err}", file=sys.stderr)
            continue
        groups[fmt].append((path, data))

    mode = "read_document only" if read_only else "full parse"
    resettable = _reset_peak_rss()
    rss_label = "peak RSS" if resettable else "RSS so far"
    print(
        f"mode: {mode}; best of {repeat}; memory: tracemalloc peak = Python heap "
        f"(separate pass), {rss_label} = whole process resident peak (VmHWM"
        f"{', reset per format' if resettable else ''})"
    )
    header = (
        f"{'format':<7}{'files':>6}{'files/s':>10}{'pages':>7}{'pages/s':>10}"
        f"{'tracemalloc peak':>18}{rss_label:>12}"
    )
    print(header)
    failures = 0
    pdf_pages_per_s = None
    for fmt in sorted(groups):
        items = groups[fmt]
        best = float("inf")
        pages = 0
        _reset_peak_rss()
        for run_no in range(repeat):
            pages = 0
            start = time.perf_counter()
            for path, data in items:
                try:
                    pages += _pages(func(data, path.name)) or 0
                except Exception as err:  # noqa: BLE001 - report and keep measuring
                    if run_no == 0:
                        failures += 1
                        print(f"  {path.name}: {type(err).__name__}: {err}", file=sys.stderr)
            best = min(best, time.perf_counter() - start)
        rss = _peak_rss()
        tracemalloc.start()
        for path, data in items:
            try:
                func(data, path.name)
            except Exception:  # noqa: BLE001,S110 - already reported above
                pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        pps = f"{pages / best:.1f}" if pages else "-"
        if fmt == "pdf" and pages:
            pdf_pages_per_s = pages / best
        print(
            f"{fmt:<7}{len(items):>6}{len(items) / best:>10.1f}{pages or '-':>7}{pps:>10}"
            f"{_fmt_mb(peak):>18}{_fmt_mb(rss):>12}",
            flush=True,
        )
    print(f"process ru_maxrss (whole run): {_fmt_mb(_maxrss_bytes())}")

    pdfs = groups.get("pdf", [])
    if pdfs:
        raw_pps = _raw_pdfium(pdfs, repeat)
        print(f"pypdfium2 raw text (get_text_bounded) on the same PDFs: {raw_pps:.1f} pages/s")
        if pdf_pages_per_s:
            print(
                f"ratio {mode} / raw: {pdf_pages_per_s / raw_pps:.3f} "
                f"(raw is {raw_pps / pdf_pages_per_s:.1f}x faster)"
            )
        _slow_pages(pdfs)
    return 1 if failures else 0


def _raw_pdfium(pdfs: list[tuple[Path, bytes]], repeat: int) -> float:
    import pypdfium2 as pdfium

    best = float("inf")
    pages = 0
    for _ in range(repeat):
        pages = 0
        start = time.perf_counter()
        for _path, data in pdfs:
            pdf = pdfium.PdfDocument(data)
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                textpage.get_text_bounded()
                textpage.close()
                page.close()
                pages += 1
            pdf.close()
        best = min(best, time.perf_counter() - start)
    return pages / best


def _slow_pages(pdfs: list[tuple[Path, bytes]]) -> None:
    from .errors import ParseError
    from .readers.pdf import PdfStats, read_pdf

    print(
        "PDF reader paths (ruled = tables from ruling lines, stream = from text "
        "positions, slow = pages sent to pdfplumber):"
    )
    for path, data in pdfs:
        stats = PdfStats()
        try:
            read_pdf(data, path.name, stats=stats)
        except ParseError as err:
            print(f"  {path.name}: {err}")
            continue
        print(
            f"  {path.name}: {stats.pages} pages, {stats.ruled_tables} ruled + "
            f"{stats.stream_tables} stream tables, slow pages {stats.slow_pages or 'none'}, "
            f"pages without text {stats.textless_pages or 'none'}"
        )


# -------------------------------------------------------------- 100-page PDF check


def build_big_pdf(sources: list[Path], target: Path, pages: int = BIG_PAGES) -> int:
    """Write a PDF of ``pages`` pages made by cycling through the sources' pages."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    docs = [pdfium.PdfDocument(p.read_bytes()) for p in sources]
    try:
        while len(out) < pages:
            for doc in docs:
                take = min(len(doc), pages - len(out))
                if take <= 0:
                    break
                out.import_pages(doc, list(range(take)))
        out.save(str(target))
        return len(out)
    finally:
        for doc in docs:
            doc.close()
        out.close()


_CHILD = r"""
import json, resource, sys, time, tracemalloc
sys.path.insert(0, {root!r})
import pypdfium2, pdfplumber  # noqa: F401 - count library import in the baseline
from disclosures.parsing import read_document
read_only = {read_only!r}
if not read_only:
    try:
        from disclosures.parsing import parse
        from disclosures.parsing.extract import extract  # noqa: F401
        func = parse
    except ImportError:
        func, read_only = read_document, True
else:
    func = read_document
def hwm():
    # VmHWM: unlike ru_maxrss it is not inherited from the parent across exec.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
data = open({path!r}, "rb").read()
base = hwm()
start = time.perf_counter()
result = func(data, "big.pdf")
elapsed = time.perf_counter() - start
rss = hwm()
tracemalloc.start()
func(data, "big.pdf")
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({{"pages": result.pages, "seconds": elapsed, "rss": rss, "base": base,
                  "tracemalloc": peak, "read_only": read_only}}))
"""


def run_big(read_only: bool) -> int:
    sources = sorted((SAMPLES / "fixtures").glob("*.pdf"))
    if not sources:
        print("no sample PDFs to build the 100-page file from", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "big.pdf"
        n = build_big_pdf(sources, target)
        size = target.stat().st_size
        root = str(Path(__file__).resolve().parents[2])
        code = _CHILD.format(root=root, path=str(target), read_only=read_only)
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        r = json.loads(proc.stdout.strip().splitlines()[-1])
    mode = "read_document only" if r["read_only"] else "full parse"
    print(
        f"{n}-page PDF ({_fmt_mb(size)}, pages of {len(sources)} sample PDFs), {mode} "
        "in a fresh process:"
    )
    print(f"  {r['pages']} pages in {r['seconds']:.2f} s = {r['pages'] / r['seconds']:.1f} pages/s")
    print(
        f"  peak RSS (VmHWM) {_fmt_mb(r['rss'])} (after imports {_fmt_mb(r['base'])}, "
        f"parse added {_fmt_mb(r['rss'] - r['base'])}); tracemalloc peak "
        f"{_fmt_mb(r['tracemalloc'])}"
    )
    limit = 300 * 2**20
    print(f"  limit 300 MB: {'OK' if r['rss'] < limit else 'EXCEEDED'}")
    return 0 if r["rss"] < limit else 1


# ------------------------------------------------------------------ OCR path


def scanned_pdf(data: bytes, dpi: int = 200, quality: int = 85) -> bytes:
    """An image-only copy of a PDF, as a scanner makes it: every page rendered at
    ``dpi`` in grayscale and stored as a JPEG image, no text layer."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        images = []
        for i in range(len(pdf)):
            page = pdf[i]
            images.append(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
            page.close()
    finally:
        pdf.close()
    out = io.BytesIO()
    images[0].save(
        out, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=quality
    )
    return out.getvalue()


_OCR_CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from disclosures.parsing import parse
from disclosures.parsing.readers import ocr
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0
ocr._engines()  # model loading is not per page
base = hwm()
for path in {paths!r}:
    data = open(path, "rb").read()
    start = time.perf_counter()
    result = parse(data, path)
    elapsed = time.perf_counter() - start
    print(json.dumps({{"path": path, "pages": result.pages, "seconds": elapsed, "rss": hwm(),
                      "base": base}}), flush=True)
"""


def run_ocr(paths: list[Path], dpi: int) -> int:
    """Parse scanned copies of the PDFs in a fresh process: pages/s and peak memory."""
    pdfs = [p for p in paths if p.suffix.lower() == ".pdf"]
    if not pdfs:
        print("no PDFs to scan", file=sys.stderr)
        return 1
    from .readers import ocr

    with tempfile.TemporaryDirectory() as tmp:
        scans = []
        for path in pdfs:
            target = Path(tmp) / path.name
            target.write_bytes(scanned_pdf(path.read_bytes(), dpi))
            scans.append(str(target))
        root = str(Path(__file__).resolve().parents[2])
        code = _OCR_CHILD.format(root=root, paths=scans)
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return 1
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    print(
        f"OCR path: scanned copies ({dpi} dpi JPEG, no text layer) of {len(rows)} PDFs, full "
        f"parse in a fresh process, {ocr.OCR_WORKERS} recognition threads, models loaded first"
    )
    print(f"{'file':<28}{'pages':>6}{'seconds':>9}{'pages/s':>9}{'peak RSS':>11}")
    for r in rows:
        print(
            f"{Path(r['path']).name:<28}{r['pages']:>6}{r['seconds']:>9.1f}"
            f"{r['pages'] / r['seconds']:>9.2f}{_fmt_mb(r['rss']):>11}"
        )
    pages = sum(r["pages"] for r in rows)
    seconds = sum(r["seconds"] for r in rows)
    peak = max(r["rss"] for r in rows)
    print(
        f"total: {pages} pages in {seconds:.1f} s = {pages / seconds:.2f} pages/s; peak RSS "
        f"(VmHWM) {_fmt_mb(peak)} (after imports and model loading {_fmt_mb(rows[0]['base'])})"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(
        prog="python -m disclosures.parsing.bench", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("paths", nargs="*", help="files or directories (default: the samples)")
    ap.add_argument(
        "--read-only", action="store_true", help="time read_document only (no extraction)"
    )
    ap.add_argument(
        "--big",
        action="store_true",
        help="also parse a generated 100-page PDF and check peak memory",
    )
    ap.add_argument("--repeat", type=int, default=3, help="timing runs, best is kept")
    ap.add_argument(
        "--ocr",
        action="store_true",
        help="time the OCR path instead: parse scanned copies of the PDFs (pages/s, memory)",
    )
    ap.add_argument("--dpi", type=int, default=200, help="resolution of the scanned copies")
    args = ap.parse_args(argv)
    paths = _expand(args.paths) if args.paths else _default_paths()
    if args.ocr:
        return run_ocr(paths, args.dpi)
    status = run(paths, args.read_only, max(1, args.repeat))
    if args.big:
        print()
        status = run_big(args.read_only) or status
    return status


if __name__ == "__main__":
    sys.exit(main())
