"""Read-only aggregates over published disclosures for the public pages.

Every function returns plain rows (dicts, lists) or querysets, built with a fixed
number of queries however many line items there are.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from disclosures.choices import Classification, FigureGroup, Kind, Scope
from disclosures.models import Department, Disclosure, Figure, LineItem, Region, published_q

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
        "department", "department__region", "department__region__parent"
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


def headline_totals(disclosure_ids: list[int]) -> dict[int, dict[str, Decimal | None]]:
    """expenditure_total and friends per disclosure, in one query."""
    return {
        pk: {k: f.value for k, f in figs.items()}
        for pk, figs in figures_by_disclosure(disclosure_ids, keys=HEADLINE_KEYS).items()
    }


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
        rows.append(
            {
                "code": code,
                "name": (f or b).name,
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


def departments_in(region: Region) -> QuerySet[Department]:
    """Departments of a region and everything below it that have published data."""
    return (
        Department.objects.published()
        .in_region(region)
        .annotate(
            latest_year=Max("disclosures__fiscal_year", filter=published_q("disclosures__"))
        )
        .select_related("region")
        .order_by("region__code", "name")
    )


def latest_disclosures(department_ids: list[int]) -> dict[int, Disclosure]:
    """Each department's newest published disclosure (final before budget in a year)."""
    best: dict[int, Disclosure] = {}
    for d in (
        Disclosure.objects.published()
        .filter(department_id__in=department_ids)
        .order_by("department_id", "-fiscal_year", "kind")
    ):
        current = best.get(d.department_id)
        if current is None or (d.fiscal_year or 0, d.kind == Kind.FINAL) > (
            current.fiscal_year or 0,
            current.kind == Kind.FINAL,
        ):
            best[d.department_id] = d
    return best


def spenders(code: str) -> QuerySet[LineItem]:
    """Every published line item with this functional code, for the classification browser."""
    return (
        LineItem.objects.published().filter(
            code=code, classification=Classification.FUNCTIONAL
        )
        .select_related("disclosure", "disclosure__department", "disclosure__department__region")
        .order_by("-disclosure__fiscal_year", "disclosure__department__name", "scope")
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
    return out
