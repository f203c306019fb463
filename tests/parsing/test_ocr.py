"""The OCR path: a scanned PDF (page images, no text layer) is read like the text PDF.

Every sample PDF is turned into a scan — each page rendered at 200 dpi and stored as a
JPEG image (``bench.scanned_pdf``) — and parsed once for the whole module; the values
must be the expected ones (disclosures/samples/expected) at least at the rates stated
below, every figure read by OCR is flagged in its provenance, and every OCR'd figure no
check confirms carries an ``ocr_unconfirmed`` warning, so a misread digit is never a
silent wrong figure. Smaller tests cover the page limit, the time budget, progress, a
mixed PDF (one scanned page among text pages), made-up layouts and the ruling-line
detector. All are marked ``ocr`` (``-m "not ocr"`` skips them; CI runs them).
"""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pytest

from disclosures.parsing import ParseError, parse
from disclosures.parsing.bench import scanned_pdf
from disclosures.parsing.readers import ocr

from .made_up import as_pdf

pytestmark = pytest.mark.ocr

SAMPLES = Path(__file__).resolve().parents[2] / "disclosures" / "samples"
DATA = Path(__file__).resolve().parent / "data"
TOL = 0.005
IDS = sorted(p.stem for p in (SAMPLES / "fixtures").glob("*.pdf"))

# Share of the expected figures the OCR path reads exactly, per sample: scalar figures
# (totals, 三公, vehicles) and classification items (code, name and every amount).
# Measured: every sample gives all of them; these are what the test holds it to.
MIN_FIGURES = dict.fromkeys(IDS, 1.0)
MIN_ITEMS = dict.fromkeys(IDS, 1.0)


@pytest.fixture(scope="module", autouse=True)
def _no_time_budget() -> Iterator[None]:
    """Accuracy must not depend on how busy the machine is: the budget is tested alone."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ocr, "OCR_TIME_BUDGET", 1e9)
        yield


@pytest.fixture(scope="session")
def scans() -> Callable[[str], bytes]:
    cache: dict[str, bytes] = {}

    def get(sample: str) -> bytes:
        if sample not in cache:
            cache[sample] = scanned_pdf((SAMPLES / "fixtures" / f"{sample}.pdf").read_bytes())
        return cache[sample]

    return get


@pytest.fixture(scope="session")
def scanned(scans: Callable[[str], bytes]) -> Callable[[str], dict[str, Any]]:
    """Each sample's scan parsed once (OCR is slow), with the progress it reported."""
    cache: dict[str, dict[str, Any]] = {}

    def get(sample: str) -> dict[str, Any]:
        if sample not in cache:
            seen: list[int] = []
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(ocr, "OCR_TIME_BUDGET", 1e9)
                got = parse(scans(sample), f"{sample}.pdf", progress=seen.append).to_dict()
            got["_progress"] = seen
            cache[sample] = got
        return cache[sample]

    return get


def _expected(sample: str) -> dict[str, Any]:
    return json.loads((SAMPLES / "expected" / f"{sample}.json").read_text("utf-8"))


def _close(got: object, want: object) -> bool:
    if got is None or want is None:
        return got is want
    return abs(float(got) - float(want)) <= TOL  # type: ignore[arg-type]


def _score(got: dict[str, Any], want: dict[str, Any]) -> tuple[float, float, list[str]]:
    """Shares of expected figures and items read exactly, and what was not."""
    wrong: list[str] = []
    figures = right_figures = 0
    for group in ("totals", "three_public", "assets"):
        for key, value in want.get(group, {}).items():
            figures += 1
            if _close(got[group].get(key), value):
                right_figures += 1
            else:
                wrong.append(f"{group}.{key}: {got[group].get(key)!r} != {value!r}")
    items = right_items = 0
    for group in ("functional", "economic"):
        for scope, expected in want.get(group, {}).items():
            by_code = {i["code"]: i for i in got[group].get(scope, []) if i["code"]}
            for item in expected:
                items += 1
                mine = by_code.get(item["code"])
                fields = [f for f in ("name", "total", "basic", "project") if f in item]
                if mine is not None and all(
                    mine[f] == item[f] if f == "name" else _close(mine[f], item[f]) for f in fields
                ):
                    right_items += 1
                else:
                    wrong.append(f"{group}.{scope} {item['code']}: {mine!r} != {item!r}")
    return (
        right_figures / figures if figures else 1.0,
        right_items / items if items else 1.0,
        wrong,
    )


