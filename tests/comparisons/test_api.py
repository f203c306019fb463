"""The read-only JSON API and its OpenAPI description."""

from __future__ import annotations

import csv
import io

import pytest

from disclosures import services
from disclosures.choices import Publication

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db

ITEMS = [("208", "社会保障和就业支出", "300"), ("2080101", "行政运行", "200.5")]


@pytest.fixture
def published(staff_user):
    province = make_region("重庆市", level="province", code="500000")
    dept = make_department(
        "重庆市南岸区人力资源和社会保障局",
        region=make_region("南岸区", parent=province, level="county", code="500108"),
    )
    d = make_disclosure(
        dept,
        fiscal_year=2024,
        totals={"expenditure_total": "300", "grand_total": "310"},
        items=ITEMS,
    )
    services.publish(d, user=staff_user)
    hidden = make_disclosure(make_department("未发布部门"), items=ITEMS)
    return d, hidden


def test_openapi_describes_every_endpoint(client):
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    assert {
        "/api/departments",
        "/api/departments/{department_id}/disclosures",
        "/api/disclosures/{disclosure_id}",
        "/api/classification",
        "/api/line-items.csv",
    } <= paths


def test_departments_filter_by_region_and_category(client, published):
    d, hidden = published
    rows = client.get("/api/departments").json()
    assert [r["name"] for r in rows] == [d.department.name]  # unpublished is not listed
    province = d.department.region.parent
    assert (
        client.get("/api/departments", {"region": province.pk}).json()[0]["region"]["full_name"]
        == "重庆市南岸区"
    )
    assert client.get("/api/departments", {"category": "教育局"}).json() == []


def test_a_disclosure_comes_in_the_extraction_shape_with_corrections(client, published, staff_user):
    d, hidden = published
    services.correct(d, "totals.grand_total", "320", reason="复核", user=staff_user)
    body = client.get(f"/api/disclosures/{d.pk}").json()
    assert body["schema"] == "disclosure/1" and body["unit"] == "万元"
    assert body["fiscal_year"] == 2024 and body["kind"] == "budget"
    assert body["totals"]["grand_total"] == 320.0
    assert body["provenance"]["totals.grand_total"]["corrected"] is True
    assert body["region"] == {"province": "重庆市", "city": "重庆市", "county": "南岸区"}
    assert [i["code"] for i in body["functional"]["department"]] == ["208", "2080101"]
    assert body["functional"]["department"][1]["total"] == 200.5
    assert client.get(f"/api/disclosures/{hidden.pk}").status_code == 404


def test_department_disclosures_list(client, published):
    d, _ = published
    rows = client.get(f"/api/departments/{d.department_id}/disclosures").json()
    assert rows == [
        {
            "id": d.pk,
            "fiscal_year": 2024,
            "kind": "budget",
            "original_name": d.original_name,
            "format": "text",
            "published_with_errors": False,
            "url": f"/api/disclosures/{d.pk}",
        }
    ]


def test_bulk_csv_export_filters_by_code_prefix(client, published):
    d, _ = published
    response = client.get("/api/line-items.csv", {"code": "20801", "year": 2024})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["code"], r["total"], r["county"]) for r in rows] == [
        ("2080101", "200.5000", "南岸区")
    ]
    assert rows[0]["province"] == "重庆市" and rows[0]["department"] == d.department.name


def test_the_api_never_shows_superseded_disclosures(client, published, staff_user):
    d, _ = published
    newer = make_disclosure(d.department, fiscal_year=2024, items=ITEMS[:1])
    services.publish(newer, user=staff_user)
    d.refresh_from_db()
    assert d.publication == Publication.SUPERSEDED
    assert client.get(f"/api/disclosures/{d.pk}").status_code == 404
    ids = [r["id"] for r in client.get(f"/api/departments/{d.department_id}/disclosures").json()]
    assert ids == [newer.pk]
