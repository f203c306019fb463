"""Public pages: read published data only."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from disclosures.choices import Kind
from disclosures.labels import FIGURE_LABELS, THREE_PUBLIC_ITEMS, figure_label
from disclosures.models import Disclosure
from disclosures.services import cached

from . import charts, compare, queries
from .embedding import frameable
from .filtersets import DepartmentFilterSet, DisclosureFilterSet, filtered
from .forms import ComparisonForm
from .tables import (
    BomTableExport,
    ComparisonTable,
    CompletenessTable,
    ExecutionTable,
    FigureTable,
    LatestDisclosureTable,
    LineItemTable,
    RegionDepartmentTable,
    SpenderTable,
)

SEARCH_LIMIT = 50


def _html(fig) -> str:
    return fig.to_html(
        full_html=False, include_plotlyjs=False, config={"displaylogo": False, "responsive": True}
    )


def home(request: HttpRequest) -> HttpResponse:
    """Search departments; latest published disclosures with headline totals; coverage."""
    search = DepartmentFilterSet(request.GET, queryset=queries.department_list())
    q = (request.GET.get("q") or "").strip()
    found = list(filtered(search)[:SEARCH_LIMIT]) if q else []
    table = LatestDisclosureTable(queries.latest_published())
    RequestConfig(request).configure(table)
    return render(
        request,
        "comparisons/home.html",
        {"table": table, "coverage": queries.coverage(), "q": q, "found": found},
    )


def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One department: years and kinds, headline figures, drill-down, tables, sources."""
    department = get_object_or_404(queries.departments_with_region(), pk=pk)
    disclosures = queries.department_disclosures(department)
    year = request.GET.get("year")
    current = queries.pick_disclosure(
        disclosures, int(year) if year and year.isdigit() else None, request.GET.get("kind")
    )
    if current is None:  # pick_disclosure finds one whenever there are any
        raise Http404(_("这个部门还没有发布的数据。"))
    before = queries.previous(disclosures, current)
    scope, items = queries.functional_items(current)
    economic = queries.economic_items(current)
    figures = queries.figures_by_disclosure([current.pk]).get(current.pk, {})
    three_public = queries.three_public_history(disclosures)
    execution = queries.execution(department, current.fiscal_year) if current.fiscal_year else None

    export = request.GET.get("_export")
    if BomTableExport.is_valid_format(export):
        table = LineItemTable(queries.line_items_of(current))
        name = f"{department.name}-{current.fiscal_year}-{current.kind}"
        return BomTableExport(export, table).response(f"{name}.{export}")
    table = LineItemTable(queries.line_items_of(current), prefix="items-")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    figures_table = FigureTable(queries.figures_of(current), prefix="figures-")
    RequestConfig(request, paginate=False).configure(figures_table)
    execution_table = None
    if execution:
        execution_table = ExecutionTable(execution["rows"], prefix="execution-")
        RequestConfig(request, paginate=False).configure(execution_table)

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
        "figures_table": figures_table,
        "execution": execution,
        "execution_table": execution_table,
        "completeness": queries.completeness_of(current),
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
                        k: str(FIGURE_LABELS["three_public"][k]) for k in THREE_PUBLIC_ITEMS
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
    context.update(cached(key, draw))
    return render(request, "comparisons/department_detail.html", context)


def disclosure_file(request: HttpRequest, pk: int) -> FileResponse:
    """The original file of a published disclosure."""
    disclosure = get_object_or_404(Disclosure.objects.published(), pk=pk)
    return FileResponse(
        disclosure.file.open("rb"), as_attachment=True, filename=disclosure.original_name
    )


def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Every department of a province, city or county with its latest totals."""
    region = get_object_or_404(queries.regions_with_ancestors(), pk=pk)
    search = DepartmentFilterSet(request.GET, queryset=queries.departments_in(region))
    table = RegionDepartmentTable(filtered(search))
    RequestConfig(request).configure(table)
    return render(
        request,
        "comparisons/region_detail.html",
        {
            "region": region,
            "table": table,
            "filter": search,
            "children": queries.child_regions(region),
        },
    )


def classification_index(request: HttpRequest) -> HttpResponse:
    """The functional classification tree: dictionary names plus codes seen in documents."""
    return render(
        request,
        "comparisons/classification_index.html",
        {"nodes": queries.classification_tree()},
    )


def classification_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Every department that spends on one functional code, by year and kind."""
    entry = queries.classification_code(code)
    if entry is None:
        raise Http404(_("没有这个科目。"))
    table = SpenderTable(queries.spenders(code))
    RequestConfig(request).configure(table)
    return render(request, "comparisons/classification_detail.html", {**entry, "table": table})


def comparison(request: HttpRequest) -> HttpResponse:
    """Compare departments at one measure: ranked bars, table, structure, trend, export."""
    form = ComparisonForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_valid():
        result = compare.compare(form.cleaned_data)
        table = ComparisonTable(result.rows, unit=result.unit)
        RequestConfig(request, paginate=False).configure(table)
        export = request.GET.get("_export")
        if BomTableExport.is_valid_format(export):
            return BomTableExport(export, table).response(f"yujue-comparison.{export}")
        rows = [r.as_dict() | {"flagged": r.flagged} for r in result.rows]
        context.update(result=result, table=table, query=request.GET.urlencode())
        title = f"{result.measure_label} · {result.unit}"
        context["ranked"] = _html(charts.ranked_bars(rows, unit=result.unit, title=title))
        if request.GET.get("embed"):
            return frameable(render(request, "comparisons/embed.html", context))
        if result.structure["departments"]:
            context["heatmap"] = _html(charts.structure_heatmap(result.structure))
            context["stacked"] = _html(charts.structure_stacked(result.structure))
        if any(len(points) > 1 for points in result.history.values()):
            context["trend"] = _html(charts.over_time(result.history, unit=_("万元")))
    return render(request, "comparisons/comparison.html", context)


def completeness(request: HttpRequest) -> HttpResponse:
    """Disclosure completeness ranking for a category or region."""
    filterset = DisclosureFilterSet(request.GET, queryset=queries.published_disclosures())
    items = queries.checklist()
    rows = queries.completeness_ranking(filtered(filterset), items)
    table = CompletenessTable(rows, checklist=items)
    RequestConfig(request).configure(table)
    return render(request, "comparisons/completeness.html", {"table": table, "filter": filterset})