def _figure_paths(got: dict[str, Any]) -> dict[str, Any]:
    """Every stated figure's path and value."""
    out: dict[str, Any] = {}
    for group in ("totals", "three_public", "assets"):
        out.update({f"{group}.{k}": v for k, v in got[group].items() if v is not None})
    for group in ("functional", "economic"):
        for scope, items in got[group].items():
            out.update(
                {
                    f"{group}.{scope}[{i}]": item
                    for i, item in enumerate(items)
                    if any(item[f] is not None for f in ("total", "basic", "project"))
                }
            )
    return out


# ------------------------------------------------------------------------ samples


@pytest.mark.parametrize("sample", IDS)
def test_a_scanned_sample_reads_the_expected_figures(
    sample: str, scanned: Callable[[str], dict[str, Any]]
) -> None:
    got, want = scanned(sample), _expected(sample)
    assert got["department"] in [want["department"], *want.get("department_aliases", [])]
    assert (got["fiscal_year"], got["kind"]) == (want["fiscal_year"], want["kind"])
    assert got["region"] == want["region"]
    figures, items, wrong = _score(got, want)
    assert figures >= MIN_FIGURES[sample], wrong
    assert items >= MIN_ITEMS[sample], wrong
    # Nothing the document does not state appears, whatever OCR read.
    for group in ("totals", "three_public", "assets"):
        extra = {k: v for k, v in got[group].items() if v is not None and k not in want[group]}
        assert not extra, f"{group}: {extra}"


@pytest.mark.parametrize("sample", IDS)
def test_every_ocr_figure_is_flagged_and_checked_unless_confirmed(
    sample: str, scanned: Callable[[str], dict[str, Any]]
) -> None:
    got = scanned(sample)
    flagged = {c["path"] for c in got["checks"] if c["rule"] == "ocr_unconfirmed"}
    assert all(
        c["severity"] == "warning" and "OCR" in c["message"]
        for c in got["checks"]
        if c["rule"] == "ocr_unconfirmed"
    )
    figures = _figure_paths(got)
    assert figures
    for path in figures:
        source = got["provenance"][path]
        assert source["ocr"] is True, path
        # Unconfirmed figures get the check; confirmed ones do not.
        assert (path in flagged) == (source.get("confirmed") is not True), path
    assert flagged <= set(figures)


@pytest.mark.parametrize("sample", IDS)
def test_a_wrong_ocr_figure_is_never_silent(
    sample: str, scanned: Callable[[str], dict[str, Any]]
) -> None:
    """Any figure that differs from the document carries a check with its path."""
    got, want = scanned(sample), _expected(sample)
    checked = {c["path"] for c in got["checks"]}
    for group in ("totals", "three_public", "assets"):
        for key, have in got[group].items():
            if have is not None and not _close(have, want.get(group, {}).get(key)):
                assert f"{group}.{key}" in checked, f"{group}.{key}: {have} silently wrong"
    for group in ("functional", "economic"):
        for scope, items in got[group].items():
            right = {i["code"]: i for i in want.get(group, {}).get(scope, [])}
            for i, item in enumerate(items):
                ref = right.get(item["code"])
                ok = ref is not None and all(
                    _close(item[f], ref[f]) for f in ("total", "basic", "project") if f in ref
                )
                if not ok:
                    assert f"{group}.{scope}[{i}]" in checked, f"{item} silently wrong"


