"""Read-only aggregates over published disclosures for the public pages."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from disclosures.choices import FigureGroup
from disclosures.models import Department, Disclosure, Figure


def published_disclosures() -> QuerySet[Disclosure]:
    return Disclosure.objects.published().select_related("department", "department__region")


def coverage() -> dict[str, int]:
    """How much is covered: published disclosures, departments, regions, years."""
    published = Disclosure.objects.published()
    return {
        "disclosures": published.count(),
        "departments": published.values("department").distinct().count(),
        "regions": Department.objects.filter(disclosures__status="published")
        .values("region").distinct().count(),
        "years": published.values("fiscal_year").distinct().count(),
    }


def headline_totals(disclosure_ids: list[int]) -> dict[int, dict[str, object]]:
    """expenditure_total / grand_total per disclosure, in one query."""
    rows = Figure.objects.filter(
        disclosure_id__in=disclosure_ids, group=FigureGroup.TOTALS,
        key__in=["expenditure_total", "grand_total", "income_total"],
    ).values_list("disclosure_id", "key", "value")
    out: dict[int, dict[str, object]] = {}
    for disclosure_id, key, value in rows:
        out.setdefault(disclosure_id, {})[key] = value
    return out


def departments_with_counts() -> QuerySet[Department]:
    return Department.objects.annotate(n=Count("disclosures")).order_by("name")
