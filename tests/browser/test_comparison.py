"""In a real browser: build a comparison, copy its URL, open it in a fresh context."""

from __future__ import annotations

import pytest

from disclosures.choices import Publication

from ..factories import make_department, make_disclosure, make_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def departments():
    province = make_region("四川省", level="province", code="510000")
    out = []
    for i, (city, total) in enumerate([("甲市", "600"), ("乙市", "1500"), ("丙市", "900")]):
        dept = make_department(
            f"{city}人力资源和社会保障局",
            region=make_region(city, parent=province, code=f"5119{i}0"),
        )
        d = make_disclosure(
            dept, totals={"expenditure_total": "2000"}, items=[("208", "社会保障和就业支出", total)]
        )
        d.publication = Publication.PUBLISHED
        d.save()
        out.append(dept)
    return out


def table_rows(page):
    return page.locator("#comparison-table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].slice(0, 6).map(c => c.innerText.trim()))"
    )


def test_a_shared_comparison_link_reproduces_the_view(
    live_server, page, chromium, screenshot, departments
):
    page.goto(f"{live_server.url}/compare/")
    page.select_option("select[name=category]", "人力资源和社会保障局")
    page.fill("input[name=year]", "2020")
    page.select_option("select[name=kind]", "budget")
    page.fill("input[name=code]", "208")
    page.select_option("select[name=normalisation]", "share")
    page.click("#compare-form button[type=submit]")
    page.wait_for_selector("#ranked .plot-container")
    rows = table_rows(page)
    assert [r[1] for r in rows] == [
        "乙市人力资源和社会保障局",
        "丙市人力资源和社会保障局",
        "甲市人力资源和社会保障局",
    ]
    assert rows[0][5] == "75.00"  # 1500 / 2000
    screenshot("comparison")
    url = page.locator("#share-url").input_value()
    assert url == page.url

    fresh = chromium.new_context()
    other = fresh.new_page()
    other.goto(url)
    other.wait_for_selector("#ranked .plot-container")
    assert table_rows(other) == rows
    assert other.locator("#measure").inner_text() == page.locator("#measure").inner_text()
    bars = other.evaluate("() => document.querySelector('#ranked .js-plotly-plot').data[0].x")
    assert bars == [75, 45, 30]
    fresh.close()