@pytest.mark.parametrize("sample", IDS)
def test_ocr_figures_carry_their_box_on_the_page(
    sample: str, scanned: Callable[[str], dict[str, Any]]
) -> None:
    got = scanned(sample)
    boxes = [got["provenance"][p].get("bbox") for p in _figure_paths(got)]
    found = [b for b in boxes if b]
    # A box only where the printed number is found once on its page: most figures.
    assert len(found) >= 0.6 * len(boxes), f"{len(found)} of {len(boxes)} figures have a box"
    for x0, y0, x1, y1 in found:
        assert 0 <= x0 < x1 <= 842 and 0 <= y0 < y1 <= 842


def test_progress_is_reported_page_by_page(scanned: Callable[[str], dict[str, Any]]) -> None:
    got = scanned(IDS[-1])
    seen = got["_progress"]
    assert seen == sorted(seen) and seen[-2:] == [50, 100]
    # One report per recognised page, before reading is done (50).
    assert len([p for p in seen if p < 50]) == 15


def test_the_scan_has_no_text_layer(scans: Callable[[str], bytes]) -> None:
    pdf = pdfium.PdfDocument(scans(IDS[-1]))
    try:
        for i in range(len(pdf)):
            textpage = pdf[i].get_textpage()
            assert textpage.count_chars() == 0
            textpage.close()
    finally:
        pdf.close()


# ------------------------------------------------------------- mixed and made-up


def test_a_scanned_page_among_text_pages_is_read_in_its_place(
    scans: Callable[[str], bytes],
) -> None:
    sample = "003_80d4eeabc6cbe8f7"
    text_pdf = (SAMPLES / "fixtures" / f"{sample}.pdf").read_bytes()
    # Page 4 holds the 三公 and 机关运行经费 sentences; only it is scanned.
    text, scan, mixed = pdfium.PdfDocument(text_pdf), pdfium.PdfDocument(scans(sample)), None
    try:
        mixed = pdfium.PdfDocument.new()
        mixed.import_pages(text, [0, 1, 2])
        mixed.import_pages(scan, [3])
        mixed.import_pages(text, list(range(4, len(text))))
        buf = io.BytesIO()
        mixed.save(buf)
    finally:
        for doc in (text, scan, mixed):
            if doc is not None:
                doc.close()
    got = parse(buf.getvalue(), "mixed.pdf").to_dict()
    plain = parse(text_pdf, f"{sample}.pdf").to_dict()
    for key in ("department", "fiscal_year", "kind", "totals", "three_public", "assets"):
        assert got[key] == plain[key], key
    assert got["three_public"]["total"] == 7.5
    ocr_paths = {p for p, s in got["provenance"].items() if s.get("ocr")}
    assert "three_public.total" in ocr_paths
    assert all(got["provenance"][p]["page"] == 4 for p in ocr_paths)
    assert not any(s.get("ocr") for p, s in got["provenance"].items() if s.get("page") != 4)


@pytest.mark.parametrize(
    "name",
    ["final_account_template", "totals_wrapped_labels", "three_public_meetings_training_budget"],
)
def test_a_made_up_layout_scanned_parses_like_its_text(name: str) -> None:
    text = (DATA / f"{name}.txt").read_text("utf-8")
    got = parse(scanned_pdf(as_pdf(text)), f"{name}.pdf").to_dict()
    plain = parse(text.encode(), f"{name}.txt").to_dict()
    for key in ("department", "region", "fiscal_year", "kind", "totals", "three_public"):
        assert got[key] == plain[key], key
    for key in ("assets", "functional", "economic"):
        assert got[key] == plain[key], key
    rules = sorted(c["rule"] for c in got["checks"] if c["rule"] != "ocr_unconfirmed")
    assert rules == sorted(c["rule"] for c in plain["checks"])


# ------------------------------------------------------------ limits and engine


