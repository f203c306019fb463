"""Cross-department comparisons: the rows behind the ranked chart, table, CSV and API.

Honest gaps: a department whose value is missing or not comparable gets ``value=None``
and a ``note`` saying why (no disclosure of that kind and year, the item is not listed,
only a general-budget breakdown is published, no population, no previous year), and a
value from a disclosure published with known inconsistencies carries a flag. Nothing
missing is drawn as zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.utils.translation import gettext as _

from disclosures.choices import Classification, Kind, Scope
from disclosures.labels import figure_label
from disclosures.models import ClassificationName, Department, Disclosure, Figure, LineItem
from disclosures.services import dictionary

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

MAX_DEPARTMENTS = 300


@dataclass
class Row:
    department: Department
    disclosure: Disclosure | None = None
    value: Decimal | None = None
    normalised: Decimal | None = None
    rank: int | None = None
    scope: str | None = None
    notes: list[str] = field(default_factory=list)
    flagged: bool = False  # published with known inconsistencies

    def as_dict(self) -> dict[str, Any]:
        d = self.disclosure
        return {
            "rank": self.rank,
            "department_id": self.department.pk,
            "department": self.department.name,
            "region": self.department.region.full_name if self.department.region else None,
            "disclosure_id": d.pk if d else None,
            "fiscal_year": d.fiscal_year if d else None,
            "kind": d.kind if d else None,
            "value": float(self.value) if self.value is not None else None,
            "normalised": float(self.normalised) if self.normalised is not None else None,
            "scope": self.scope,
            "notes": self.notes,
            "published_with_inconsistencies": self.flagged,
        }


@dataclass
class Comparison:
    rows: list[Row]
    measure_label: str
    unit: str
    year: int | None
    kind: str
    structure: dict[str, Any]  # heatmap / stacked bar: departments × classes shares
    history: dict[str, list[tuple[int, Decimal | None]]]  # department name → (year, value)
    # a code renamed across the years shown: "科目名称随年度变化：…" (else None)
    name_changes: str | None = None

    @property
    def kind_label(self) -> _StrOrPromise:
        return Kind(self.kind).label


def select_departments(data: dict[str, Any]) -> list[Department]:
    qs = Department.objects.published()
    if data.get("departments"):
        qs = qs.filter(pk__in=[d.pk for d in data["departments"]])
    else:
        if data.get("category"):
            qs = qs.filter(category=data["category"])
        if data.get("region"):
            qs = qs.in_region(data["region"])
    return list(
        qs.select_related("region", "region__parent", "region__parent__parent").order_by("name")[
            :MAX_DEPARTMENTS
        ]
    )


def _measure(data: dict[str, Any]) -> tuple[str, str | None, str, list[ClassificationName]]:
    """(kind, key, label, names): kind "code" with a functional code (and the names it had
    by year), or a figure group."""
    if data.get("code"):
        code = data["code"]
        current, names = dictionary.code_names(Classification.FUNCTIONAL, code)
        name = (
            current
            if current is not None
            else (LineItem.objects.filter(code=code).values_list("name", flat=True).first() or "")
        )
        return "code", code, f"{code} {name}".strip(), names
    group, key = data["measure"].split(".", 1)
    return group, key, figure_label(group, key), []


def compare(data: dict[str, Any]) -> Comparison:
    """Build the comparison for a cleaned ComparisonForm."""
    departments = select_departments(data)
    kind, year = data.get("kind") or Kind.BUDGET, data.get("year")
    measure_kind, key, label, names = _measure(data)
    normalisation = data.get("normalisation") or "amount"

    all_disclosures = list(
        Disclosure.objects.published()
        .filter(department__in=departments, kind=kind)
        .order_by("department_id", "fiscal_year")
    )
    by_dept: dict[int, dict[int, Disclosure]] = defaultdict(dict)
    for d in all_disclosures:
        # department__in above: department_id is never None here.
        if d.fiscal_year and d.department_id is not None:
            by_dept[d.department_id][d.fiscal_year] = d
    chosen: dict[int, Disclosure] = {}
    for dept in departments:
        years = by_dept.get(dept.pk, {})
        pick = years.get(year) if year else (years[max(years)] if years else None)
        if pick:
            chosen[dept.pk] = pick
    ids = [d.pk for d in all_disclosures]
    values = _values(ids, measure_kind, key)
    totals = {pk: v for (pk, _s), v in _values(ids, "totals", "expenditure_total").items()}

    rows = []
    for dept in departments:
        row = Row(department=dept, disclosure=chosen.get(dept.pk))
        picked = row.disclosure
        if picked is None:
            row.notes.append(
                _("没有 %(year)s 年的%(kind)s")
                % {"year": year or _("任何"), "kind": Kind(kind).label}
            )
            rows.append(row)
            continue
        row.flagged = picked.published_with_errors
        if row.flagged:
            row.notes.append(_("带已知不一致发布"))
        row.value, row.scope = _pick(values, picked.pk, measure_kind)
        if row.value is None:
            row.notes.append(
                _("文件未列出该科目") if measure_kind == "code" else _("文件未说明这一数值")
            )
        elif row.scope == Scope.GENERAL_BUDGET:
            row.notes.append(_("仅有一般公共预算口径，不含其他资金"))
        row.normalised = _normalise(row, normalisation, totals, values, by_dept, measure_kind)
        rows.append(row)

    # A code renamed across the years shown (20805 行政事业单位离退休 → 行政事业单位养老支出
    # from 2020): each department whose years span the change says so.
    by_year = dictionary.names_for_years(names, {y for ys in by_dept.values() for y in ys})
    name_changes = dictionary.describe_names(by_year)
    if name_changes:
        for row in rows:
            years = by_dept.get(row.department.pk, {})
            note = dictionary.describe_names({y: n for y, n in by_year.items() if y in years})
            if row.disclosure is not None and note:
                row.notes.append(note)

    ranked = sorted(
        [r for r in rows if r.normalised is not None],
        key=lambda r: cast(Decimal, r.normalised),  # only rows with a value are ranked
        reverse=True,
    )
    for i, r in enumerate(ranked, 1):
        r.rank = i
    rows = ranked + [r for r in rows if r.normalised is None]
    unit = {"amount": _("万元"), "share": "%", "per_capita": _("元/人"), "yoy": "%"}[normalisation]
    if measure_kind == "assets":
        unit = _("辆") if normalisation == "amount" else unit
    return Comparison(
        rows=rows,
        measure_label=label,
        unit=unit,
        year=year,
        kind=kind,
        structure=_structure([r for r in rows if r.disclosure], int(data.get("level") or 1)),
        history={
            dept.name: [
                (y, _pick(values, d.pk, measure_kind)[0])
                for y, d in sorted(by_dept.get(dept.pk, {}).items())
            ]
            for dept in departments
            if by_dept.get(dept.pk)
        },
        name_changes=name_changes,
    )


def _values(
    ids: list[int], measure_kind: str, key: str | None
) -> dict[tuple[int, str], Decimal | None]:
    """{(disclosure_id, scope): value} in one query."""
    out: dict[tuple[int, str], Decimal | None] = {}
    if measure_kind == "code":
        for pk, scope, total in LineItem.objects.filter(
            disclosure_id__in=ids, classification=Classification.FUNCTIONAL, code=key
        ).values_list("disclosure_id", "scope", "total"):
            out[(pk, scope)] = total
        return out
    for pk, value in Figure.objects.filter(
        disclosure_id__in=ids, group=measure_kind, key=key
    ).values_list("disclosure_id", "value"):
        out[(pk, "")] = value
    return out


def _pick(values, pk: int, measure_kind: str) -> tuple[Decimal | None, str | None]:
    if measure_kind != "code":
        return values.get((pk, "")), None
    for scope in (Scope.DEPARTMENT, Scope.GENERAL_BUDGET):
        if (pk, scope) in values and values[(pk, scope)] is not None:
            return values[(pk, scope)], scope
    return None, None


def _normalise(row: Row, how: str, totals, values, by_dept, measure_kind) -> Decimal | None:
    if row.value is None:
        return None
    disclosure = row.disclosure
    assert disclosure is not None  # a value is only read from a disclosure
    if how == "amount":
        return row.value
    if how == "share":
        total = totals.get(disclosure.pk)
        if not total:
            row.notes.append(_("缺少本年支出合计，无法计算比例"))
            return None
        return row.value / total * 100
    if how == "per_capita":
        population = row.department.region.population if row.department.region else None
        if not population:
            row.notes.append(_("地区常住人口未录入"))
            return None
        return row.value * 10000 / population  # 万元 → 元 per resident
    previous = by_dept.get(row.department.pk, {}).get((disclosure.fiscal_year or 0) - 1)
    before = _pick(values, previous.pk, measure_kind)[0] if previous else None
    if not before:
        row.notes.append(_("缺少上年同类数据"))
        return None
    return (row.value - before) / before * 100


def _structure(rows: list[Row], level: int) -> dict[str, Any]:
    """Shares of each department's functional spending by 类 (level 1) or 款 (level 2)."""
    length = 3 if level == 1 else 5
    # The caller passes only rows with a disclosure.
    with_disclosure = [(r, r.disclosure) for r in rows if r.disclosure is not None]
    ids = [d.pk for _r, d in with_disclosure]
    items: defaultdict[int, defaultdict[str, dict[str, tuple[str, Decimal | None]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for pk, scope, code, name, total in LineItem.objects.filter(
        disclosure_id__in=ids,
        classification=Classification.FUNCTIONAL,
        code__regex=rf"^\d{{{length}}}$",
    ).values_list("disclosure_id", "scope", "code", "name", "total"):
        items[pk][scope][cast(str, code)] = (name, total)  # code__regex matches no NULL
    names: dict[str, str] = {}
    shares: dict[str, dict[str, float]] = {}
    for r, d in with_disclosure:
        scoped: dict[str, dict[str, tuple[str, Decimal | None]]] = items.get(d.pk, {})
        chosen = scoped.get(Scope.DEPARTMENT) or scoped.get(Scope.GENERAL_BUDGET) or {}
        denominator = sum((t for _n, t in chosen.values() if t), Decimal(0))
        if not denominator:
            continue
        shares[r.department.name] = {
            c: float(t / denominator * 100) for c, (_n, t) in chosen.items() if t
        }
        for c, (n, _t) in chosen.items():
            names.setdefault(c, n)
    codes = sorted(names)
    return {
        "codes": codes,
        "names": [f"{c} {names[c]}" for c in codes],
        "departments": list(shares),
        "shares": shares,
    }
