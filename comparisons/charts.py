"""Chart builders: plain rows in, a plotly Figure out. No database, no requests.

Views render them with ``fig.to_html(full_html=False, include_plotlyjs=False)``; the
page loads our own copy of plotly.js once (no internet needed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.utils.translation import gettext as _

FONT = "PingFang SC, Noto Sans CJK SC, Microsoft YaHei, sans-serif"
COLORS = [
    "#b42318",
    "#175cd3",
    "#067647",
    "#b54708",
    "#6941c6",
    "#0e9384",
    "#c11574",
    "#475467",
    "#dc6803",
    "#1570ef",
]
ROOT = "__root__"


def _layout(fig: go.Figure, *, title: str | None = None, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=title,
        height=height,
        margin={"t": 40 if title else 10, "l": 10, "r": 10, "b": 10},
        font={"family": FONT},
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=COLORS,
    )
    return fig


def _num(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _parent_code(code: str, present: set[str]) -> str:
    for cut in (5, 3):
        if len(code) > cut and code[:cut] in present:
            return code[:cut]
    return ROOT


def functional_treemap(
    items: Sequence[Mapping[str, Any]], *, root_label: str, unit: str | None = None
) -> go.Figure:
    """类 → 款 → 项 drill-down of functional spending (click to go down, path bar back).

    ``items`` are {"code", "name", "total"} rows; rows without a code are left to the
    table. Where a document's parent is less than the sum of its children (an
    inconsistency the checks report), the box is sized by the children and the hover
    says so, because plotly cannot draw a parent smaller than its parts.
    """
    unit = unit or _("万元")
    rows = [i for i in items if i.get("code") and i.get("total") is not None]
    present = {r["code"] for r in rows}
    values = {r["code"]: _num(r["total"]) for r in rows}
    parents = {r["code"]: _parent_code(r["code"], present) for r in rows}
    children_sum: dict[str, float] = {}
    for code, parent in parents.items():
        children_sum[parent] = children_sum.get(parent, 0.0) + values[code]
    notes, sized = {}, {}
    for code in sorted(values, key=len, reverse=True):  # children before parents
        stated = values[code]
        parts = children_sum.get(code, 0.0)
        sized[code] = max(stated, parts)
        notes[code] = (
            "" if parts <= stated + 0.01 * max(1, len(present)) else " ⚠ " + _("分项之和大于本级")
        )
    top = sum(sized[c] for c, p in parents.items() if p == ROOT)
    ids = [ROOT] + [r["code"] for r in rows]
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=[root_label] + [f"{r['code']} {r['name']}" for r in rows],
            parents=[""] + [parents[r["code"]] for r in rows],
            values=[top] + [sized[r["code"]] for r in rows],
            customdata=[[top, ""]] + [[values[r["code"]], notes[r["code"]]] for r in rows],
            branchvalues="total",
            texttemplate="%{label}<br>%{customdata[0]:,.2f} " + unit,
            hovertemplate="%{label}<br>%{customdata[0]:,.2f} "
            + unit
            + "%{customdata[1]}<br>%{percentRoot:.1%}<extra></extra>",
            pathbar={"visible": True},
            maxdepth=2,
        )
    )
    return _layout(fig, height=480)


def basic_project_split(basic: Any, project: Any, *, labels: tuple[str, str]) -> go.Figure:
    """基本支出 vs 项目支出 as a donut."""
    fig = go.Figure(
        go.Pie(
            labels=list(labels),
            values=[_num(basic), _num(project)],
            hole=0.55,
            sort=False,
            texttemplate="%{label}<br>%{value:,.2f}<br>%{percent}",
        )
    )
    return _layout(fig, height=320)


def three_public_over_years(
    rows: Iterable[Mapping[str, Any]], *, components: Mapping[str, str]
) -> go.Figure:
    """三公经费 components stacked per year (and kind) label."""
    rows = list(rows)
    fig = go.Figure()
    for key, label in components.items():
        fig.add_bar(
            name=label,
            x=[r["label"] for r in rows],
            y=[_num(r.get(key)) for r in rows],
            hovertemplate="%{x} " + label + "<br>%{y:,.2f} " + _("万元") + "<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        xaxis={"type": "category"},
        yaxis={"title": _("万元"), "tickformat": ",.2f"},
    )
    return _layout(fig, height=340)


def economic_breakdown(items: Sequence[Mapping[str, Any]]) -> go.Figure:
    """Basic expenditure by economic classification: 款 bars, coloured by their 类."""
    rows = [
        i for i in items if i.get("code") and len(i["code"]) == 5 and i.get("total") is not None
    ]
    classes = {i["code"]: i["name"] for i in items if i.get("code") and len(i["code"]) == 3}
    rows.sort(key=lambda r: _num(r["total"]))
    fig = go.Figure()
    for cls in sorted({r["code"][:3] for r in rows}):
        part = [r for r in rows if r["code"][:3] == cls]
        fig.add_bar(
            orientation="h",
            name=f"{cls} {classes.get(cls, '')}".strip(),
            y=[f"{r['code']} {r['name']}" for r in part],
            x=[_num(r["total"]) for r in part],
            hovertemplate="%{y}<br>%{x:,.2f} " + _("万元") + "<extra></extra>",
        )
    fig.update_layout(
        barmode="relative",
        xaxis={"title": _("万元"), "tickformat": ",.2f"},
        yaxis={"categoryorder": "total ascending"},
    )
    return _layout(fig, height=max(300, 22 * len(rows) + 80))


def execution_rate(rows: Sequence[Mapping[str, Any]]) -> go.Figure:
    """决算 / 预算 per functional item (only items that have both)."""
    rows = [r for r in rows if r.get("rate") is not None]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[f"{r['code']} {r['name']}" for r in rows],
            x=[float(r["rate"]) * 100 for r in rows],
            customdata=[[_num(r["budget"]), _num(r["final"])] for r in rows],
            hovertemplate="%{y}<br>"
            + _("执行率")
            + " %{x:.1f}%<br>"
            + _("预算")
            + " %{customdata[0]:,.2f} / "
            + _("决算")
            + " %{customdata[1]:,.2f} "
            + _("万元")
            + "<extra></extra>",
            marker={"color": ["#b42318" if float(r["rate"]) > 1 else "#175cd3" for r in rows]},
        )
    )
    fig.add_vline(x=100, line_dash="dot", line_color="#667085")
    fig.update_layout(xaxis={"title": "%", "ticksuffix": "%"}, yaxis={"autorange": "reversed"})
    return _layout(fig, height=max(300, 22 * len(rows) + 80))


def rate(final: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """决算 / 预算, or None when either is missing or the budget is zero."""
    if final is None or budget is None or budget == 0:
        return None
    return Decimal(final) / Decimal(budget)


def ranked_bars(rows: Sequence[Mapping[str, Any]], *, unit: str, title: str) -> go.Figure:
    """Departments ranked by the normalised value; flagged values are hatched."""
    rows = [r for r in rows if r.get("normalised") is not None]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[r["department"] for r in rows],
            x=[float(r["normalised"]) for r in rows],
            customdata=[[r.get("value"), r.get("rank")] for r in rows],
            marker={
                "color": ["#b54708" if r.get("flagged") else "#175cd3" for r in rows],
                "pattern": {"shape": ["/" if r.get("flagged") else "" for r in rows]},
            },
            hovertemplate="#%{customdata[1]} %{y}<br>%{x:,.2f} " + unit + "<extra></extra>",
        )
    )
    fig.update_layout(yaxis={"autorange": "reversed"}, xaxis={"title": unit, "tickformat": ",.2f"})
    return _layout(fig, title=title, height=max(260, 26 * len(rows) + 90))


def structure_heatmap(structure: Mapping[str, Any]) -> go.Figure:
    """Departments × functional classes, each cell the class's share of the department."""
    departments, codes = structure["departments"], structure["codes"]
    z = [[structure["shares"][d].get(c) for c in codes] for d in departments]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=structure["names"],
            y=departments,
            colorscale="Reds",
            zmin=0,
            zmax=100,
            hovertemplate="%{y}<br>%{x}<br>%{z:.1f}%<extra></extra>",
            colorbar={"title": "%"},
        )
    )
    fig.update_layout(yaxis={"autorange": "reversed"}, xaxis={"tickangle": -30})
    return _layout(fig, height=max(300, 28 * len(departments) + 160))


