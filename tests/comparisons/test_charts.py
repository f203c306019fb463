"""Chart builders are pure: assert on fig.data and fig.layout, using the samples' values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comparisons import charts

from ..conftest import expected

NANCHONG = "000_2abe3100919c2127"
NANAN = "004_a0aa4bbb27e038c2"


def test_the_treemap_nests_class_item_and_subitem_with_the_documents_amounts():
    items = expected(NANCHONG)["functional"]["department"]
    fig = charts.functional_treemap(items, root_label="南充 2020 预算")
    trace = fig.data[0]
    parent_of = dict(zip(trace.ids, trace.parents, strict=True))
    assert parent_of["208"] == charts.ROOT
    assert parent_of["20801"] == "208"
    assert parent_of["2080101"] == "20801"
    stated = {i["code"]: i["total"] for i in items}
    shown = {i: cd[0] for i, cd in zip(trace.ids, trace.customdata, strict=True)}
    for code, total in stated.items():
        assert shown[code] == pytest.approx(total)
    # The root is the sum of the 类: 19.22 + 178.04 + 2008.69 + 77.79 + 70.46 = 2354.20
    assert trace.values[0] == pytest.approx(2354.20)
    labels = dict(zip(trace.ids, trace.labels, strict=True))
    assert labels["2080101"] == "2080101 行政运行"
    assert trace.branchvalues == "total" and trace.pathbar.visible


def test_a_parent_smaller_than_its_children_is_drawn_by_its_children_and_flagged():
    items = [
        {"code": "208", "name": "社会保障和就业支出", "total": 10},
        {"code": "20801", "name": "人力资源和社会保障管理事务", "total": 12},
    ]
    trace = charts.functional_treemap(items, root_label="x").data[0]
    index = list(trace.ids).index("208")
    assert trace.values[index] == 12 and trace.customdata[index][0] == 10
    assert "分项之和" in trace.customdata[index][1]


def test_a_general_budget_item_without_its_parent_hangs_under_the_nearest_present_level():
    items = expected("001_47407c9cebf157a2")["functional"]["general_budget"]
    trace = charts.functional_treemap(items, root_label="巴中").data[0]
    parent_of = dict(zip(trace.ids, trace.parents, strict=True))
    assert parent_of["2080101"] == "208"  # 20801 is not stated in that report


def test_three_public_bars_stack_the_components_per_year():
    rows = [
        {"label": "2023预算", "vehicle_operation": Decimal("7"), "reception": Decimal("4")},
        {"label": "2024预算", "vehicle_operation": Decimal("7.3"), "reception": Decimal("4.2")},
    ]
    fig = charts.three_public_over_years(
        rows, components={"vehicle_operation": "运行", "reception": "接待"}
    )
    assert [t.name for t in fig.data] == ["运行", "接待"]
    assert list(fig.data[1].y) == [4.0, 4.2]
    assert fig.layout.barmode == "stack"


def test_economic_breakdown_shows_items_coloured_by_class():
    items = expected(NANAN)["economic"]["basic"]
    fig = charts.economic_breakdown(items)
    names = [t.name for t in fig.data]
    assert names == ["301 工资福利支出", "302 商品和服务支出", "303 对个人和家庭的补助"]
    bars = {y: x for t in fig.data for y, x in zip(t.y, t.x, strict=True)}
    assert bars["30101 基本工资"] == pytest.approx(520.07)


def test_execution_rate_is_final_over_budget():
    assert charts.rate(Decimal("90"), Decimal("100")) == Decimal("0.9")
    assert charts.rate(Decimal("90"), Decimal("0")) is None
    assert charts.rate(None, Decimal("100")) is None
    fig = charts.execution_rate(
        [{"code": "208", "name": "x", "budget": 100, "final": 110, "rate": Decimal("1.1")}]
    )
    assert fig.data[0].x[0] == pytest.approx(110.0)


def test_basic_project_split_uses_the_two_totals():
    fig = charts.basic_project_split(
        Decimal("1043.32"), Decimal("1310.88"), labels=("基本支出", "项目支出")
    )
    assert list(fig.data[0].values) == [1043.32, 1310.88]
