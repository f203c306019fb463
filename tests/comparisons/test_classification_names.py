"""Names by year on the public pages: the code page lists the name each year printed, and a
comparison across the years of a renamed code says so."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from comparisons.compare import compare
from comparisons.forms import ComparisonForm
from disclosures import services

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db

RETIRED, PENSIONS = "行政事业单位离退休", "行政事业单位养老支出"


@pytest.fixture
def dictionary_loaded():
    call_command("load_reference")


def _rows_of(page: str) -> dict[str, str]:
    table = page.split('id="names-by-year"', 1)[1].split("</table>", 1)[0]
    return {
        year: re.sub(r"<[^>]+>", " ", row)
        for year, row in re.findall(r'<tr[^>]*data-year="(\d*)"[^>]*>(.*?)</tr>', table, re.S)
    }


def test_the_code_page_shows_the_name_each_year_printed(
    client, dictionary_loaded, django_assert_max_num_queries
):
    url = reverse("comparisons:classification_detail", args=["20805"])
    with django_assert_max_num_queries(4):
        response = client.get(url)
    page = response.content.decode()
    assert response.context["name"] == PENSIONS
    years = [e.year for e in response.context["names_by_year"]]
    assert years == [2008, 2017, 2018, 2019, 2020, 2024, 2026]
    rows = _rows_of(page)
    assert list(rows) == ["2008", "2017", "2018", "2019", "2020", "2024", "2026"]
    assert RETIRED in rows["2019"] and "名称有变化" not in rows["2019"]
    assert PENSIONS in rows["2020"] and f"名称有变化：此前为“{RETIRED}”" in rows["2020"]
    assert "名称有变化" not in rows["2024"]
    assert "旧版（历史资料）" in rows["2008"] and "旧版" not in rows["2017"]
    assert "js-rd-2019" in rows["2019"] and "samples/000" in rows["2020"]
    assert 'id="historical-only"' not in page


def test_a_code_only_the_old_edition_has_says_so_until_a_disclosure_prints_it(
    client, dictionary_loaded
):
    url = reverse("comparisons:classification_detail", args=["2080104"])
    page = client.get(url).content.decode()
    assert 'id="historical-only"' in page and "综合业务管理" in page
    dept = make_department(region=make_region())
    disclosure = make_disclosure(dept, fiscal_year=2024, items=[("2080104", "综合业务管理", "12")])
    disclosure.parse_result["provenance"] = {
        "functional.department[0]": {"text": "2080104 | 综合业务管理 | 12.00", "row": 3}
    }
    disclosure.save()
    services.publish(disclosure)
    page = client.get(url).content.decode()
    assert 'id="historical-only"' not in page
    rows = _rows_of(page)
    assert list(rows) == ["2008", "2024"]
    assert f'href="/departments/{dept.pk}/?year=2024&amp;kind=budget"' in page
    assert dept.name in rows["2024"] and "旧版（历史资料）" in rows["2008"]


def _compare(**params):
    form = ComparisonForm({"normalisation": "amount", **params})
    assert form.is_valid(), form.errors
    return compare(form.cleaned_data)


def test_a_comparison_across_the_years_of_a_renamed_code_says_so(client, dictionary_loaded):
    region = make_region()
    both = make_department("甲市人力资源和社会保障局", region=region)
    recent = make_department("乙市人力资源和社会保障局", region=region)
    for year, name in ((2019, RETIRED), (2020, PENSIONS)):
        services.publish(make_disclosure(both, fiscal_year=year, items=[("20805", name, "10")]))
    services.publish(make_disclosure(recent, fiscal_year=2020, items=[("20805", PENSIONS, "7")]))
    result = _compare(kind="budget", year="latest", code="20805")
    note = f"科目名称随年度变化：2019年为“{RETIRED}”，2020年起为“{PENSIONS}”"
    assert result.name_changes == note
    notes = {r.department.name: r.notes for r in result.rows}
    assert notes[both.name] == [note]  # its trend spans the rename
    assert notes[recent.name] == []  # one year shown: one name
    assert result.history[both.name] == [(2019, 10), (2020, 10)]
    page = client.get(
        reverse("comparisons:comparison"),
        {"kind": "budget", "year": "latest", "code": "20805", "normalisation": "amount"},
    ).content.decode()
    assert note in page
    # a code whose name did not change across the years shown: no note
    for year in (2019, 2020):
        services.publish(
            make_disclosure(both, fiscal_year=year, items=[("2080101", "行政运行", "5")])
        )
    unchanged = _compare(kind="budget", year="latest", code="2080101")
    assert unchanged.name_changes is None
    assert all(not any("科目名称" in n for n in r.notes) for r in unchanged.rows)
