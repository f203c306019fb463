"""The public FilterSets on their own: the same filters the pages and the API use."""

from __future__ import annotations

import pytest

from comparisons import queries
from comparisons.filtersets import (
    DepartmentFilterSet,
    DisclosureFilterSet,
    LineItemFilterSet,
    filtered,
)
from disclosures.choices import Publication
from disclosures.models import LineItem

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    sichuan = make_region("四川省", level="province", code="510000")
    nanchong = make_region("南充市", parent=sichuan, code="511300")
    county = make_region("西充县", parent=nanchong, level="county", code="511325")
    chongqing = make_region("重庆市", level="province", code="500000")
    rows = {}
    for name, region, category, kind in [
        ("西充县人力资源和社会保障局", county, "人力资源和社会保障局", "budget"),
        ("南充市教育局", nanchong, "教育局", "final"),
        ("重庆市教育委员会", chongqing, "教育局", "budget"),
    ]:
        d = make_disclosure(
            make_department(name, region=region, category=category),
            kind=kind,
            items=[("208", "社会保障和就业支出", "10"), ("2050101", "行政运行", "5")],
        )
        d.publication = Publication.PUBLISHED
        d.save()
        rows[name] = d
    rows["sichuan"] = sichuan
    return rows


def names(qs):
    return sorted(d.name for d in qs)


def test_departments_by_text_category_and_region(world):
    base = queries.department_list()

    def run(**data):
        return names(filtered(DepartmentFilterSet(data, queryset=base)))

    assert run(q="四川") == ["南充市教育局", "西充县人力资源和社会保障局"]  # the region subtree
    assert run(q="委员会") == ["重庆市教育委员会"]
    assert run(category="教育局") == ["南充市教育局", "重庆市教育委员会"]
    assert run(category="教育局", region=world["sichuan"].pk) == ["南充市教育局"]
    assert run(q="   ") == names(base)  # blank is no filter
    assert run(region=999999) == []  # an invalid value never means everything


def test_line_items_by_code_prefix_kind_and_region(world):
    base = LineItem.objects.published()

    def run(**data):
        fs = LineItemFilterSet(data, queryset=base)
        assert fs.is_valid(), fs.errors
        return sorted((i.disclosure.department.name, i.code) for i in fs.qs)

    assert run(code="20", kind="final") == [("南充市教育局", "2050101"), ("南充市教育局", "208")]
    assert [c for _n, c in run(code="205", region=world["sichuan"].pk)] == ["2050101"] * 2
    assert len(run(year=2020, scope="department")) == 6
    assert run(year=2019) == []
    assert not LineItemFilterSet({"kind": "neither"}, queryset=base).is_valid()


def test_disclosures_offer_only_what_has_published_data(world):
    fs = DisclosureFilterSet({}, queryset=queries.published_disclosures())
    categories = [value for value, _label in fs.form.fields["category"].choices if value]
    assert categories == ["人力资源和社会保障局", "教育局"]
    regions = {str(r) for r in fs.form.fields["region"].queryset}
    assert regions == {"四川省", "四川省南充市", "四川省南充市西充县", "重庆市"}
    in_sichuan = DisclosureFilterSet(
        {"region": world["sichuan"].pk, "category": "教育局"},
        queryset=queries.published_disclosures(),
    )
    assert [d.department.name for d in filtered(in_sichuan)] == ["南充市教育局"]
