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


def items(response):
    body = response.json()
    assert response.status_code == 200, body
    assert body["count"] == len(body["items"]) or body["next"], body  # a page, or all of it
    return body["items"]


def test_departments_filter_by_region_and_category(client, published):
    d, hidden = published
    body = client.get("/api/departments").json()
    assert [r["name"] for r in body["items"]] == [d.department.name]  # unpublished: not listed
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    province = d.department.region.parent
    rows = items(client.get("/api/departments", {"region": province.pk}))
    assert rows[0]["region"]["full_name"] == "重庆市南岸区"
    assert items(client.get("/api/departments", {"category": "教育局"})) == []
    # The search text means what it means on the home page: name, category or region.
    assert [r["id"] for r in items(client.get("/api/departments", {"q": "南岸"}))] == [
        d.department_id
    ]
    assert items(client.get("/api/departments", {"q": "重庆"}))[0]["id"] == d.department_id


def test_an_unknown_region_is_an_error_not_an_unfiltered_list(client, published):
    response = client.get("/api/departments", {"region": 999999})
    assert response.status_code == 422 and "region" in response.json()["detail"]
    assert client.get("/api/line-items.csv", {"kind": "neither"}).status_code == 422


def test_a_list_longer_than_a_page_has_a_count_and_a_next_page(client, staff_user):
    names = [f"第{i}局" for i in range(5)]
    for name in names:
        services.publish(make_disclosure(make_department(name)), user=staff_user)
    first = client.get("/api/departments", {"limit": 2}).json()
    assert first["count"] == 5 and first["previous"] is None
    seen = [r["name"] for r in first["items"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        assert page["count"] == 5 and page["previous"]
        seen += [r["name"] for r in page["items"]]
    assert seen == sorted(names) and len(page["items"]) == 1  # 2 + 2 + 1, each once


def test_the_classification_dictionary_is_paged(client):
    from disclosures.models import ClassificationCode

    ClassificationCode.objects.bulk_create(
        ClassificationCode(system="functional", code=f"9{i:02d}", name=f"科目{i}", level=1)
        for i in range(5)
    )
    body = client.get("/api/classification", {"limit": 3, "offset": 3}).json()
    total = ClassificationCode.objects.filter(system="functional").count()
    assert body["count"] == total and len(body["items"]) == min(3, total - 3)
    assert "offset=0" in body["previous"] and "limit=3" in body["previous"]
    assert body["next"] is None or "offset=6" in body["next"]


def schema_of(spec, ref_or_schema):
    while "$ref" in ref_or_schema:
        ref_or_schema = spec["components"]["schemas"][ref_or_schema["$ref"].rsplit("/", 1)[1]]
    return ref_or_schema


def response_schema(spec, path):
    content = spec["paths"][path]["get"]["responses"]["200"]["content"]
    return schema_of(spec, content["application/json"]["schema"])


def test_openapi_names_the_properties_of_a_disclosure_and_a_comparison(client):
    from comparisons.compare import Row
    from disclosures.labels import FIGURE_LABELS
    from disclosures.models import Department

    spec = client.get("/api/openapi.json").json()
    disclosure = response_schema(spec, "/api/disclosures/{disclosure_id}")
    assert set(disclosure["properties"]) == {
        "schema", "source", "department", "region", "fiscal_year", "kind", "unit", "totals",
        "three_public", "assets", "functional", "economic", "checks", "provenance",
        "id", "published_with_errors",
    }  # fmt: skip
    props = disclosure["properties"]
    for group in ("totals", "three_public", "assets"):
        assert set(schema_of(spec, props[group])["properties"]) == set(FIGURE_LABELS[group])
    functional = schema_of(spec, props["functional"])["properties"]["department"]
    item = schema_of(spec, next(s for s in functional["anyOf"] if s.get("type") == "array"))
    assert set(schema_of(spec, item["items"])["properties"]) == {
        "code", "name", "total", "basic", "project",
    }  # fmt: skip
    assert set(schema_of(spec, props["source"])["properties"]) >= {"filename", "sha256"}

    comparison = response_schema(spec, "/api/comparisons")
    assert set(comparison["properties"]) == {"measure", "unit", "year", "kind", "rows"}
    row = schema_of(spec, comparison["properties"]["rows"]["items"])
    assert set(row["properties"]) == set(Row(department=Department(name="x")).as_dict())

    departments = response_schema(spec, "/api/departments")
    assert {"items", "count", "next", "previous"} <= set(departments["properties"])
    parameters = {p["name"] for p in spec["paths"]["/api/departments"]["get"]["parameters"]}
    assert {"q", "category", "region", "limit", "offset"} <= parameters
    csv_parameters = {p["name"] for p in spec["paths"]["/api/line-items.csv"]["get"]["parameters"]}
    assert csv_parameters == {"year", "kind", "code", "scope", "category", "region"}


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
    assert text == b"".join(
        client.get("/api/line-items.csv", {"code": "20801"}).streaming_content
    ).decode("utf-8-sig")  # year is a filter like the others: this is the only year
    province = d.department.region.parent
    by_region = client.get("/api/line-items.csv", {"region": province.pk, "kind": "final"})
    assert b"".join(by_region.streaming_content).decode("utf-8-sig").count("\n") == 1  # header


def test_bulk_csv_streams_with_the_byte_order_mark_first(client, published):
    response = client.get("/api/line-items.csv")
    assert response.streaming
    first = next(iter(response.streaming_content))
    assert first.startswith("\ufeff".encode()) and b"disclosure_id" in first


def test_the_api_never_shows_superseded_disclosures(client, published, staff_user):
    d, _ = published
    newer = make_disclosure(d.department, fiscal_year=2024, items=ITEMS[:1])
    services.publish(newer, user=staff_user)
    d.refresh_from_db()
    assert d.publication == Publication.SUPERSEDED
    assert client.get(f"/api/disclosures/{d.pk}").status_code == 404
    ids = [r["id"] for r in client.get(f"/api/departments/{d.department_id}/disclosures").json()]
    assert ids == [newer.pk]
