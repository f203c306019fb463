"""Read-only aggregates over published disclosures for the public pages.

Every function returns plain rows (dicts, lists) or querysets, built with a fixed
number of queries however many line items there are.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from disclosures.choices import Classification, FigureGroup, Kind, Scope
from disclosures.models import (
    ChecklistItem,
    ClassificationCode,
    Department,
    Disclosure,
    Figure,
    LineItem,
    Region,
    classification_level,
    in_region_q,
    parent_code,
)
from disclosures.services import dictionary

from .charts import rate

HEADLINE_KEYS = [
    "expenditure_total",
    "income_total",
    "grand_total",
    "basic_expenditure",
    "project_expenditure",
    "general_public_budget_income",
]


def published_disclosures() -> QuerySet[Disclosure]:
    return Disclosure.objects.published().select_related(
        "department",
        "department__region",
        "department__region__parent",
        "department__region__parent__parent",
    )


def coverage() -> dict[str, int]:
    """How much is covered: published disclosures, departments, regions, years."""
    published = Disclosure.objects.published()
    stats = published.aggregate(
        disclosures=Count("id"),
        departments=Count("department", distinct=True),
        regions=Count("department__region", distinct=True),
        years=Count("fiscal_year", distinct=True),
    )
    return {k: v or 0 for k, v in stats.items()}


def figures_by_disclosure(
    disclosure_ids: list[int], group: str = FigureGroup.TOTALS, keys: list[str] | None = None
) -> dict[int, dict[str, Figure]]:
    """Figures of several disclosures in one query: {disclosure_id: {key: Figure}}."""
    rows = Figure.objects.filter(disclosure_id__in=disclosure_ids, group=group)
    if keys:
        rows = rows.filter(key__in=keys)
    out: dict[int, dict[str, Figure]] = defaultdict(dict)
    for figure in rows:
        out[figure.disclosure_id][figure.key] = figure
    return out


def department_disclosures(department: Department) -> list[Disclosure]:
    """The published disclosures of a department, newest year first, 决算 before 预算."""
    rows = list(
        Disclosure.objects.published()
        .filter(department=department)
        .order_by("-fiscal_year", "kind")
    )
    return sorted(rows, key=lambda d: (-(d.fiscal_year or 0), d.kind != Kind.FINAL))


def pick_disclosure(
    disclosures: list[Disclosure], year: int | None, kind: str | None
) -> Disclosure | None:
    for d in disclosures:
        if (year is None or d.fiscal_year == year) and (not kind or d.kind == kind):
            return d
    return disclosures[0] if disclosures else None


def previous(disclosures: list[Disclosure], current: Disclosure) -> Disclosure | None:
    """The same kind one year earlier, for year-on-year change."""
    for d in disclosures:
        if d.kind == current.kind and d.fiscal_year == (current.fiscal_year or 0) - 1:
            return d
    return None


def headline(current: Disclosure, before: Disclosure | None) -> list[dict[str, Any]]:
    """Headline figures with their change on the previous year."""
    ids = [current.pk] + ([before.pk] if before else [])
    figs = figures_by_disclosure(ids, keys=HEADLINE_KEYS)
    now, then = figs.get(current.pk, {}), figs.get(before.pk, {}) if before else {}
    rows = []
    for key in HEADLINE_KEYS:
        figure = now.get(key)
        if figure is None or figure.value is None:
            continue
        old = then.get(key)
        change = None
        if old is not None and old.value:
            change = (figure.value - old.value) / old.value
        rows.append(
            {"key": key, "figure": figure, "previous": old.value if old else None, "change": change}
        )
    return rows


def functional_items(disclosure: Disclosure) -> tuple[str | None, list[LineItem]]:
    """The fullest functional breakdown: all funds (department) if given, else the
    general-budget one. Returns (scope, items)."""
    items = list(
        LineItem.objects.filter(
            disclosure=disclosure, classification=Classification.FUNCTIONAL
        ).order_by("scope", "position")
    )
    for scope in (Scope.DEPARTMENT, Scope.GENERAL_BUDGET):
        chosen = [i for i in items if i.scope == scope]
        if chosen:
            return scope, chosen
    return None, []


def economic_items(disclosure: Disclosure) -> list[LineItem]:
    return list(
        LineItem.objects.filter(
            disclosure=disclosure, classification=Classification.ECONOMIC, scope=Scope.BASIC
        ).order_by("position")
    )


def three_public_history(disclosures: list[Disclosure]) -> list[dict[str, Any]]:
    """三公经费 components of every published disclosure of a department, oldest first."""
    figs = figures_by_disclosure([d.pk for d in disclosures], FigureGroup.THREE_PUBLIC)
    rows = []
    for d in sorted(disclosures, key=lambda d: (d.fiscal_year or 0, d.kind)):
        values = figs.get(d.pk)
        if not values:
            continue
        row = {"label": f"{d.fiscal_year}{d.get_kind_display()}", "disclosure": d}
        row.update({k: f.value for k, f in values.items()})
        rows.append(row)
    return rows


def execution(department: Department, year: int) -> dict[str, Any] | None:
    """决算 / 预算 for a year where both are published: per functional item and in total."""
    pair = {
        d.kind: d
        for d in Disclosure.objects.published().filter(department=department, fiscal_year=year)
    }
    if Kind.BUDGET not in pair or Kind.FINAL not in pair:
        return None
    budget, final = pair[Kind.BUDGET], pair[Kind.FINAL]
    b_scope, b_items = functional_items(budget)
    f_scope, f_items = functional_items(final)
    if b_scope != f_scope:  # compare like with like: general budget on both sides
        b_items = [
            i for i in LineItem.objects.filter(disclosure=budget, scope=Scope.GENERAL_BUDGET)
        ]
        f_items = [i for i in LineItem.objects.filter(disclosure=final, scope=Scope.GENERAL_BUDGET)]
    by_code_b = {i.code: i for i in b_items if i.code}
    by_code_f = {i.code: i for i in f_items if i.code}
    rows = []
    for code in sorted(set(by_code_b) | set(by_code_f)):
        b, f = by_code_b.get(code), by_code_f.get(code)
        named = f if f is not None else by_code_b[code]  # the code is on one side at least
        rows.append(
            {
                "code": code,
                "name": named.name,
                "budget": b.total if b else None,
                "final": f.total if f else None,
                "rate": rate(f.total if f else None, b.total if b else None),
            }
        )
    totals = figures_by_disclosure([budget.pk, final.pk], keys=["expenditure_total"])
    tb = totals.get(budget.pk, {}).get("expenditure_total")
    tf = totals.get(final.pk, {}).get("expenditure_total")
    return {
        "budget": budget,
        "final": final,
        "rows": rows,
        "total_budget": tb.value if tb else None,
        "total_final": tf.value if tf else None,
        "total_rate": rate(tf.value if tf else None, tb.value if tb else None),
    }


REGION_CHAIN = ("region", "region__parent", "region__parent__parent")


def departments_with_region() -> QuerySet[Department]:
    """Departments with the region chain their pages name (province › city › county)."""
    return Department.objects.select_related(*REGION_CHAIN)


def regions_with_ancestors() -> QuerySet[Region]:
    return Region.objects.select_related("parent", "parent__parent")


def department_list() -> QuerySet[Department]:
    """Departments with published data, by name, with the region chain their full names
    need (the home search and the API list)."""
    return Department.objects.published().select_related(*REGION_CHAIN).order_by("name")


def departments_matching(queryset: QuerySet[Department], text: str) -> QuerySet[Department]:
    """Departments whose name, alias or category contains ``text``, or that lie in a region
    (or below a region) whose name contains it: "四川" finds every department in Sichuan."""
    regions = list(Region.objects.filter(name__icontains=text).values_list("pk", flat=True))
    match = Q(name__icontains=text) | Q(aliases__icontains=text) | Q(category__icontains=text)
    if regions:
        match |= in_region_q(regions)
    return queryset.filter(match)


def published_categories() -> list[str]:
    """Department categories that have published data, for pickers."""
    return list(
        Department.objects.published()
        .exclude(category="")
        .values_list("category", flat=True)
        .distinct()
        .order_by("category")
    )


def figure_value(key: str, disclosure: str = "pk", group: str = FigureGroup.TOTALS) -> Subquery:
    """One figure of the disclosure at ``disclosure`` (an outer field), as an annotation."""
    return Subquery(
        Figure.objects.filter(disclosure=OuterRef(disclosure), group=group, key=key).values(
            "value"
        )[:1]
    )


def latest_published() -> QuerySet[Disclosure]:
    """Published disclosures, most recently published first, with this year's spending
    (the home page's list)."""
    return (
        published_disclosures()
        .annotate(
            department_label=Coalesce("department__name", "detected_department"),
            expenditure_total=figure_value("expenditure_total"),
        )
        .order_by("-published_at", "-pk")
    )


def departments_in(region: Region) -> QuerySet[Department]:
    """Departments of a region and everything below it that have published data, each with
    its newest published disclosure (a 决算 before a 预算 of the same year) and that
    disclosure's totals, in one query."""
    newest = (
        Disclosure.objects.published()
        .filter(department=OuterRef("pk"))
        .order_by(
            F("fiscal_year").desc(nulls_last=True),
            Case(When(kind=Kind.FINAL, then=0), default=1),
            "-pk",
        )
    )
    return (
        Department.objects.published()
        .in_region(region)
        .annotate(
            latest_id=Subquery(newest.values("pk")[:1]),
            latest_year=Subquery(newest.values("fiscal_year")[:1]),
            latest_kind=Subquery(newest.values("kind")[:1]),
            expenditure_total=figure_value("expenditure_total", "latest_id"),
            grand_total=figure_value("grand_total", "latest_id"),
        )
        .select_related("region")
        .order_by("region__code", "name")
    )


def child_regions(region: Region) -> QuerySet[Region]:
    """The regions directly below ``region`` that hold published data."""
    return Region.objects.filter(parent=region).with_published_data().order_by("code", "name")


def regions_with_published_data() -> QuerySet[Region]:
    """Every region holding published data, directly or below it, labelled by full name
    (a province ranks everything below it)."""
    return (
        Region.objects.with_published_data()
        .select_related("parent", "parent__parent")
        .order_by("code", "name")
    )


def classification_tree() -> list[dict[str, Any]]:
    """The functional classification tree: dictionary names plus codes seen in documents
    but missing from the dictionary, each with the number of departments publishing it."""
    seen = dict(
        LineItem.objects.published()
        .filter(classification=Classification.FUNCTIONAL, code__isnull=False)
        .values_list("code")
        .annotate(n=Count("disclosure__department", distinct=True))
    )
    names = dict(
        ClassificationCode.objects.filter(system=Classification.FUNCTIONAL).values_list(
            "code", "name"
        )
    )
    missing = set(seen) - set(names)
    if missing:
        for code, name in (
            LineItem.objects.filter(classification=Classification.FUNCTIONAL, code__in=missing)
            .values_list("code", "name")
            .distinct()
        ):
            # code__in=missing matches no NULL code. Printed in a document but not in the
            # dictionary:
            names.setdefault(cast(str, code), name)
    return [
        {
            "code": c,
            "name": names[c],
            "level": classification_level(c) or 3,
            "departments": seen.get(c, 0),
        }
        for c in sorted(names)
    ]


def classification_code(code: str) -> dict[str, Any] | None:
    """One functional code with its dictionary parent and children, in one query; None
    when the code is neither in the dictionary nor published by any department."""
    up = parent_code(code)
    rows = list(
        ClassificationCode.objects.filter(system=Classification.FUNCTIONAL).filter(
            Q(code=code) | Q(parent_code=code) | Q(code=up or "")
        )
    )
    entry = next((r for r in rows if r.code == code), None)
    name = entry.name if entry else spenders(code).values_list("name", flat=True).first()
    if name is None:
        return None
    # The name each edition year printed (the dictionary's sources, published disclosures).
    by_year = dictionary.names_by_year(entry) if entry else []
    return {
        "code": code,
        "name": name,
        "parent": next((r for r in rows if up and r.code == up), None),
        "children": sorted((r for r in rows if r.parent_code == code), key=lambda r: r.code),
        "names_by_year": by_year,
        "historical_only": bool(by_year) and all(e.historical for e in by_year),
    }


def spenders(code: str) -> QuerySet[LineItem]:
    """Every published line item with this functional code, for the classification browser."""
    return (
        LineItem.objects.published()
        .filter(code=code, classification=Classification.FUNCTIONAL)
        .select_related(
            "disclosure",
            "disclosure__department",
            "disclosure__department__region",
            "disclosure__department__region__parent",
            "disclosure__department__region__parent__parent",
        )
        .order_by("-disclosure__fiscal_year", "disclosure__department__name", "scope")
    )


def line_items_of(disclosure: Disclosure) -> QuerySet[LineItem]:
    """Every line item of a disclosure, in document order within each scope."""
    return LineItem.objects.filter(disclosure=disclosure).order_by("scope", "position")


def figures_of(disclosure: Disclosure) -> QuerySet[Figure]:
    """Every stored figure of a disclosure, grouped (totals, 三公, assets)."""
    return Figure.objects.filter(disclosure=disclosure).order_by("group", "pk")


def completeness_of(disclosure: Disclosure) -> dict[str, Any]:
    """Which checklist tables a disclosure contains, and its score."""
    from disclosures.services import completeness as score

    checks, value = score(disclosure)
    return {"checks": checks, "score": value}


def checklist() -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(active=True))


