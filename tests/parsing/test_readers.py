"""File readers: format detection from content, and what each reader yields.

No database. The fixtures are the five published samples (DOCX, PDF, two XLSX); the
rows checked below are taken from the matching text dumps in disclosures/samples/.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import pytest

from disclosures.parsing.errors import ParseError
from disclosures.parsing.readers import detect_format, read_document
from disclosures.parsing.readers.xlsx import format_number
from disclosures.parsing.types import Document, Paragraph, Table

from .pdfs import ONE_PAGE, make_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "disclosures" / "samples"
FIXTURES = SAMPLES / "fixtures"
ALL_FIXTURES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".pdf", ".docx", ".xlsx"))


def _fixture(stem: str, ext: str) -> Path:
    [path] = FIXTURES.glob(f"{stem}_*.{ext}")
    return path


def _norm(cell: str) -> str:
    return re.sub(r"[\s,，]|</?b>", "", cell)


def _rows(doc: Document) -> list[tuple[Table, tuple[str, ...]]]:
    return [(b, row) for b in doc.blocks if isinstance(b, Table) for row in b.rows]


def _find_row(doc: Document, *needles: str) -> tuple[Table, tuple[str, ...]]:
    """The first table row with a cell equal to each needle (after removing spaces and
    thousands separators)."""
    wanted = [_norm(n) for n in needles]
    for table, row in _rows(doc):
        cells = [_norm(c) for c in row]
        if all(w in cells for w in wanted):
            return table, row
    raise AssertionError(f"no table row with cells {needles}")


_docs: dict[Path, Document] = {}


def _read(path: Path) -> Document:
    if path not in _docs:
        _docs[path] = read_document(path.read_bytes(), path.name)
    return _docs[path]


# ------------------------------------------------------------------ detection


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.name)
def test_it_detects_each_fixture_from_its_content(path: Path) -> None:
    assert detect_format(path.read_bytes(), path.name) == path.suffix[1:]


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_it_detects_the_text_dumps_as_text(path: Path) -> None:
    assert detect_format(path.read_bytes(), path.name) == "text"


def test_it_detects_text_in_gb18030_and_with_a_bom() -> None:
    text = "部门预算收支总表\n收入总计\t2354.2\n"
    assert detect_format(text.encode("gb18030"), "a.txt") == "text"
    assert detect_format(text.encode("utf-8-sig"), "a.txt") == "text"


def test_it_ignores_a_misleading_file_name() -> None:
    pdf = _fixture("000", "pdf").read_bytes()
    docx = _fixture("000", "docx").read_bytes()
    xlsx = _fixture("004", "xlsx").read_bytes()
    assert detect_format(pdf, "report.docx") == "pdf"
    assert detect_format(docx, "report.pdf") == "docx"
    assert detect_format(xlsx, "report.txt") == "xlsx"
    assert read_document(pdf, "report.docx").format == "pdf"


def test_it_detects_html_by_its_markup() -> None:
    page = "<!DOCTYPE html><html><body><p>部门预算</p></body></html>".encode()
    assert detect_format(page, "x.txt") == "html"
    assert detect_format(b"  <table><tr><td>1</td></tr></table>", "") == "html"
    assert detect_format("收入总计 <b>2354.2</b>".encode(), "") == "text"


def test_it_calls_a_png_an_image() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
    with pytest.raises(ParseError, match="图片（PNG）"):
        detect_format(png, "scan.pdf")


def test_it_calls_a_jpeg_an_image() -> None:
    with pytest.raises(ParseError, match="图片"):
        detect_format(b"\xff\xd8\xff\xe0" + bytes(100), "budget.pdf")


@pytest.mark.parametrize("data", [b"", b"   \n\t "])
def test_it_rejects_an_empty_file(data: bytes) -> None:
    with pytest.raises(ParseError, match="空"):
        detect_format(data, "empty.pdf")


def test_it_rejects_random_bytes() -> None:
    noise = random.Random(20240101).randbytes(4096)
    with pytest.raises(ParseError, match="无法识别"):
        detect_format(noise, "budget.docx")


def test_it_rejects_an_old_word_doc_and_says_what_to_do() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le")
    with pytest.raises(ParseError, match="DOCX"):
        detect_format(ole, "budget.doc")


def test_it_recognises_an_ole_workbook_as_xls() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le")
    assert detect_format(ole, "budget.dat") == "xls"


def test_it_rejects_a_plain_zip() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ParseError, match="压缩包"):
        detect_format(buf.getvalue(), "budget.docx")


# ------------------------------------------------------------- broken files


def test_it_reports_an_encryptedmake_pdf() -> None:
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"
    )
    ident = b"<00112233445566778899aabbccddeeff>"
    data = make_pdf(ONE_PAGE + [encrypt], b"/Encrypt 4 0 R /ID [" + ident + b" " + ident + b"] ")
    with pytest.raises(ParseError, match="文件已加密"):
        read_document(data, "secret.pdf")


def test_it_reports_a_truncatedmake_pdf() -> None:
    data = _fixture("000", "pdf").read_bytes()
    with pytest.raises(ParseError, match="文件已损坏"):
        read_document(data[: len(data) // 2], "cut.pdf")


def test_it_reports_a_corruptmake_pdf() -> None:
    with pytest.raises(ParseError, match="文件已损坏"):
        read_document(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "bad.pdf")


def test_it_reports_a_truncated_docx() -> None:
    data = _fixture("000", "docx").read_bytes()
    with pytest.raises(ParseError, match="损坏"):
        read_document(data[: len(data) // 2], "cut.docx")


def test_it_reports_a_docx_whose_document_part_is_broken() -> None:
    src = zipfile.ZipFile(io.BytesIO(_fixture("003", "docx").read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for item in src.infolist():
            body = src.read(item)
            out.writestr(item, body[:500] if item.filename == "word/document.xml" else body)
    with pytest.raises(ParseError, match="损坏"):
        read_document(buf.getvalue(), "broken.docx")


def test_it_says_a_pdf_without_text_is_a_scan() -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    pdf.close()
    with pytest.raises(ParseError, match="扫描") as err:
        read_document(buf.getvalue(), "scan.pdf")
    assert "OCR" in str(err.value)


def test_it_says_a_hand_made_pdf_without_text_is_a_scan() -> None:
    with pytest.raises(ParseError, match="scanned"):
        read_document(make_pdf(ONE_PAGE), "blank.pdf")


# ------------------------------------------------------- fixtures: key rows

# (sample, cells that must appear together in one table row), from the text dumps.
KEY_ROWS = {
    "000": [
        ("2080101", "行政运行", "801.12"),
        ("收入总计", "2354.2", "支出总计"),
        ("本年收入合计", "1454.32", "本年支出合计", "2354.2"),
        ("2210201", "住房公积金", "70.46"),
    ],
    "001": [("其中-财政拨款:", "40 万"), ("劳动技能鉴定者满意度", "≥90%以上")],
    "002": [("58.97",), ("资产总额", "555.58")],
    "003": [
        ("合计", "1382", "357.9351"),
        ("其中：汽车", "1", "10.4"),
        # a cell merged across two columns must keep its text whole
        ("编制部门：人社局", "截止时间：2018年12月31日"),
    ],
    "004": [
        ("一、本年收入", "11,540.71"),
        ("2080102", "一般行政管理事务", "405.50"),
        ("国有资本经营预算支出", "259.00"),
    ],
}

CASES = [
    (stem, path)
    for stem in KEY_ROWS
    for path in sorted(FIXTURES.glob(f"{stem}_*"))
    if path.suffix != ".txt"
]


@pytest.mark.parametrize(("stem", "path"), CASES, ids=lambda v: getattr(v, "name", v))
def test_each_fixture_yields_the_key_rows_of_its_text_dump(stem: str, path: Path) -> None:
    doc = _read(path)
    for needles in KEY_ROWS[stem]:
        _find_row(doc, *needles)


@pytest.mark.parametrize("ext", ["pdf", "docx", "xlsx"])
def test_amounts_sit_under_their_header_in_the_expenditure_table(ext: str) -> None:
    # 部门预算支出总表: 科目编码 spans 类/款/项 and 项目 spans 代码/名称 in the header;
    # merged cells must not shift 合计 away from its column.
    doc = _read(_fixture("000", ext))
    table, row = _find_row(doc, "2080101", "801.12")
    header = (
        next(r for r in table.rows if "合计" in r and "基本支出" in r)
        if any("基本支出" in r for r in table.rows)
        else None
    )
    if header is None:  # a PDF page holding only a continuation has no header
        pytest.fail("expenditure table header not found with its rows")
    assert [_norm(c) for c in header[:5]] == ["科目编码", "", "", "项目", ""]
    assert row[header.index("合计")] == "801.12"
    assert row[header.index("基本支出")] == "801.12"
    assert row.index("2080101") == row.index("行政运行") - 1
    assert row[:3] == ("", "01", "01")


@pytest.mark.parametrize("ext", ["pdf", "docx", "xlsx"])
def test_the_split_code_columns_are_kept(ext: str) -> None:
    doc = _read(_fixture("000", ext))
    _table, row = _find_row(doc, "208", "01", "01", "2080101", "行政运行", "801.12", "596.18")
    assert row[:4] == ("208", "01", "01", "2080101")


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.name)
def test_every_fixture_has_paragraphs_and_tables_with_sequential_indexes(path: Path) -> None:
    doc = _read(path)
    assert [b.index for b in doc.blocks] == list(range(len(doc.blocks)))
    assert any(isinstance(b, Table) for b in doc.blocks)
    assert any(isinstance(b, Paragraph) for b in doc.blocks)
    for table in (b for b in doc.blocks if isinstance(b, Table)):
        assert len({len(r) for r in table.rows}) == 1, "rows of one table have one width"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.pdf")), ids=lambda p: p.name)
def test_pdf_blocks_carry_their_pages_in_order(path: Path) -> None:
    doc = _read(path)
    pages = [b.page for b in doc.blocks]
    assert all(p is not None and 1 <= p <= (doc.pages or 0) for p in pages)
    assert pages == sorted(pages)


def test_a_pdf_table_split_across_pages_arrives_as_one_table_per_page_in_order() -> None:
    doc = _read(_fixture("000", "pdf"))
    first, row = _find_row(doc, "2080101", "801.12")
    second, _ = _find_row(doc, "2210201", "70.46")
    assert (first.page, second.page) == (10, 11)
    assert second.index == first.index + 1
    assert first.rows[1][3] == "科目代码"
    codes = [r[3] for r in first.rows[2:] if r[3]]
    assert codes[:3] == ["201", "20110", "2011099"]


def test_pdf_paragraphs_join_wrapped_lines() -> None:
    doc = _read(_fixture("003", "pdf"))
    texts = [b.text.replace(" ", "") for b in doc.blocks if isinstance(b, Paragraph)]
    assert (
        "预算支出：人员经费1073.17万元，日常公用经费39.33万元，项目支出8897.43万元，共计10009.93万元。"
        in texts
    )


def test_pdf_punctuation_stays_on_its_line() -> None:
    # 001's punctuation glyphs have tiny, low boxes; grouping by box centre put
    # them on lines of their own.
    doc = _read(_fixture("001", "pdf"))
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any(re.fullmatch(r"[，、。；\s]+", t) for t in texts)
    assert any("收、支总计 2952.11 万元、2845.57 万元。" in t for t in texts)


def test_docx_keeps_body_order_between_headings_and_tables() -> None:
    doc = _read(_fixture("000", "docx"))
    title = next(
        b.index
        for b in doc.blocks
        if isinstance(b, Paragraph) and b.text.strip() == "部门预算支出总表"
    )
    table, _ = _find_row(doc, "2080101", "801.12")
    assert title < table.index
    assert all(b.page is None for b in doc.blocks)


def test_xlsx_tables_name_their_sheet_and_titles_become_paragraphs() -> None:
    doc = _read(_fixture("000", "xlsx"))
    table, _ = _find_row(doc, "2080101", "801.12")
    assert table.sheet == "2 部门预算支出总表"
    before = doc.blocks[table.index - 2 : table.index]
    assert [b.text for b in before if isinstance(b, Paragraph)] == [
        "部门预算支出总表",
        "单位：市人力资源和社会保障局",
    ]


# ------------------------------------------------------------ made-up files


def test_xlsx_values_are_written_without_float_artefacts() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "收支总表"
    ws.append(["部门预算收支总表"])
    ws.append(["单位：万元"])
    ws.append(["项目", "预算数", "占比"])
    ws.append(["一般公共预算拨款收入", 1454.3200000000002, 0.6178])
    ws.append(["合计", 15.0, 1])
    ws["C4"].number_format = "0.00%"
    ws.append([])
    ws.append([])
    ws.append(["注：本表为示例"])
    buf = io.BytesIO()
    wb.save(buf)
    doc = read_document(buf.getvalue(), "made.xlsx")
    assert doc.format == "xlsx"
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["部门预算收支总表", "单位：万元", "注：本表为示例"]
    [table] = [b for b in doc.blocks if isinstance(b, Table)]
    assert table.sheet == "收支总表"
    assert table.rows == (
        ("项目", "预算数", "占比"),
        ("一般公共预算拨款收入", "1454.32", "61.78%"),
        ("合计", "15", "1"),
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1454.3200000000002, "1454.32"),
        (15.0, "15"),
        (0.1 + 0.2, "0.3"),
        (-3, "-3"),
        (357.9351, "357.9351"),
        (1e-7, "0"),
        (2354.2, "2354.2"),
    ],
)
def test_numbers_are_formatted_as_written(value: float, text: str) -> None:
    assert format_number(value) == text


def test_html_tables_expand_spans_so_columns_line_up() -> None:
    page = """<html><head><meta charset="gb2312"><style>td{}</style></head><body>
    <h2>部门预算支出总表</h2><p>单位：<b>万元</b></p>
    <table>
      <tr><td colspan="3">科目编码</td><td rowspan="2">科目名称</td><td>合计</td></tr>
      <tr><td>类</td><td>款</td><td>项</td><td></td></tr>
      <tr><td>208</td><td>01</td><td>01</td><td>行政运行</td><td>801.12</td></tr>
    </table><p>说明<br>第二行</p><script>var x = 1;</script></body></html>"""
    doc = read_document(page.encode("gb18030"), "page.htm")
    assert doc.format == "html"
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Table", "Paragraph", "Paragraph"]
    assert doc.blocks[1].text == "单位：万元"
    table = doc.blocks[2]
    assert isinstance(table, Table)
    assert table.rows == (
        ("科目编码", "", "", "科目名称", "合计"),
        ("类", "款", "项", "", ""),
        ("208", "01", "01", "行政运行", "801.12"),
    )
    assert all("var x" not in getattr(b, "text", "") for b in doc.blocks)


def test_docx_merged_cells_appear_once() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("标题")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "收入"
    table.cell(0, 2).text = "支出"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "项目"
    table.cell(1, 1).text = "1454.32"
    table.cell(2, 1).text = "899.88"
    table.cell(2, 2).text = "2354.2"
    document.add_paragraph("表后说明")
    buf = io.BytesIO()
    document.save(buf)
    doc = read_document(buf.getvalue(), "made.docx")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    assert doc.blocks[1].rows == (
        ("收入", "", "支出"),
        ("项目", "1454.32", ""),
        ("", "899.88", "2354.2"),
    )


# ------------------------------------------------- PDFs drawn for the layout paths


def _drawnmake_pdf(
    texts: list[tuple[float, float, str]], rules: list[tuple[float, float, float, float]] = ()
) -> bytes:
    """A one-page PDF with Helvetica text at (x, baseline y) and stroked rules."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(400, 300)
    for x, y, s in texts:
        obj = c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(10))
        wide = ctypes.create_string_buffer((s + "\0").encode("utf-16-le"))
        c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(c.FPDF_WCHAR)))
        c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        c.FPDFPage_InsertObject(page.raw, obj)
    for x0, y0, x1, y1 in rules:
        path = c.FPDFPageObj_CreateNewPath(ctypes.c_float(x0), ctypes.c_float(y0))
        c.FPDFPath_LineTo(path, ctypes.c_float(x1), ctypes.c_float(y1))
        c.FPDFPath_SetDrawMode(path, 0, 1)
        c.FPDFPage_InsertObject(page.raw, path)
    c.FPDFPage_GenerateContent(page.raw)
    buf = io.BytesIO()
    pdf.save(buf)
    pdf.close()
    return buf.getvalue()


