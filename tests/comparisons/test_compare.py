"""Comparisons: every normalisation, honest gaps, the structure data, URL state, export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from comparisons.compare import compare
from comparisons.forms import ComparisonForm
from disclosures.choices import Publication

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db


def publish(d, errors=False):
    d.publication, d.published_with_errors = Publication.PUBLISHED, errors
    d.save()
    return d


@pytest.fixture
def world():
    sichuan = make_region("四川省", level="province", code="510000")
    a_city = make_region("甲市", parent=sichuan, code="511300")
    b_city = make_region("乙市", parent=sichuan, code="511900")
    a_city.population = 5_000_000
    a_city.save()
    a = make_department("甲市人力资源和社会保障局", region=a_city)
    b = make_department("乙市人力资源和社会保障局", region=b_city)
    c = make_department("丙市人力资源和社会保障局", region=sichuan)
    publish(
        make_disclosure(
            a,
            fiscal_year=2019,
            totals={"expenditure_total": "800"},
            items=[("208", "社会保障和就业支出", "500"), ("2080101", "行政运行", "400")],
        )
    )
    publish(
        make_disclosure(
            a,
            fiscal_year=2020,
            totals={"expenditure_total": "1000"},
            items=[
                ("208", "社会保障和就业支出", "600"),
                ("210", "卫生健康支出", "400"),
                ("2080101", "行政运行", "500"),
            ],
        )
    )
    publish(
        make_disclosure(
            b,
            fiscal_year=2020,
            totals={"expenditure_total": "2000"},
            items=[("208", "社会保障和就业支出", "1500"), ("221", "住房保障支出", "500")],
        ),
        errors=True,
    )
    publish(make_disclosure(c, fiscal_year=2020, kind="final", totals={"expenditure_total": "300"}))
    return {"a": a, "b": b, "c": c, "province": sichuan}


def run(**params):
    form = ComparisonForm(
        {"kind": "budget", "year": "2020", "normalisation": "amount", "level": "1", **params}
    )
    assert form.is_valid(), form.errors
    return {r.department.name: r for r in compare(form.cleaned_data).rows}


def test_amounts_are_ranked_and_missing_values_are_explained_not_zero(world):
    rows = run(code="2080101", category="人力资源和社会保障局")
    a, b, c = (rows[world[k].name] for k in "abc")
    assert a.value == Decimal("500") and a.rank == 1
    assert b.value is None and b.rank is None and "未列出该科目" in "".join(b.notes)
    assert c.value is None and "没有 2020 年的预算" in "".join(c.notes)  # only a 决算


def test_share_of_the_departments_total(world):
    rows = run(code="208", normalisation="share", region=world["province"].pk)
    assert rows[world["a"].name].normalised == Decimal("60")  # 600 / 1000
    assert rows[world["b"].name].normalised == Decimal("75")  # 1500 / 2000
    assert rows[world["b"].name].rank == 1


def test_per_resident_needs_a_population_and_says_so(world):
    rows = run(measure="totals.expenditure_total", normalisation="per_capita")
    assert rows[world["a"].name].normalised == Decimal("2")  # 1000万元 / 500万人 = 2 元/人
    b = rows[world["b"].name]
    assert b.normalised is None and b.value == Decimal("2000")
    assert "人口未录入" in "".join(b.notes)


def test_change_on_the_previous_year(world):
    rows = run(code="208", normalisation="yoy")
    assert rows[world["a"].name].normalised == Decimal("20")  # (600 - 500) / 500
    assert "缺少上年" in "".join(rows[world["b"].name].notes)


def test_latest_year_picks_each_departments_newest(world):
    rows = run(year="latest", measure="totals.expenditure_total")
    assert rows[world["a"].name].disclosure.fiscal_year == 2020


def test_inconsistent_disclosures_are_flagged(world):
    rows = run(measure="totals.expenditure_total")
    assert rows[world["b"].name].flagged
    assert "带已知不一致发布" in rows[world["b"].name].notes


def test_structure_shares_sum_to_100_per_department(world):
    form = ComparisonForm(
        {
            "kind": "budget",
            "year": "2020",
            "normalisation": "amount",
            "measure": "totals.expenditure_total",
            "level": "1",
        }
    )
    assert form.is_valid()
    structure = compare(form.cleaned_data).structure
    assert structure["codes"] == ["208", "210", "221"]
    assert structure["shares"][world["a"].name] == {"208": 60.0, "210": 40.0}
    assert sum(structure["shares"][world["b"].name].values()) == pytest.approx(100)


def test_the_page_state_lives_in_the_url_and_exports(client, world):
    params = {
        "kind": "budget",
        "year": "2020",
        "code": "208",
        "normalisation": "share",
        "level": "1",
    }
    page = client.get(reverse("comparisons:comparison"), params).content.decode()
    assert 'id="ranked"' in page and world["a"].name in page and "60.00" in page
    assert 'id="heatmap"' in page
    embed = client.get(reverse("comparisons:comparison"), {**params, "embed": 1})
    assert b'id="comparison-table"' not in embed.content and b'id="ranked"' in embed.content
    exported = client.get(reverse("comparisons:comparison"), {**params, "_export": "csv"})
    assert exported.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "排名", "部门", "地区", "年度", "类型", "数值（万元）", "比较口径（%）", "口径", "说明",
        "来源文件",
    ]  # fmt: skip
    assert rows[1][1] == world["b"].name and float(rows[1][6]) == 75.0
    assert rows[1][4] == "budget" and rows[1][7] == "department"
    assert rows[1][9] == f"/api/disclosures/{world['b'].disclosures.get().pk}"
    xlsx = client.get(reverse("comparisons:comparison"), {**params, "_export": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_the_api_returns_the_same_rows_as_the_table(client, world):
    body = client.get(
        "/api/comparisons",
        {"kind": "budget", "year": "2020", "code": "208", "normalisation": "share"},
    ).json()
    assert [(r["department"], r["normalised"]) for r in body["rows"][:2]] == [
        (world["b"].name, 75.0),
        (world["a"].name, 60.0),
    ]
    assert client.get("/api/comparisons", {"year": "20x"}).status_code == 400


def test_bad_form_input_is_reported(client):
    page = client.get(
        reverse("comparisons:comparison"),
        {"code": "20", "kind": "budget", "normalisation": "amount"},
    )
    assert "3、5 或 7 位数字" in page.content.decode()
