"""Every public table, sorted by each orderable column, in both directions (STYLE §18).

The page is requested with the table's sort parameter, and the rows it renders must be
in the order of the fields the column declares it sorts by, and the two directions must
differ, so a column whose sort does nothing (or sorts by the wrong field) fails.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
from django.db.models import Case, F, When
from django_tables2 import A

from comparisons.tables import (
    ComparisonTable,
    CompletenessTable,
    ExecutionTable,
    FigureTable,
    LatestDisclosureTable,
    LineItemTable,
    RegionDepartmentTable,
    SpenderTable,
)
from disclosures.choices import Publication
from disclosures.models import Disclosure, Figure, LineItem

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db

ITEMS = [
    ("208", "社会保障和就业支出", "300"),
    ("20801", "人力资源和社会保障管理事务", "250"),
    ("2080101", "行政运行", "200"),
]


@pytest.fixture
def world():
    """Three departments in three regions of one province, with distinct values in every
    column: years, kinds, totals, scopes, pages, completeness."""
    province = make_region("四川省", level="province", code="510000")
    a = make_region("甲市", parent=province, code="511100")
    b = make_region("乙市", parent=province, code="511200")
    c = make_region("丙县", parent=b, level="county", code="511201")
    departments = [
        make_department("1号局", region=a, category="甲类"),
        make_department("2号局", region=b, category="乙类"),
        make_department("3号局", region=c, category="丙类"),
    ]
    plan = [  # (department, year, kind, scale)
        (0, 2020, "budget", 4),
        (0, 2020, "final", 3),
        (1, 2020, "budget", 2),
        (2, 2019, "budget", 1),
        (2, 2019, "final", 5),
    ]
    outlines = [
        ["收支总表", "收入总表"],
        ["收支总表"],
        ["无关标题"],
        ["名词解释"],
        ["政府采购", "机关运行经费"],
    ]
    for (i, year, kind, scale), outline in zip(plan, outlines, strict=True):
        items = [  # not proportional across disclosures: execution rates differ by item
            (code, name, str(Decimal(t) * scale + i + k * scale * scale))
            for k, (code, name, t) in enumerate(ITEMS)
        ]
        d = make_disclosure(
            departments[i],
            fiscal_year=year,
            kind=kind,
            items=items,
            totals={
                "expenditure_total": str(1000 * scale + i),
                "grand_total": str(1100 * scale + i),
                "basic_expenditure": str(600 * scale),
            },
        )
        d.publication, d.outline = Publication.PUBLISHED, outline
        d.save()
        LineItem.objects.create(  # a second scope
            disclosure=d,
            classification="functional",
            scope="general_budget",
            position=0,
            code="208",
            name="社会保障和就业支出",
            total=Decimal(100 * scale + i),
        )
    LineItem.objects.update(
        page=F("position") + F("disclosure_id"),
        basic=F("total") * Decimal("0.6"),
        project=F("total") * Decimal("0.4"),
    )
    # Confirmed by a check or not: both states in every table.
    LineItem.objects.update(confirmed=Case(When(position=0, then=True), default=False))
    Figure.objects.update(confirmed=Case(When(key="grand_total", then=True), default=False))
    final = Disclosure.objects.get(department=departments[0], kind="final")
    return {"province": province, "department": departments[0], "final": final}


def compare_url(world):
    return "/compare/?kind=budget&year=latest&code=208&normalisation=amount&level=1"


# table → (page URL for the world, the context variable holding it, sort parameter)
PAGES = {
    LatestDisclosureTable: (lambda w: "/", "table", "sort"),
    RegionDepartmentTable: (lambda w: f"/regions/{w['province'].pk}/", "table", "sort"),
    SpenderTable: (lambda w: "/classification/208/", "table", "sort"),
    FigureTable: (
        lambda w: f"/departments/{w['department'].pk}/?year=2020&kind=final",
        "figures_table",
        "figures-sort",
    ),
    ExecutionTable: (
        lambda w: f"/departments/{w['department'].pk}/?year=2020&kind=final",
        "execution_table",
        "execution-sort",
    ),
    LineItemTable: (
        lambda w: f"/departments/{w['department'].pk}/?year=2020&kind=final",
        "table",
        "items-sort",
    ),
    ComparisonTable: (compare_url, "table", "sort"),
    CompletenessTable: (lambda w: "/completeness/", "table", "sort"),
}


def orderable_columns():
    return [
        pytest.param(table, name, id=f"{table.__name__}.{name}")
        for table in PAGES
        for name, column in table.base_columns.items()
        if column.orderable is not False and column.visible
    ]


def test_every_public_table_is_covered():
    from comparisons import tables

    public = {
        obj
        for obj in vars(tables).values()
        if isinstance(obj, type)
        and issubclass(obj, tables.tables.Table)
        and obj.__module__ == tables.__name__
    }
    assert public == set(PAGES)


def sorted_keys(client, world, table_class, column, descending):
    url, name, param = PAGES[table_class]
    path, _, query = url(world).partition("?")
    params = dict(parse_qsl(query)) | {param: ("-" if descending else "") + column}
    response = client.get(path, params)
    assert response.status_code == 200
    table = response.context[name]
    assert isinstance(table, table_class)
    bound = table.columns[column]
    fields = [o.bare for o in bound.order_by]
    rows = list(table.page.object_list if getattr(table, "page", None) else table.rows)
    keys = [tuple(A(f).resolve(row.record) for f in fields) for row in rows]
    assert len(keys) >= 2, "the world needs more rows for this table"
    return keys, [row.get_cell_value(column) for row in rows]


@pytest.mark.parametrize(("table_class", "column"), orderable_columns())
def test_each_table_sorts_by_each_orderable_column(client, world, table_class, column):
    ascending, shown_up = sorted_keys(client, world, table_class, column, descending=False)
    descending, shown_down = sorted_keys(client, world, table_class, column, descending=True)
    assert ascending == sorted(ascending)
    assert descending == sorted(descending, reverse=True)
    assert ascending != descending, "sorting this column changes nothing"
    assert shown_up != shown_down, "the column's cells read the same in both directions"