_GRID = [
    ("Item", "Total", "Basic"),
    ("Salaries", "801.12", "801.12"),
    ("Housing", "70.46", "70.46"),
    ("Total", "871.58", "871.58"),
]
_GRID_TEXT = [
    (x, 250 - 16 * i, s)
    for i, row in enumerate(_GRID)
    for x, s in zip((40, 200, 300), row, strict=True)
]


def test_pdf_table_without_rules_is_rebuilt_from_text_positions() -> None:
    doc = read_document(_drawnmake_pdf([(40, 280, "Expenditure by function")] + _GRID_TEXT))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table"]
    assert doc.blocks[0].text == "Expenditure by function"
    assert doc.blocks[1].rows == tuple(_GRID)


def test_pdf_table_ruled_only_by_columns_gets_one_row_per_text_line() -> None:
    # Outer frame and column rules, no rules between the rows.
    rules = [(30, 262, 380, 262), (30, 190, 380, 190)] + [
        (x, 190, x, 262) for x in (30, 190, 290, 380)
    ]
    doc = read_document(_drawnmake_pdf(_GRID_TEXT, rules))
    [table] = [b for b in doc.blocks if isinstance(b, Table)]
    assert table.rows == tuple(_GRID)


def test_pdf_ruled_table_with_a_merged_header_cell() -> None:
    # "Amounts" spans the two number columns (no rule between them there) and
    # "Item" spans both header rows (no rule under it).
    texts = [
        (40, 250, "Item"),
        (230, 250, "Amounts"),
        (200, 234, "Total"),
        (300, 234, "Basic"),
        (40, 218, "Salaries"),
        (200, 218, "801.12"),
        (300, 218, "801.12"),
    ]
    rules = [
        (30, 262, 380, 262),
        (190, 246, 380, 246),
        (30, 230, 380, 230),
        (30, 214, 380, 214),
        (30, 214, 30, 262),
        (190, 214, 190, 262),
        (290, 214, 290, 246),
        (380, 214, 380, 262),
    ]
    doc = read_document(_drawnmake_pdf(texts, rules))
    [table] = [b for b in doc.blocks if isinstance(b, Table)]
    assert table.rows == (
        ("Item", "Amounts", ""),
        ("", "Total", "Basic"),
        ("Salaries", "801.12", "801.12"),
    )


