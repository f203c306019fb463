"""No export can carry a live formula (CSV injection): CSV cells get a leading apostrophe,
XLSX cells are strings."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from disclosures.choices import Publication

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example","点这里")', "+1+1", "-2+3", "@SUM(A1:A9)", "\tTAB"]


@pytest.fixture
def dept():
    region = make_region("南充市", code="511300")
    dept = make_department("=1+1南充市人力资源和社会保障局", region=region)
    items = [("208", "社会保障和就业支出", "100")] + [
        (f"20801{n:02d}", name, "1") for n, name in enumerate(HOSTILE, 1)
    ]
    d = make_disclosure(dept, items=items)
    d.publication = Publication.PUBLISHED
    d.save()
    return dept


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_department_csv_neutralises_every_formula(client, dept):
    url = reverse("comparisons:department_detail", args=[dept.pk])
    rows = _csv(client.get(url, {"_export": "csv"}).content)
    names = [cell for row in rows for cell in row]
    for text in HOSTILE:
        assert "'" + text in names, text
        assert text not in names
    assert not any(c.startswith(("=", "+", "@", "\t")) for c in names)


def test_the_department_xlsx_has_strings_not_formulas(client, dept):
    url = reverse("comparisons:department_detail", args=[dept.pk])
    book = load_workbook(io.BytesIO(client.get(url, {"_export": "xlsx"}).content))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells}
    for text in HOSTILE:
        assert text in texts, text  # the text itself, unchanged, as a string


def test_the_bulk_csv_and_the_comparison_exports_neutralise_formulas(client, dept):
    rows = _csv(b"".join(client.get("/api/line-items.csv").streaming_content))
    cells = [cell for row in rows for cell in row]
    assert "'" + HOSTILE[0] in cells and "'=1+1南充市人力资源和社会保障局" in cells
    params = {"kind": "budget", "year": "latest", "code": "208", "normalisation": "amount"}
    compare = reverse("comparisons:comparison")
    exported = _csv(client.get(compare, {**params, "_export": "csv"}).content)
    assert any("'=1+1南充市人力资源和社会保障局" in row for row in exported)
    book = load_workbook(io.BytesIO(client.get(compare, {**params, "_export": "xlsx"}).content))
    assert not [c for row in book.active.iter_rows() for c in row if c.data_type == "f"]
