"""Read-only JSON API (django-ninja) with its OpenAPI description at /api/openapi.json."""

from __future__ import annotations

import csv
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError

from disclosures.models import ClassificationCode, Department, Disclosure, LineItem

from . import queries

api = NinjaAPI(
    title="Yujue API",
    version="1",
    urls_namespace="api",
    description="预决：已发布的部门预算、决算数据（只读）。金额单位均为万元。",
)


class RegionOut(Schema):
    id: int
    name: str
    full_name: str
    level: str
    code: str | None


class DepartmentOut(Schema):
    id: int
    name: str
    category: str
    aliases: list[str]
    region: RegionOut | None


class DisclosureSummary(Schema):
    id: int
    fiscal_year: int | None
    kind: str
    original_name: str
    format: str
    published_with_errors: bool
    url: str


class ClassificationOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str


def _region(region) -> dict[str, Any] | None:
    if region is None:
        return None
    return {
        "id": region.pk,
        "name": region.name,
        "full_name": region.full_name,
        "level": region.level,
        "code": region.code,
    }


def _department(d: Department) -> dict[str, Any]:
    return {
        "id": d.pk,
        "name": d.name,
        "category": d.category,
        "aliases": d.aliases or [],
        "region": _region(d.region),
    }


@api.get("/departments", response=list[DepartmentOut], tags=["departments"])
def departments(
    request: HttpRequest,
    region: int | None = None,
    category: str | None = None,
    q: str | None = None,
):
    """Departments with published data; filter by region (and everything below it),
    category (e.g. 人力资源和社会保障局) or a name fragment."""
    rows = (
        Department.objects.published()
        .select_related("region", "region__parent", "region__parent__parent")
    )
    if region:
        rows = rows.in_region(region)
    if category:
        rows = rows.filter(category=category)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(aliases__icontains=q))
    return [_department(d) for d in rows.order_by("name")[:1000]]


@api.get(
    "/departments/{department_id}/disclosures",
    response=list[DisclosureSummary],
    tags=["departments"],
)
def department_disclosures(request: HttpRequest, department_id: int):
    """A department's published disclosures, newest first."""
    department = get_object_or_404(Department, pk=department_id)
    return [
        {
            "id": d.pk,
            "fiscal_year": d.fiscal_year,
            "kind": d.kind,
            "original_name": d.original_name,
            "format": d.format,
            "published_with_errors": d.published_with_errors,
            "url": f"/api/disclosures/{d.pk}",
        }
        for d in queries.department_disclosures(department)
    ]


@api.get("/disclosures/{disclosure_id}", tags=["disclosures"])
def disclosure(request: HttpRequest, disclosure_id: int) -> dict[str, Any]:
    """One published disclosure's full content in the disclosure/1 shape of EXTRACTION.md
    (published values, corrections applied), with checks and provenance."""
    d = get_object_or_404(
        Disclosure.objects.published().select_related("department", "department__region"),
        pk=disclosure_id,
    )
    return queries.disclosure_payload(d)


@api.get("/classification", response=list[ClassificationOut], tags=["classification"])
def classification(request: HttpRequest, system: str = "functional"):
    """The classification dictionary (functional 类/款/项, or economic)."""
    return list(
        ClassificationCode.objects.filter(system=system)
        .order_by("code")
        .values("code", "name", "level", "parent_code")
    )


class _Echo:
    def write(self, value):
        return value


CSV_COLUMNS = [
    "disclosure_id",
    "department",
    "province",
    "city",
    "county",
    "fiscal_year",
    "kind",
    "classification",
    "scope",
    "code",
    "name",
    "total",
    "basic",
    "project",
    "page",
]


@api.get("/line-items.csv", tags=["export"])
def line_items_csv(
    request: HttpRequest,
    year: int | None = None,
    kind: str | None = None,
    code: str | None = None,
    scope: str | None = None,
    category: str | None = None,
    region: int | None = None,
):
    """Bulk CSV of published line items (万元), streamed; filter by year, kind, code
    (prefix: 208 gives every 208xxxxx), scope, department category and region."""
    rows = LineItem.objects.published()
    if year:
        rows = rows.filter(disclosure__fiscal_year=year)
    if kind:
        rows = rows.filter(disclosure__kind=kind)
    if code:
        rows = rows.filter(code__startswith=code)
    if scope:
        rows = rows.filter(scope=scope)
    if category:
        rows = rows.filter(disclosure__department__category=category)
    if region:
        rows = rows.in_region(region)
    rows = rows.select_related(
        "disclosure",
        "disclosure__department",
        "disclosure__department__region",
        "disclosure__department__region__parent",
        "disclosure__department__region__parent__parent",
    ).order_by("disclosure_id", "classification", "scope", "position")

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # BOM: Excel opens UTF-8 correctly
        for item in rows.iterator(chunk_size=2000):
            d = item.disclosure
            chain = {
                r.level: r.name
                for r in (
                    d.department.region.ancestors_and_self()
                    if d.department and d.department.region
                    else []
                )
            }
            yield writer.writerow(
                [
                    d.pk,
                    d.department.name if d.department else "",
                    chain.get("province", ""),
                    chain.get("city", ""),
                    chain.get("county", ""),
                    d.fiscal_year,
                    d.kind,
                    item.classification,
                    item.scope,
                    item.code or "",
                    item.name,
                    item.total if item.total is not None else "",
                    item.basic if item.basic is not None else "",
                    item.project if item.project is not None else "",
                    item.page or "",
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="yujue-line-items.csv"'
    return response


@api.get("/comparisons", tags=["comparisons"])
def comparisons(
    request: HttpRequest,
    kind: str = "budget",
    year: str = "latest",
    code: str = "",
    measure: str = "",
    normalisation: str = "amount",
    category: str = "",
    region: int | None = None,
    departments: list[int] | None = Query(None),  # noqa: B008  (ninja's idiom)
) -> dict[str, Any]:
    """The rows of the comparison table: same parameters as the comparison page's URL."""
    from .compare import compare
    from .forms import ComparisonForm

    params = {
        "kind": kind,
        "year": year,
        "code": code,
        "measure": measure,
        "normalisation": normalisation,
        "category": category,
        "region": region or "",
        "departments": departments or [],
    }
    form = ComparisonForm(params)
    if not form.is_valid():
        raise HttpError(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    result = compare(form.cleaned_data)
    return {
        "measure": result.measure_label,
        "unit": result.unit,
        "year": result.year,
        "kind": result.kind,
        "rows": [r.as_dict() for r in result.rows],
    }
