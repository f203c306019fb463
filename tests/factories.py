"""Plain functions that make rows with sensible defaults (no parsing involved)."""

from __future__ import annotations

import hashlib
import itertools
from decimal import Decimal

from django.core.files.base import ContentFile

from disclosures.choices import Publication, Status
from disclosures.models import (
    Department,
    Disclosure,
    Figure,
    LineItem,
    ParseCheck,
    Region,
    classification_level,
)

_seq = itertools.count(1)


def make_region(
    name: str = "南充市",
    *,
    parent: Region | None = None,
    level: str = "city",
    code: str | None = None,
) -> Region:
    return Region.objects.create(name=name, parent=parent, level=level, code=code)


def make_department(
    name: str = "南充市人力资源和社会保障局",
    *,
    region: Region | None = None,
    category: str = "人力资源和社会保障局",
) -> Department:
    return Department.objects.create(name=name, region=region, category=category)


def make_disclosure(
    department: Department | None = None,
    *,
    fiscal_year: int = 2020,
    kind: str = "budget",
    status: str = Status.PARSED,
    publication: str = Publication.DRAFT,
    uploaded_by=None,
    totals: dict[str, str] | None = None,
    items: list[tuple[str, str, str]] | None = None,
    errors: int = 0,
) -> Disclosure:
    """A parsed disclosure; ``items`` are (code, name, total) of functional.department."""
    n = next(_seq)
    body = f"fake disclosure {n}".encode()
    totals = totals if totals is not None else {"expenditure_total": "100.00"}
    items = items or []
    payload = {
        "schema": "disclosure/1",
        "department": department.name if department else None,
        "region": {"province": None, "city": None, "county": None},
        "fiscal_year": fiscal_year,
        "kind": kind,
        "unit": "万元",
        "totals": {k: float(v) for k, v in totals.items()},
        "three_public": {},
        "assets": {},
        "functional": {
            "department": [
                {"code": c, "name": nm, "total": float(t), "basic": None, "project": None}
                for c, nm, t in items
            ]
        }
        if items
        else {},
        "economic": {},
        "checks": [],
        "provenance": {},
    }
    disclosure = Disclosure(
        department=department,
        fiscal_year=fiscal_year,
        kind=kind,
        original_name=f"d{n}.txt",
        format="text",
        sha256=hashlib.sha256(body).hexdigest(),
        size=len(body),
        status=status,
        progress=100,
        parse_result=payload,
        uploaded_by=uploaded_by,
        publication=publication,
    )
    disclosure.file.save(f"d{n}.txt", ContentFile(body), save=False)
    disclosure.save()
    for key, value in totals.items():
        Figure.objects.create(
            disclosure=disclosure,
            group="totals",
            key=key,
            value=Decimal(value),
            source_text=f"{key} {value}",
        )
    for position, (code, name, total) in enumerate(items):
        LineItem.objects.create(
            disclosure=disclosure,
            classification="functional",
            scope="department",
            position=position,
            code=code,
            name=name,
            level=classification_level(code),
            total=Decimal(total),
        )
    for i in range(errors):
        ParseCheck.objects.create(
            disclosure=disclosure,
            severity="error",
            rule="children_sum",
            message=f"合计不等于分项之和 #{i}",
            path="totals.expenditure_total",
        )
    return disclosure