def test_an_old_excel_xls_workbook_parses_like_its_xlsx(tmp_path):
    """The .xls path (xlrd) on a real sample: the 004 workbook re-saved as Excel 97-2003."""
    import io

    import openpyxl
    import xlwt

    from disclosures.parsing import parse

    src = Path(__file__).resolve().parents[2] / "disclosures" / "samples" / "fixtures"
    xlsx = (src / "004_a0aa4bbb27e038c2.xlsx").read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(xlsx), data_only=True)
    xls = xlwt.Workbook()
    for sheet in book.worksheets:
        target = xls.add_sheet(sheet.title[:31])
        for r, row in enumerate(sheet.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is not None:
                    target.write(r, c, value)
    buffer = io.BytesIO()
    xls.save(buffer)
    old, new = parse(buffer.getvalue(), "004.xls").to_dict(), parse(xlsx, "004.xlsx").to_dict()
    assert old["source"]["format"] == "xls"
    assert old["totals"] == new["totals"] and old["three_public"] == new["three_public"]
    assert old["functional"] == new["functional"] and old["economic"] == new["economic"]
    import json

    expected = json.loads((src.parent / "expected" / "004_a0aa4bbb27e038c2.json").read_text())
    codes = [i["code"] for i in old["functional"]["department"]]
    assert codes == [i["code"] for i in expected["functional"]["department"]]
