"""Public pages: read published data only."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from disclosures.choices import Kind
from disclosures.labels import FIGURE_LABELS, figure_label
from disclosures.models import (
    ClassificationCode,
    Department,
    Disclosure,
    LineItem,
    Region,
    classification_level,
    parent_code,
)
from disclosures.services import data_generation

from . import charts, compare, queries
from .forms import ComparisonForm
from .tables import LineItemTable


def _html(fig) -> str:
    return fig.to_html(
        full_html=False, include_plotlyjs=False, config={"displaylogo": False, "responsive": True}
    )


def home(request: HttpRequest) -> HttpResponse:
    """Search departments; latest published disclosures with headline totals; coverage."""
    q = request.GET.get("q", "").strip()
    found = []
    if q:
        found = list(
            Department.objects.published()
            .filter(
                Q(name__icontains=q)
                | Q(category__icontains=q)
                | Q(region__name__icontains=q)
                | Q(region__parent__name__icontains=q)
                | Q(aliases__icontains=q)
            )
            .select_related("region", "region__parent")
            .order_by("name")[:50]
        )
    latest = list(queries.published_disclosures().order_by("-published_at", "-pk")[:20])
    totals = queries.headline_totals([d.pk for d in latest])
    rows = [{"disclosure": d, "totals": totals.get(d.pk, {})} for d in latest]
    return render(
        request,
        "comparisons/home.html",
        {"rows": rows, "coverage": queries.coverage(), "q": q, "found": found},
    )


def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One department: years and kinds, headline figures, drill-down, tables, sources."""
    department = get_object_or_404(
        Department.objects.select_related("region", "region__parent", "region__parent__parent"),
        pk=pk,
    )
    disclosures = queries.department_disclosures(department)
    if not disclosures:
        raise Http404(_("这个部门还没有发布的数据。"))
    year = request.GET.get("year")
    current = queries.pick_disclosure(
        disclosures, int(year) if year and year.isdigit() else None, request.GET.get("kind")
    )
    before = queries.previous(disclosures, current)
    scope, items = queries.functional_items(current)
    economic = queries.economic_items(current)
    figures = queries.figures_by_disclosure([current.pk]).get(current.pk, {})
    three_public = queries.three_public_history(disclosures)
    execution = queries.execution(department, current.fiscal_year) if current.fiscal_year else None

    table = LineItemTable(LineItem.objects.filter(disclosure=current), prefix="items-")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    export = request.GET.get("_export")
    if TableExport.is_valid_format(export):
        table = LineItemTable(
            LineItem.objects.filter(disclosure=current).order_by("scope", "position")
        )
        name = f"{department.name}-{current.fiscal_year}-{current.kind}"
        return TableExport(export, table).response(f"{name}.{export}")

    chart_rows = [{"code": i.code, "name": i.name, "total": i.total} for i in items]
    context = {
        "department": department,
        "disclosures": disclosures,
        "current": current,
        "before": before,
        "headline": [
            {**row, "label": figure_label("totals", row["key"])}
            for row in queries.headline(current, before)
        ],
        "scope": scope,
        "table": table,
        "all_figures": [
            {"label": figure_label(f.group, f.key), "figure": f}
            for f in sorted(current.figures.all(), key=lambda f: (f.group, f.pk))
        ],
        "execution": execution,
        "completeness": completeness_of(current),
        "kinds": Kind,
    }

    def draw() -> dict[str, str]:
        return {
            "treemap": _html(
                charts.functional_treemap(
                    chart_rows,
                    root_label=f"{department.name} {current.fiscal_year}{current.get_kind_display()}",
                )
            )
            if chart_rows
            else "",
            "split": _html(
                charts.basic_project_split(
                    figures["basic_expenditure"].value,
                    figures["project_expenditure"].value,
                    labels=(_("基本支出"), _("项目支出")),
                )
            )
            if "basic_expenditure" in figures and "project_expenditure" in figures
            else "",
            "three_public_chart": _html(
                charts.three_public_over_years(
                    three_public,
                    components={
                        k: str(v) for k, v in FIGURE_LABELS["three_public"].items() if k != "total"
                    },
                )
            )
            if three_public
            else "",
            "economic_chart": _html(
                charts.economic_breakdown(
                    [{"code": i.code, "name": i.name, "total": i.total} for i in economic]
                )
            )
            if economic
            else "",
            "execution_chart": _html(charts.execution_rate(execution["rows"]))
            if execution and execution["rows"]
            else "",
        }

    # Drawing is the slow part of the page; a finished parse, correction or publication
    # bumps the data generation, which retires every cached drawing at once.
    key = f"department-charts:{department.pk}:{current.pk}:{get_language()}"
    context.update(cache.get_or_set(key, draw, timeout=3600, version=data_generation()))
    return render(request, "comparisons/department_detail.html", context)


def completeness_of(disclosure: Disclosure) -> dict:
    from disclosures.services import completeness as score

    checks, value = score(disclosure)
    return {"checks": checks, "score": value}


def disclosure_file(request: HttpRequest, pk: int) -> FileResponse:
    """The original file of a published disclosure."""
    disclosure = get_object_or_404(Disclosure.objects.published(), pk=pk)
    return FileResponse(
        disclosure.file.open("rb"), as_attachment=True, filename=disclosure.original_name
    )


