"""Public pages: read published data only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import queries


def home(request: HttpRequest) -> HttpResponse:
    """Latest published disclosures with their headline totals, and what is covered."""
    latest = list(queries.published_disclosures().order_by("-fiscal_year", "department__name")[:50])
    totals = queries.headline_totals([d.pk for d in latest])
    rows = [{"disclosure": d, "totals": totals.get(d.pk, {})} for d in latest]
    return render(request, "comparisons/home.html",
                  {"rows": rows, "coverage": queries.coverage()})
