"""Read-only JSON API (django-ninja) with its OpenAPI description at /api/openapi.json.

Filters come from ``filtersets.py`` (the same classes the pages use): each endpoint's
query parameters are derived from its FilterSet by ``query_schema`` so the OpenAPI
document lists them, and the validated values are bound to the FilterSet, which does the
filtering. Lists grow with the data and are paged (``Page``: limit/offset, count, links).

No ``from __future__ import annotations`` here: ninja reads the endpoints' parameter
types at import, and the query schemas are built at runtime.
"""

import csv
from typing import Any, Literal, cast

import django_filters
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema, Swagger
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict, create_model

from disclosures.labels import FIGURE_LABELS
from disclosures.models import ClassificationCode, Department, Disclosure

from . import queries
from .exports import csv_cell
from .filtersets import DepartmentFilterSet, LineItemFilterSet

api = NinjaAPI(
    title="Yujue API",
    version="1",
    urls_namespace="api",
    description="预决：已发布的部门预算、决算数据（只读）。金额单位均为万元。",
    # Swagger UI from our static files ("ninja" in INSTALLED_APPS; SRI in
    # templates/ninja/swagger.html); no badge from the public validator either.
    docs=Swagger(settings={"validatorUrl": None}),
)


def query_schema(filterset: type[django_filters.FilterSet]) -> type[Schema]:
    """The query parameters of a FilterSet as a ninja Schema, for validation and the
    OpenAPI document; the filtering itself stays in the FilterSet."""
    fields: dict[str, Any] = {}
    for name, f in filterset.base_filters.items():
        kind: Any = str
        if isinstance(f, django_filters.NumberFilter | django_filters.ModelChoiceFilter):
            kind = int
        elif isinstance(f, django_filters.ChoiceFilter) and isinstance(
            f.extra.get("choices"), list | tuple
        ):
            kind = Literal[tuple(value for value, _label in f.extra["choices"])]
        fields[name] = (kind | None, Field(None, description=str(f.label or name)))
    model_name = filterset.__name__.removesuffix("FilterSet") + "Query"
    return create_model(model_name, __base__=Schema, **fields)


DepartmentQuery = query_schema(DepartmentFilterSet)
LineItemQuery = query_schema(LineItemFilterSet)


def _filter(filterset: type[django_filters.FilterSet], params: Schema, queryset):
    """Bind validated parameters to the FilterSet; an invalid value (a region that does
    not exist) is the client's error, never a silently unfiltered list."""
    bound = filterset(params.dict(exclude_none=True), queryset=queryset)
    if not bound.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in bound.errors.items()))
    return bound.qs


class PageQuery(LimitOffsetPagination.Input):
    """``limit`` rows from ``offset``."""


class Page(LimitOffsetPagination):
    """limit/offset pages with the total count and links to the neighbouring pages."""

    Input = PageQuery

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="rows matching the filters, over all pages")
        next: str | None = Field(None, description="URL of the next page, null on the last")
        previous: str | None = Field(None, description="URL of the previous page")

    def paginate_queryset(self, queryset, pagination, request: HttpRequest, **params):
        out = super().paginate_queryset(queryset, pagination, request, **params)
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)

        def link(to: int) -> str:
            query = request.GET.copy()
            query["offset"], query["limit"] = str(to), str(limit)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        out["next"] = link(offset + limit) if offset + limit < out["count"] else None
        out["previous"] = link(max(offset - limit, 0)) if offset > 0 else None
        return out


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

    @staticmethod
    def resolve_aliases(obj: Department) -> list[str]:
        return obj.aliases or []


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


# The disclosure/1 shape of docs/extraction.md. Keys a document does not state are left
# out (the operation drops unset fields), as in the parser's own JSON.


class _OpenSchema(Schema):
    # A key the parser learns later is passed through rather than dropped.
    model_config = ConfigDict(extra="allow")


def _figures_schema(name: str, group: str, kind: Any) -> type[Schema]:
    """One property per known key of a figure group, described by its label."""
    fields: dict[str, Any] = {
        key: (kind | None, Field(None, description=str(label)))
        for key, label in FIGURE_LABELS[group].items()
    }
    return create_model(name, __base__=_OpenSchema, **fields)


TotalsOut = _figures_schema("TotalsOut", "totals", float)
ThreePublicOut = _figures_schema("ThreePublicOut", "three_public", float)
AssetsOut = _figures_schema("AssetsOut", "assets", int)


class SourceOut(Schema):
    filename: str
    sha256: str
    format: str
    url: str | None = None


class RegionNamesOut(Schema):
    province: str | None
    city: str | None
    county: str | None


class ItemOut(Schema):
    code: str | None = Field(description="类 3 / 款 5 / 项 7 digits; null when not known")
    name: str
    total: float | None
    basic: float | None
    project: float | None


