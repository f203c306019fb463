"""In a real browser, as a visitor: department page, drill into the chart, English, CSV."""

from __future__ import annotations

import csv
import io

import pytest

from disclosures.choices import Publication

from ..factories import make_department, make_disclosure, make_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEMS = [
    ("208", "社会保障和就业支出", "300"),
    ("20801", "人力资源和社会保障管理事务", "300"),
    ("2080101", "行政运行", "200"),
    ("2080102", "一般行政管理事务", "100"),
    ("210", "卫生健康支出", "50"),
    ("21011", "行政事业单位医疗", "50"),
]


@pytest.fixture
def department():
    province = make_region("四川省", level="province", code="510000")
    dept = make_department(region=make_region("南充市", parent=province, code="511300"))
    d = make_disclosure(
        dept,
        totals={
            "expenditure_total": "350",
            "basic_expenditure": "250",
            "project_expenditure": "100",
        },
        items=ITEMS,
    )
    d.publication = Publication.PUBLISHED
    d.save()
    return dept


def test_a_visitor_drills_into_the_chart_switches_to_english_and_downloads_csv(
    live_server, page, screenshot, department
):
    page.goto(f"{live_server.url}/departments/{department.pk}/")
    assert department.name in page.locator("h1").inner_text()
    page.wait_for_selector("#treemap .treemap")  # plotly drew it from our static copy
    screenshot("department-page")
    # Click the 208 box: the treemap zooms in and the path bar shows where we are.
    page.locator("#treemap g.slice").filter(has_text="208 社会保障和就业支出").first.click()
    # Zoomed in: 款 20801 is drawn, and the path bar leads back to the whole department.
    page.wait_for_function(
        "() => { const s = [...document.querySelectorAll('#treemap g.slice')]"
        ".map(t => t.textContent.trim());"
        " return s.some(t => t.startsWith('20801')) && !s.some(t => t.startsWith('210')); }"
    )
    pathbar = page.locator("#treemap .pathbar").all_text_contents()
    assert any(department.name in t for t in pathbar)
    screenshot("department-drilldown")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Download the original file" in page.content()

    with page.expect_download() as info:
        page.click("#export-csv")
    path = info.value.path()
    rows = list(csv.reader(io.StringIO(open(path, encoding="utf-8-sig").read())))
    assert [r[1] for r in rows[1:]] == [code for code, _, _ in ITEMS]
