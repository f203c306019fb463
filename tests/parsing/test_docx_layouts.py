"""The made-up layouts in tests/parsing/data, published as Word documents (paragraphs and
real Word tables), parse exactly like their text versions: the DOCX reader and the
extraction agree on layouts the samples don't have."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from disclosures.parsing import parse

from .dumps import pieces

DATA = Path(__file__).resolve().parent / "data"


def as_word(text: str) -> bytes:
    document = docx.Document()
    for kind, piece in pieces(text):
        if kind == "table":
            table = document.add_table(rows=len(piece), cols=max(len(r) for r in piece))
            for i, row in enumerate(piece):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
        else:
            document.add_paragraph(piece)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("path", sorted(DATA.glob("*.txt")), ids=lambda p: p.stem)
def test_a_layout_as_a_word_document_parses_like_its_text(path):
    text = path.read_text("utf-8")
    word = parse(as_word(text), path.stem + ".docx").to_dict()
    plain = parse(text.encode(), path.name).to_dict()
    assert word["source"]["format"] == "docx"
    for key in (
        "department",
        "fiscal_year",
        "kind",
        "totals",
        "three_public",
        "assets",
        "functional",
        "economic",
    ):
        assert word[key] == plain[key], key