def structure_stacked(structure: Mapping[str, Any]) -> go.Figure:
    """The same shares as stacked 100% bars."""
    fig = go.Figure()
    for code, name in zip(structure["codes"], structure["names"], strict=True):
        fig.add_bar(
            orientation="h",
            name=name,
            y=structure["departments"],
            x=[structure["shares"][d].get(code, 0) for d in structure["departments"]],
            hovertemplate="%{y}<br>" + name + " %{x:.1f}%<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        yaxis={"autorange": "reversed"},
        xaxis={"ticksuffix": "%", "range": [0, 100]},
    )
    return _layout(fig, height=max(300, 28 * len(structure["departments"]) + 120))


def over_time(history: Mapping[str, Sequence[tuple[int, Any]]], *, unit: str) -> go.Figure:
    """The measure over the years, one line per department; gaps stay gaps."""
    fig = go.Figure()
    for name, points in history.items():
        fig.add_scatter(
            name=name,
            mode="lines+markers",
            x=[y for y, _ in points],
            y=[float(v) if v is not None else None for _, v in points],
            connectgaps=False,
            hovertemplate=name + "<br>%{x}: %{y:,.2f} " + unit + "<extra></extra>",
        )
    fig.update_layout(xaxis={"dtick": 1, "title": ""}, yaxis={"title": unit, "tickformat": ",.2f"})
    return _layout(fig, height=360)
