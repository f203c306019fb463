"""Every reason a file is refused is given in Chinese and in English (for the English UI).

``str(err)`` stays the Chinese message; ``err.en`` is the same message in English.
"""

from __future__ import annotations

import ast
import io
import random
import re
import zipfile
from pathlib import Path

import pytest

from disclosures.parsing import ParseError, parse

from .pdfs import ONE_PAGE, make_pdf

PACKAGE = Path(__file__).resolve().parents[2] / "disclosures" / "parsing"
SAMPLE_PDFS = sorted((PACKAGE.parent / "samples" / "fixtures").glob("000_*.pdf"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _encryptedmake_pdf() -> bytes:
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"
    )
    ident = b"<00112233445566778899aabbccddeeff>"
    return make_pdf(ONE_PAGE + [encrypt], b"/Encrypt 4 0 R /ID [" + ident + b" " + ident + b"] ")


def _truncatedmake_pdf() -> bytes:
    data = SAMPLE_PDFS[0].read_bytes() if SAMPLE_PDFS else make_pdf(ONE_PAGE)
    return data[: len(data) // 2]


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return buf.getvalue()


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

BAD_FILES = {
    "empty": (b"", "empty.pdf"),
    "blank": (b"   \n\t ", "blank.txt"),
    "png": (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200), "scan.pdf"),
    "jpeg": (b"\xff\xd8\xff\xe0" + bytes(100), "budget.pdf"),
    "rar": (b"Rar!\x1a\x07\x00" + bytes(100), "budget.rar"),
    "webp": (b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(100), "scan.webp"),
    "random bytes": (random.Random(20240101).randbytes(4096), "budget.docx"),
    "truncated pdf": (_truncatedmake_pdf(), "cut.pdf"),
    "corrupt pdf": (b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "bad.pdf"),
    "encrypted pdf": (_encryptedmake_pdf(), "secret.pdf"),
    "pdf without text": (make_pdf(ONE_PAGE), "scan.pdf"),
    "broken zip": (b"PK\x03\x04" + bytes(64), "broken.docx"),
    "plain zip": (_plain_zip(), "budget.docx"),
    "old word doc": (_OLE + "WordDocument".encode("utf-16-le"), "budget.doc"),
    "encrypted office": (_OLE + "EncryptedPackage".encode("utf-16-le"), "budget.xlsx"),
    "unknown ole": (_OLE + bytes(512), "budget.xls"),
    "unfilled template": (
        "# XX市XX局\n\n## 20XX年部门预算\n\n收入总计\t××\n".encode(),
        "template.txt",
    ),
    "not a disclosure": ("第一章\n\n天色已晚，他走进了小屋。\n".encode(), "novel.txt"),
}


@pytest.mark.parametrize("data,name", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_refused_file_says_why_in_chinese_and_in_english(data: bytes, name: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(data, name)
    err = caught.value
    assert str(err).strip() and CJK.search(str(err)), str(err)
    assert isinstance(err.en, str) and err.en.strip(), f"no English for: {err}"
    assert re.search(r"[A-Za-z]{3}", err.en), err.en
    assert not CJK.search(err.en), err.en


def test_an_image_is_named_in_english_too() -> None:
    with pytest.raises(ParseError) as caught:
        parse(b"\x89PNG\r\n\x1a\n" + bytes(64), "scan.pdf")
    assert "图片（PNG）" in str(caught.value)
    assert "image (PNG)" in caught.value.en


def test_the_chinese_message_is_unchanged_by_the_english_one() -> None:
    err = ParseError("文件已加密。", en="The file is encrypted.")
    assert str(err) == "文件已加密。"
    assert err.args == ("文件已加密。",)
    assert err.en == "The file is encrypted."
    assert ParseError("旧消息").en is None


def _parse_error_calls() -> list[tuple[Path, ast.Call]]:
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name == "ParseError":
                    calls.append((path, node))
    return calls


def test_every_parse_error_in_the_package_has_an_english_version() -> None:
    calls = _parse_error_calls()
    assert len(calls) >= 25  # the scan really finds the raises
    missing = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path, node in calls
        if not any(k.arg == "en" for k in node.keywords)
    ]
    assert missing == [], f"ParseError without en=: {missing}"


def test_no_english_message_in_the_source_contains_chinese() -> None:
    for path, node in _parse_error_calls():
        for keyword in node.keywords:
            if keyword.arg != "en":
                continue
            literal = "".join(
                part.value
                for part in ast.walk(keyword.value)
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            assert not CJK.search(literal), f"{path.relative_to(PACKAGE)}:{node.lineno}"
