"""HTML reader end to end: a sample published as a web page parses like its text dump.

The web page is built from the dump (headings → <h2>, paragraphs → <p>, tab-separated
rows → <table>), the way many finance bureaus publish disclosures as HTML.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from disclosures.parsing import parse

from .dumps import pieces

SAMPLES = Path(__file__).resolve().parents[2] / "disclosures" / "samples"


def as_web_page(text: str) -> str:
    out = ["<!doctype html><html><head><meta charset='utf-8'></head><body>"]
    for kind, piece in pieces(text):
        if kind == "table":
            cells = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                for row in piece
            )
            out.append(f"<table border='1'>{cells}</table>")
        else:
            tag = "h2" if kind == "heading" else "p"
            out.append(f"<{tag}>{html.escape(piece)}</{tag}>")
    return "\n".join(out) + "</body></html>"


@pytest.mark.parametrize("sample", ["000_2abe3100919c2127", "004_a0aa4bbb27e038c2"])
def test_a_sample_as_a_web_page_parses_like_its_text_dump(sample):
    text = (SAMPLES / f"{sample}.txt").read_text("utf-8")
    web = parse(as_web_page(text).encode(), f"{sample}.html").to_dict()
    dump = parse(text.encode(), f"{sample}.txt").to_dict()
    assert web["source"]["format"] == "html"
    for key in (
        "department",
        "region",
        "fiscal_year",
        "kind",
        "totals",
        "three_public",
        "assets",
        "functional",
        "economic",
    ):
        assert web[key] == dump[key], key
