"""Public pages: only published data, correct numbers, bounded query counts."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from comparisons.tables import LineItemTable
from disclosures.choices import Publication
from disclosures.models import LineItem

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db

ITEMS = [
    ("208", "社会保障和就业支出", "300"),
    ("20801", "人力资源和社会保障管理事务", "300"),
    ("2080101", "行政运行", "200"),
    ("2080102", "一般行政管理事务", "100"),
]


@pytest.fixture
def dept():
    sichuan = make_region("四川省", level="province", code="510000")
    return make_department(region=make_region("南充市", parent=sichuan, code="511300"))


def publish(d):
    d.publication = Publication.PUBLISHED
    d.save()
    return d


def test_the_department_page_shows_headline_change_and_drilldown(
    client, dept, django_assert_max_num_queries
):
    publish(make_disclosure(dept, fiscal_year=2019, totals={"expenditure_total": "250"}))
    publish(
        make_disclosure(dept, fiscal_year=2020, totals={"expenditure_total": "300"}, items=ITEMS)
    )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("comparisons:department_detail", args=[dept.pk]))
    page = response.content.decode()
    assert "300.00" in page and "+20.0%" in page  # (300 - 250) / 250
    assert 'id="treemap"' in page and '"2080101"' in page
    assert "/static/vendor/plotly" in page  # served by us (from the plotly package), no CDN


def test_unpublished_and_superseded_disclosures_are_not_public(client, dept):
    make_disclosure(dept, totals={"expenditure_total": "999"})
    assert client.get(reverse("comparisons:department_detail", args=[dept.pk])).status_code == 404
    old = publish(make_disclosure(dept, totals={"expenditure_total": "111"}))
    new = make_disclosure(dept, totals={"expenditure_total": "222"})
    old.superseded_by, old.publication = new, Publication.SUPERSEDED
    old.save()
    publish(new)
    page = client.get(reverse("comparisons:department_detail", args=[dept.pk])).content.decode()
    assert "222.00" in page and "111.00" not in page
    assert client.get(reverse("comparisons:disclosure_file", args=[old.pk])).status_code == 404


def test_budget_vs_final_gives_the_execution_rate(client, dept):
    publish(
        make_disclosure(
            dept,
            kind="budget",
            totals={"expenditure_total": "400"},
            items=[("208", "社会保障和就业支出", "400")],
        )
    )
    publish(
        make_disclosure(
            dept,
            kind="final",
            totals={"expenditure_total": "380"},
            items=[("208", "社会保障和就业支出", "380")],
        )
    )
    page = client.get(
        reverse("comparisons:department_detail", args=[dept.pk]), {"year": 2020, "kind": "final"}
    ).content.decode()
    assert 'id="execution"' in page and "95.0%" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_line_items_export(client, dept, fmt):
    d = publish(make_disclosure(dept, items=ITEMS))
    response = client.get(
        reverse("comparisons:department_detail", args=[dept.pk]),
        {"year": d.fiscal_year, "kind": d.kind, "_export": fmt},
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert [r[1] for r in rows[1:]] == [c for c, _, _ in ITEMS]
        assert rows[3][3] == "200.0000" or float(rows[3][3]) == 200
    else:
        assert body[:2] == b"PK"


@pytest.mark.parametrize(
    "column", [c for c, col in LineItemTable.base_columns.items() if col.orderable is not False]
)
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_column_of_the_line_item_table_sorts(client, dept, column, direction):
    d = publish(make_disclosure(dept, items=ITEMS))
    response = client.get(
        reverse("comparisons:department_detail", args=[dept.pk]), {"items-sort": direction + column}
    )
    assert response.status_code == 200
    table = response.context["table"]
    values = [getattr(r.record, column) for r in table.rows]
    want = [
        getattr(i, column)
        for i in LineItem.objects.filter(disclosure=d).order_by(direction + column, "pk")
    ]
    assert values == want


def test_region_page_lists_departments_below_it(client, dept, django_assert_max_num_queries):
    publish(make_disclosure(dept, totals={"expenditure_total": "123.45"}))
    province = dept.region.parent
    with django_assert_max_num_queries(4):
        page = client.get(reverse("comparisons:region_detail", args=[province.pk])).content
    page = page.decode()
    assert dept.name in page and "123.45" in page and "南充市" in page


def test_classification_pages_list_spenders(client, dept):
    publish(make_disclosure(dept, items=ITEMS))
    index = client.get(reverse("comparisons:classification_index")).content.decode()
    assert "2080101" in index
    page = client.get(
        reverse("comparisons:classification_detail", args=["2080101"])
    ).content.decode()
    assert dept.name in page and "200.00" in page


def test_home_search_finds_by_city_and_category(client, dept):
    publish(make_disclosure(dept))
    for q in ("南充", "人力资源和社会保障局", "四川省"):
        page = client.get(reverse("comparisons:home"), {"q": q}).content.decode()
        assert f'href="/departments/{dept.pk}/"' in page, q


@pytest.mark.parametrize("n_departments", [1, 6])
def test_no_public_page_grows_its_query_count_with_the_data(
    client, n_departments, django_assert_max_num_queries
):
    """Every public page and API list runs a bounded number of queries (no N+1)."""
    province = make_region("四川省", level="province", code="510000")
    city = make_region("南充市", parent=province, code="511300")
    for i in range(n_departments * 5):  # region pickers list every city: no per-option query
        make_region(f"第{i}市", parent=province, code=f"51{i + 40:02d}00")
    depts = []
    for i in range(n_departments):
        dept = make_department(f"南充市第{i}局", region=city)
        for year in (2019, 2020):
            publish(
                make_disclosure(
                    dept, fiscal_year=year, items=ITEMS, totals={"expenditure_total": "300"}
                )
            )
        depts.append(dept)
    d = depts[0].disclosures.first()
    budgets = {  # url → most queries it may run, whatever the number of departments
        "/": 3,  # coverage, count, the page of the latest table (totals as subqueries)
        "/?q=南充": 5,  # + regions named like the text, the departments found
        f"/departments/{depts[0].pk}/": 12,
        f"/regions/{province.pk}/": 4,
        "/classification/": 3,
        "/classification/2080101/": 4,
        "/compare/?kind=budget&year=latest&code=208&normalisation=share&level=1": 10,
        "/completeness/": 4,
        "/api/departments": 2,  # count + page
        f"/api/disclosures/{d.pk}": 7,
        f"/api/departments/{depts[0].pk}/disclosures": 2,
        "/api/comparisons?code=208&normalisation=yoy": 8,
        "/api/classification": 2,
        "/api/line-items.csv": 1,
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            response = client.get(url)
            assert response.status_code == 200, url
            if response.streaming:
                b"".join(response.streaming_content)


def test_cached_drawings_are_retired_when_a_value_is_corrected(
    client, dept, staff_user, django_capture_on_commit_callbacks
):
    from disclosures import services

    d = publish(make_disclosure(dept, items=ITEMS))
    url = reverse("comparisons:department_detail", args=[dept.pk])
    assert "300.0" in client.get(url).context["treemap"]
    with django_capture_on_commit_callbacks(execute=True):  # commit bumps the generation
        services.correct(
            d,
            "functional.department.2080101",
            {"code": "2080101", "name": "行政运行", "total": "234.5"},
            reason="复核",
            user=staff_user,
        )
    assert "234.5" in client.get(url).context["treemap"]


def test_home_search_finds_a_county_department_by_its_province(client):
    hebei = make_region("河北省", level="province", code="130000")
    county = make_region(
        "曲阳县", parent=make_region("保定市", parent=hebei, code="130600"), level="county"
    )
    dept = make_department("曲阳县人力资源和社会保障局", region=county)
    publish(make_disclosure(dept))
    page = client.get(reverse("comparisons:home"), {"q": "河北"}).content.decode()
    assert f'href="/departments/{dept.pk}/"' in page
    page = client.get(reverse("comparisons:home"), {"q": "山西"}).content.decode()
    assert f'href="/departments/{dept.pk}/"' not in page and "没有找到" in page


def test_the_region_page_searches_within_the_region(client, dept):
    publish(make_disclosure(dept))
    other = make_department("南充市教育局", region=dept.region, category="教育局")
    publish(make_disclosure(other))
    url = reverse("comparisons:region_detail", args=[dept.region.parent_id])
    rows = client.get(url, {"q": "教育"}).context["table"].rows
    assert [r.record.name for r in rows] == ["南充市教育局"]
    assert len(client.get(url).context["table"].rows) == 2


def test_the_latest_list_links_each_disclosure_and_shows_its_total(client, dept):
    d = publish(make_disclosure(dept, fiscal_year=2021, totals={"expenditure_total": "1234.5"}))
    page = client.get(reverse("comparisons:home")).content.decode()
    assert f'href="/departments/{dept.pk}/?year=2021&amp;kind=budget"' in page
    assert f'href="/regions/{dept.region_id}/"' in page and "1,234.50" in page
    d.published_with_errors = True
    d.save()
    assert "带已知不一致发布" in client.get(reverse("comparisons:home")).content.decode()


def test_classification_code_page_uses_the_documents_name_for_an_unknown_code(client, dept):
    publish(make_disclosure(dept, items=[("2089999", "试点支出", "12")]))
    page = client.get(reverse("comparisons:classification_detail", args=["2089999"]))
    assert page.status_code == 200 and page.context["name"] == "试点支出"
    missing = client.get(reverse("comparisons:classification_detail", args=["2089998"]))
    assert missing.status_code == 404


def test_completeness_filters_by_category_and_region_and_keeps_columns_aligned(client, dept):
    from disclosures.models import ChecklistItem

    ChecklistItem.objects.all().delete()
    ChecklistItem.objects.create(key="a", label="甲表", patterns="甲表", position=1)
    ChecklistItem.objects.create(key="b", label="乙表", patterns="乙表", kinds="final", position=2)
    ChecklistItem.objects.create(key="c", label="丙表", patterns="丙表", position=3)
    d = make_disclosure(dept)  # a budget: 乙表 does not apply to it
    d.outline = ["丙表"]
    publish(d)
    elsewhere = make_department(
        "重庆市教育委员会",
        region=make_region("重庆市", level="province", code="500000"),
        category="教育局",
    )
    publish(make_disclosure(elsewhere))
    response = client.get(reverse("comparisons:completeness"))
    rows = response.context["table"].rows
    cells = {r.record["department"]: [r.get_cell(f"check_{k}") for k in "abc"] for r in rows}
    assert cells[dept.name] == ["✗", "—", "✓"]  # 丙表 stays under 丙表
    by_category = client.get(reverse("comparisons:completeness"), {"category": "教育局"})
    assert [r.record["department"] for r in by_category.context["table"].rows] == [elsewhere.name]
    by_region = client.get(reverse("comparisons:completeness"), {"region": dept.region.parent_id})
    assert [r.record["department"] for r in by_region.context["table"].rows] == [dept.name]
    unknown = client.get(reverse("comparisons:completeness"), {"region": 999999})
    assert list(unknown.context["table"].rows) == []  # an invalid filter shows nothing, not all


def test_meetings_and_training_are_shown_but_not_stacked_into_the_three_public_chart(client, dept):
    from disclosures.models import Figure

    d = publish(make_disclosure(dept))
    three_public = {
        "total": "15",
        "vehicle_operation": "13",
        "reception": "2",
        "meetings": "3",
        "training": "7",
    }
    for key, value in three_public.items():
        Figure.objects.create(disclosure=d, group="three_public", key=key, value=value)
    response = client.get(reverse("comparisons:department_detail", args=[dept.pk]))
    chart = response.context["three_public_chart"]
    names = [json.loads(f'"{n}"') for n in re.findall(r'"name":"((?:[^"\\]|\\.)*)"', chart)]
    assert names == ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]
    page = response.content.decode()
    assert "会议费" in page and "培训费" in page  # in the figures table, with their amounts
    assert "7.00" in page


def test_meetings_and_training_are_measures_of_their_own():
    from comparisons.forms import measure_choices

    labels = dict(measure_choices())
    assert labels["three_public.meetings"] == "会议费"
    assert labels["three_public.training"] == "培训费"
    assert labels["three_public.reception"] == "三公经费：公务接待费"