def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Every department of a province, city or county with its latest totals."""
    region = get_object_or_404(Region.objects.select_related("parent", "parent__parent"), pk=pk)
    departments = list(queries.departments_in(region))
    latest = queries.latest_disclosures([d.pk for d in departments])
    totals = queries.headline_totals([d.pk for d in latest.values()])
    rows = [
        {
            "department": d,
            "disclosure": latest.get(d.pk),
            "totals": totals.get(latest[d.pk].pk, {}) if d.pk in latest else {},
        }
        for d in departments
    ]
    children = (
        Region.objects.filter(parent=region)
        .with_published_data()
        .order_by("code", "name")
    )
    return render(
        request,
        "comparisons/region_detail.html",
        {"region": region, "rows": rows, "children": children},
    )


def classification_index(request: HttpRequest) -> HttpResponse:
    """The functional classification tree: dictionary names plus codes seen in documents."""
    seen = dict(
        LineItem.objects.published().filter(classification="functional", code__isnull=False)
        .values_list("code")
        .annotate(n=Count("disclosure__department", distinct=True))
    )
    names = dict(ClassificationCode.objects.filter(system="functional").values_list("code", "name"))
    for code, name in (
        LineItem.objects.filter(classification="functional", code__in=set(seen) - set(names))
        .values_list("code", "name")
        .distinct()
    ):
        names.setdefault(code, name)  # a code printed in a document but not in the dictionary
    nodes = [
        {
            "code": c,
            "name": names[c],
            "level": classification_level(c) or 3,
            "departments": seen.get(c, 0),
        }
        for c in sorted(names)
    ]
    return render(request, "comparisons/classification_index.html", {"nodes": nodes})


def classification_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Every department that spends on one functional code, by year and kind."""
    entry = ClassificationCode.objects.filter(system="functional", code=code).first()
    items = list(queries.spenders(code))
    if entry is None and not items:
        raise Http404(_("没有这个科目。"))
    name = entry.name if entry else items[0].name
    children = ClassificationCode.objects.filter(system="functional", parent_code=code)
    parent = ClassificationCode.objects.filter(
        system="functional", code=parent_code(code) or ""
    ).first()
    return render(
        request,
        "comparisons/classification_detail.html",
        {"code": code, "name": name, "items": items, "children": children, "parent": parent},
    )


def comparison(request: HttpRequest) -> HttpResponse:
    """Compare departments at one measure: ranked bars, table, structure, trend, export."""
    form = ComparisonForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_valid():
        result = compare.compare(form.cleaned_data)
        rows = [r.as_dict() | {"flagged": r.flagged} for r in result.rows]
        export = request.GET.get("_export")
        if export in ("csv", "xlsx"):
            return _export_comparison(rows, result, export)
        context.update(result=result, rows=result.rows, query=request.GET.urlencode())
        title = f"{result.measure_label} · {result.unit}"
        context["ranked"] = _html(charts.ranked_bars(rows, unit=result.unit, title=title))
        if request.GET.get("embed"):
            return render(request, "comparisons/embed.html", context)
        if result.structure["departments"]:
            context["heatmap"] = _html(charts.structure_heatmap(result.structure))
            context["stacked"] = _html(charts.structure_stacked(result.structure))
        if any(len(points) > 1 for points in result.history.values()):
            context["trend"] = _html(charts.over_time(result.history, unit=_("万元")))
    return render(request, "comparisons/comparison.html", context)


def _export_comparison(rows, result, fmt: str) -> HttpResponse:
    import tablib

    data = tablib.Dataset(
        headers=[
            _("排名"),
            _("部门"),
            _("地区"),
            _("年度"),
            _("类型"),
            _("数值（万元）"),
            f"{_('比较口径')}（{result.unit}）",
            _("口径"),
            _("说明"),
            _("来源文件"),
        ]
    )
    for r in rows:
        data.append(
            [
                r["rank"],
                r["department"],
                r["region"],
                r["fiscal_year"],
                r["kind"],
                r["value"],
                r["normalised"],
                r["scope"],
                "；".join(r["notes"]),
                f"/api/disclosures/{r['disclosure_id']}" if r["disclosure_id"] else "",
            ]
        )
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + data.export("csv"), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            data.export("xlsx"),
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    response["Content-Disposition"] = f'attachment; filename="yujue-comparison.{fmt}"'
    return response


def completeness(request: HttpRequest) -> HttpResponse:
    """Disclosure completeness ranking for a category or region."""
    from disclosures.models import ChecklistItem
    from disclosures.services import completeness as score

    category = request.GET.get("category", "")
    region_id = request.GET.get("region", "")
    qs = queries.published_disclosures()
    if category:
        qs = qs.filter(department__category=category)
    if region_id.isdigit():
        r = int(region_id)
        qs = qs.in_region(r)
    items = list(ChecklistItem.objects.filter(active=True))
    rows = []
    for d in qs[:500]:
        checks, value = score(d, items)
        rows.append({"disclosure": d, "checks": checks, "score": value})
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0)))
    categories = (
        Department.objects.exclude(category="")
        .values_list("category", flat=True)
        .distinct()
        .order_by("category")
    )
    regions: dict[int, Region] = {}
    for leaf in Region.objects.filter(
        Exists(Disclosure.objects.published().filter(department__region=OuterRef("pk")))
    ).select_related(
        "parent", "parent__parent"
    ):
        for r in leaf.ancestors_and_self():  # a province ranks everything below it
            regions[r.pk] = r
    regions = sorted(regions.values(), key=lambda r: (r.code or "", r.name))
    return render(
        request,
        "comparisons/completeness.html",
        {
            "rows": rows,
            "items": items,
            "category": category,
            "categories": categories,
            "regions": regions,
            "region": region_id,
        },
    )
