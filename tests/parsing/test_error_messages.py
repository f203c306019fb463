"""Every reason a file is refused is given in Chinese and in English (for the English UI)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from disclosures.parsing import ParseError, parse

PACKAGE = Path(__file__).resolve().parents[2] / "disclosures" / "parsing"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_parse_error_in_the_package_has_an_english_version():
    missing = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "ParseError"
                and not any(k.arg == "en" for k in node.keywords)
            ):
                missing.append(f"{path.name}:{node.lineno}")
    assert missing == []


@pytest.mark.parametrize(
    "data,name",
    [
        (b"", "empty.pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "scan.pdf"),
        (b"PK\x03\x04" + b"\0" * 64, "broken.docx"),
        (b"%PDF-1.7\n" + b"\x00junk" * 100, "cut.pdf"),
        ("# XX市XX局\n\n## 20XX年部门预算\n\n收入总计\t××\n".encode(), "template.txt"),
        ("第一章\n\n天色已晚，他走进了小屋。\n".encode(), "novel.txt"),
    ],
)
def test_a_refused_file_says_why_in_both_languages(data, name):
    with pytest.raises(ParseError) as caught:
        parse(data, name)
    assert CJK.search(str(caught.value))
    assert caught.value.en and re.search(r"[A-Za-z]{3}", caught.value.en)
    assert not CJK.search(caught.value.en.replace("预算", "").replace("决算", ""))