def completeness_ranking(
    disclosures: QuerySet[Disclosure], items: list[ChecklistItem], limit: int = 500
) -> list[dict[str, Any]]:
    """Disclosures ranked by completeness score, best first (no score last). Each row
    holds its checks by checklist key: an item that does not apply to the disclosure's
    kind has no entry, so the columns stay aligned."""
    from disclosures.services import completeness as score

    scored = [(d, *score(d, items)) for d in disclosures[:limit]]
    scored.sort(key=lambda row: (row[2] is None, -(row[2] or 0)))
    return [
        {
            "disclosure": d,
            "department": d.department.name if d.department else d.detected_department,
            "score": value,
            "checks": {c.key: c for c in checks},
        }
        for d, checks, value in scored
    ]


def line_items_for_export() -> QuerySet[LineItem]:
    """Published line items with everything the bulk CSV prints, in a stable order."""
    return (
        LineItem.objects.published()
        .select_related(
            "disclosure",
            "disclosure__department",
            "disclosure__department__region",
            "disclosure__department__region__parent",
            "disclosure__department__region__parent__parent",
        )
        .order_by("disclosure_id", "classification", "scope", "position")
    )


def disclosure_payload(disclosure: Disclosure) -> dict[str, Any]:
    """A published disclosure in the EXTRACTION.md shape, with people's corrections
    applied, and the provenance of every stored figure."""
    from disclosures.services import parsed_from_rows

    payload = parsed_from_rows(disclosure).to_dict()
    payload["source"]["url"] = None
    provenance: dict[str, Any] = {}
    for figure in disclosure.figures.all():
        provenance[f"{figure.group}.{figure.key}"] = _source(figure)
    counters: dict[str, int] = defaultdict(int)
    for item in disclosure.line_items.order_by("classification", "scope", "position"):
        prefix = f"{item.classification}.{item.scope}"
        provenance[f"{prefix}[{counters[prefix]}]"] = _source(item)
        counters[prefix] += 1
    payload["provenance"] = provenance
    payload["checks"] = [
        {"severity": c.severity, "rule": c.rule, "message": c.message, "path": c.path or None}
        for c in disclosure.checks.all()
    ]
    payload["published_with_errors"] = disclosure.published_with_errors
    payload["id"] = disclosure.pk
    return payload


def _source(row) -> dict[str, Any]:
    out: dict[str, Any] = {"text": row.source_text}
    if row.page:
        out["page"] = row.page
    if row.origin != "parser":
        out["corrected"] = True
    if row.confirmed is not None:
        out["confirmed"] = row.confirmed
    return out