def _white_scan(pages: int) -> bytes:
    from PIL import Image

    images = [Image.new("L", (1654, 2339), 255) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=200)
    return out.getvalue()


def test_a_scan_over_the_page_limit_is_refused_before_any_recognition(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ocr, "OCR_MAX_PAGES", 2)
    monkeypatch.setattr(ocr, "_engines", lambda: pytest.fail("recognition started"))
    with pytest.raises(ParseError) as err:
        parse(_white_scan(3), "long.pdf")
    assert err.value.code == "scanned_pdf_too_long"
    assert err.value.params == {"pages": 3, "limit": 2}


def test_a_scan_over_the_time_budget_fails_with_its_own_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ocr, "OCR_TIME_BUDGET", 60.0)
    ticks = iter([0.0, 61.0])  # the start, then the check before the first page
    data = _white_scan(2)
    with pytest.raises(ParseError) as err:
        ocr.read_scanned_pages(data, [1, 2], [], 2, clock=lambda: next(ticks))
    assert err.value.code == "ocr_timeout"
    assert err.value.params == {"limit": 60, "done": 0, "pages": 2}


def test_a_scan_where_nothing_can_be_read_says_so() -> None:
    with pytest.raises(ParseError) as err:
        parse(_white_scan(1), "white.pdf")
    assert err.value.code == "scanned_pdf_unreadable"


def test_a_blank_pdf_without_images_is_not_sent_to_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_engines", lambda: pytest.fail("recognition started"))
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    pdf.close()
    with pytest.raises(ParseError) as err:
        parse(buf.getvalue(), "blank.pdf")
    assert err.value.code == "scanned_pdf"


def test_the_models_ship_with_the_package_and_run_offline(
    monkeypatch: pytest.MonkeyPatch, scans: Callable[[str], bytes]
) -> None:
    import rapidocr_onnxruntime

    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    assert sorted(p.name for p in models.glob("*.onnx")) >= [
        "ch_PP-OCRv4_det_infer.onnx",
        "ch_PP-OCRv4_rec_infer.onnx",
    ]

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the OCR engine tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    engine = ocr._engine()  # a fresh engine: loads the models from the package
    pdf = pdfium.PdfDocument(scans("003_80d4eeabc6cbe8f7"))
    try:
        image = ocr._render(pdf, 4)
    finally:
        pdf.close()
    # The top quarter of page 4: its sentences, recognised without any download.
    lines = ocr._recognise(engine, np.ascontiguousarray(image[: image.shape[0] // 4]))
    text = "".join(line.text for line in lines)
    assert "10009.93万元" in text


def test_ruling_lines_are_found_and_character_strokes_are_not() -> None:
    image = np.full((600, 800), 255, dtype=np.uint8)
    for y in (100, 160, 220, 280):  # a 3 x 3 grid, 2-pixel rules
        image[y : y + 2, 100:701] = 0
    for x in (100, 300, 500, 700):
        image[100:282, x : x + 2] = 0
    image[120:150, 150:152] = 0  # a vertical stroke inside a cell (a "丨")
    image[130:132, 320:350] = 0  # a short horizontal stroke (a "一")
    image[400:430, 50:52] = 0  # a stroke outside the table
    image[500:540, 200:760] = 0  # a filled bar: too thick for a rule
    hs, vs, ink = ocr._rules(image)
    pt = 72 / ocr.OCR_DPI
    # Positions are the centre of each 2-pixel rule.
    assert [s.pos / pt for s in hs] == pytest.approx([100.5, 160.5, 220.5, 280.5])
    assert sorted(s.pos / pt for s in vs) == pytest.approx([100.5, 300.5, 500.5, 700.5])
    assert all(round(s.a / pt) <= 101 and round(s.b / pt) >= 280 for s in vs)
    # The rules' ink is whitened before recognition; the strokes and the bar are kept.
    assert ink[100, 400] and ink[200, 300] and not ink[130, 151] and not ink[131, 330]
    assert not ink[520, 400]