class FunctionalOut(_OpenSchema):
    department: list[ItemOut] | None = Field(None, description="部门支出总表: all funding sources")
    general_budget: list[ItemOut] | None = Field(None, description="一般公共预算支出表")


class EconomicOut(_OpenSchema):
    basic: list[ItemOut] | None = Field(None, description="基本支出 by 部门经济分类")


class CheckOut(Schema):
    severity: str
    rule: str
    message: str
    path: str | None


class ProvenanceOut(Schema):
    text: str
    page: int | None = None
    corrected: bool | None = Field(None, description="a person corrected this value")
    confirmed: bool | None = Field(
        None,
        description="true: a passing arithmetic or cross-source check involves this figure; "
        "false: no check confirms it (unconfirmed)",
    )


class DisclosureOut(Schema):
    id: int
    schema_: Literal["disclosure/1"] = Field(alias="schema")
    source: SourceOut
    department: str | None
    region: RegionNamesOut
    fiscal_year: int | None
    kind: str | None
    unit: Literal["万元"]
    # TotalsOut, ThreePublicOut and AssetsOut are built at import by create_model (one
    # property per known figure key), so mypy cannot use them as types.
    totals: TotalsOut  # type: ignore[valid-type]
    three_public: ThreePublicOut  # type: ignore[valid-type]
    assets: AssetsOut  # type: ignore[valid-type]
    functional: FunctionalOut
    economic: EconomicOut
    checks: list[CheckOut]
    provenance: dict[str, ProvenanceOut] = Field(
        description='field path ("totals.grand_total", "functional.department[3]") → source'
    )
    published_with_errors: bool = Field(
        description="published although error-level checks remained"
    )


class ComparisonRowOut(Schema):
    rank: int | None
    department_id: int
    department: str
    region: str | None
    disclosure_id: int | None
    fiscal_year: int | None
    kind: str | None
    value: float | None = Field(description="the measure in 万元 (count for assets)")
    normalised: float | None = Field(description="the value in the comparison's unit")
    scope: str | None
    notes: list[str] = Field(description="why a value is missing or not comparable")
    published_with_inconsistencies: bool


class ComparisonOut(Schema):
    measure: str
    unit: str
    year: int | None
    kind: str
    rows: list[ComparisonRowOut]


@api.get("/departments", response=list[DepartmentOut], tags=["departments"])
@paginate(Page, max_limit=500)
def departments(
    request: HttpRequest,
    # DepartmentQuery is built at import by query_schema, so mypy cannot use it as a type.
    filters: DepartmentQuery = Query(...),  # type: ignore[valid-type]  # noqa: B008
):
    """Departments with published data; filter by region (and everything below it),
    category (e.g. 人力资源和社会保障局) or a search text (name, alias, category, region)."""
    return _filter(DepartmentFilterSet, filters, queries.department_list())


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


@api.get(
    "/disclosures/{disclosure_id}",
    response=DisclosureOut,
    by_alias=True,
    exclude_unset=True,
    tags=["disclosures"],
)
def disclosure(request: HttpRequest, disclosure_id: int) -> dict[str, Any]:
    """One published disclosure's full content in the disclosure/1 shape of EXTRACTION.md
    (published values, corrections applied), with checks and provenance."""
    d = get_object_or_404(
        Disclosure.objects.published().select_related("department", "department__region"),
        pk=disclosure_id,
    )
    return queries.disclosure_payload(d)


@api.get("/classification", response=list[ClassificationOut], tags=["classification"])
@paginate(Page, max_limit=2000)
def classification(request: HttpRequest, system: str = "functional"):
    """The classification dictionary (functional 类/款/项, or economic), by code."""
    return (
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
    # LineItemQuery is built at import by query_schema, so mypy cannot use it as a type.
    filters: LineItemQuery = Query(...),  # type: ignore[valid-type]  # noqa: B008
):
    """Bulk CSV of published line items (万元), streamed; filter by year, kind, code
    (prefix: 208 gives every 208xxxxx), scope, department category and region."""
    rows = _filter(LineItemFilterSet, filters, queries.line_items_for_export())

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
                csv_cell(cell)
                for cell in [
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


@api.get("/comparisons", response=ComparisonOut, tags=["comparisons"])
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
        # ErrorList yields its messages as str; its stubs say str | ValidationError.
        errors = {k: cast("list[str]", v) for k, v in form.errors.items()}
        raise HttpError(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
    result = compare(form.cleaned_data)
    return {
        "measure": result.measure_label,
        "unit": result.unit,
        "year": result.year,
        "kind": result.kind,
        "rows": [r.as_dict() for r in result.rows],
    }
