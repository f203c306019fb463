"""Validation of extracted figures (EXTRACTION.md "checks").

* every classification parent equals the sum of its children;
* basic + project = total on each item that has those columns;
* totals equal the sum of their parts (收入总计 = 本年收入 + 上年结转, …);
* the department's functional 类 rows add up to its 本年支出合计, the economic 类 rows
  to its 基本支出.

Differences of at most 0.01 per summed item are rounding and give no check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from .classification import classification_level
from .types import Check, LineItem, ParsedDisclosure

__all__ = [
    "SUMS",
    "THREE_PUBLIC_ITEMS",
    "TOLERANCE_PER_ITEM",
    "VALIDATION_RULES",
    "check_items",
    "check_totals",
    "is_outside_classification",
    "top_level_rows",
    "validate",
    "within",
]

TOLERANCE_PER_ITEM = Decimal("0.01")
# Expenditure rows that belong to the total but to no 类 (单位预留机动经费, 待分配资金):
# kept as items without a code, and counted with the 类 rows against the total.
_OUTSIDE_CLASSIFICATION = re.compile(r"预留|机动(?:经费|费|资金)|待分配|未分配")


def is_outside_classification(name: str) -> bool:
    """Whether a row name is a reserve or unallocated amount outside the classification."""
    return bool(_OUTSIDE_CLASSIFICATION.search(name))


def top_level_rows(items: Sequence[LineItem]) -> list[tuple[int, Decimal]]:
    """(index, total) of the rows that add up to a list's total: every 类 row and every
    row outside the classification (see :func:`is_outside_classification`)."""
    return [
        (i, item.total)
        for i, item in enumerate(items)
        if item.total is not None
        and (
            classification_level(item.code) == 1
            or (item.code is None and is_outside_classification(item.name))
        )
    ]


def within(total: Decimal, parts: Sequence[Decimal], slack_items: int | None = None) -> bool:
    """Whether ``total`` equals the sum of ``parts`` up to rounding (0.01 per item)."""
    n = slack_items if slack_items is not None else max(len(parts), 1)
    return abs(total - sum(parts, Decimal(0))) <= TOLERANCE_PER_ITEM * n + Decimal("0.000001")


def _fmt(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def check_items(items: Sequence[LineItem], path: str, with_columns: bool = False) -> list[Check]:
    """Parent = sum of children and basic + project = total within one list."""
    checks: list[Check] = []
    index = {item.code: i for i, item in enumerate(items) if item.code}
    for i, item in enumerate(items):
        code, amount = item.code, item.total
        if not code or amount is None:
            continue
        # Nearest descendants present: 款 under a 类, else 项 directly.
        children: list[tuple[str, Decimal]] = []
        for width in (len(code) + 2, len(code) + 4):
            children = [
                (c.code, c.total)
                for c in items
                if c.code
                and len(c.code) == width
                and c.code.startswith(code)
                and c.total is not None
            ]
            if width == len(code) + 4:
                # Skip 项 whose 款 is listed: they are counted through the 款.
                children = [(cc, t) for cc, t in children if cc[: len(code) + 2] not in index]
            if children:
                break
        child_totals = [t for _, t in children]
        if child_totals and not within(amount, child_totals):
            total = sum(child_totals, Decimal(0))
            checks.append(
                Check(
                    "warning",
                    "children_sum",
                    f"{code} {item.name} 为 {_fmt(amount)}，下级科目合计 {_fmt(total)}，"
                    f"相差 {_fmt(amount - total)}。",
                    f"{path}[{i}]",
                )
            )
        if with_columns and (item.basic is not None or item.project is not None):
            parts = [item.basic or Decimal(0), item.project or Decimal(0)]
            if not within(amount, parts, slack_items=2):
                checks.append(
                    Check(
                        "warning",
                        "basic_plus_project",
                        f"{code} {item.name}：基本支出 + 项目支出 = {_fmt(sum(parts, Decimal(0)))}，"
                        f"合计为 {_fmt(amount)}。",
                        f"{path}[{i}]",
                    )
                )
    return checks


_SUMS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("grand_total", ("income_total", "carryover_income"), "收入总计 = 本年收入合计 + 上年结转"),
    ("grand_total", ("expenditure_total", "carryforward"), "支出总计 = 本年支出合计 + 结转下年"),
    (
        "expenditure_total",
        ("basic_expenditure", "project_expenditure"),
        "本年支出合计 = 基本支出 + 项目支出",
    ),
    (
        "basic_expenditure",
        ("personnel_expenditure", "public_expenditure"),
        "基本支出 = 人员经费 + 公用经费",
    ),
)
_THREE_PUBLIC = ("overseas", "vehicle_purchase", "vehicle_operation", "reception")


_THREE_PUBLIC_NAMES = {
    "overseas": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费",
}


def _check_three_public(three_public: Mapping[str, Decimal | None]) -> list[Check]:
    """三公 total = the sum of its four items (会议费 / 培训费 are never part of it).

    An item that is not stated does not switch the check off: items already stated
    that add up to more than the total contradict it."""
    total = three_public.get("total")
    values = {k: three_public.get(k) for k in _THREE_PUBLIC}
    parts = [v for v in values.values() if v is not None]
    if total is None or not parts:
        return []
    stated = sum(parts, Decimal(0))
    missing = [_THREE_PUBLIC_NAMES[k] for k, v in values.items() if v is None]
    if not missing:
        if within(total, parts):
            return []
        message = f"“三公”经费合计 {_fmt(total)} 不等于各项之和 {_fmt(stated)}。"
    elif stated > total and not within(total, parts):
        message = (
            f"“三公”经费合计 {_fmt(total)} 小于已列出的各项之和 {_fmt(stated)}"
            f"（{'、'.join(missing)}未列出）。"
        )
    else:
        return []
    return [Check("warning", "three_public_sum", message, "three_public.total")]


def check_totals(
    totals: Mapping[str, Decimal | None],
    three_public: Mapping[str, Decimal | None],
    functional: Mapping[str, Sequence[LineItem]],
    economic: Mapping[str, Sequence[LineItem]],
) -> list[Check]:
    """Totals against their parts, where every part is stated."""
    checks: list[Check] = []
    for whole, parts, words in _SUMS:
        total = totals.get(whole)
        values = [totals.get(p) for p in parts]
        if total is None or any(v is None for v in values):
            continue
        if not within(total, values):  # type: ignore[arg-type]
            checks.append(
                Check(
                    "warning",
                    "totals_sum",
                    f"{words} 不成立：{_fmt(total)} ≠ {' + '.join(_fmt(v) for v in values)}。",  # type: ignore[arg-type]
                    f"totals.{whole}",
                )
            )
    # Sources of this year's income cannot exceed it.
    income = totals.get("income_total")
    sources = [
        totals.get(k)
        for k in ("general_public_budget_income", "government_fund_income", "state_capital_income")
    ]
    stated = [s for s in sources if s is not None]
    if income is not None and stated and sum(stated, Decimal(0)) > income + TOLERANCE_PER_ITEM * 3:
        checks.append(
            Check(
                "warning",
                "totals_sum",
                f"各项财政拨款收入合计 {_fmt(sum(stated, Decimal(0)))} 大于本年收入合计 "
                f"{_fmt(income)}。",
                "totals.income_total",
            )
        )
    checks.extend(_check_three_public(three_public))
    dept = functional.get("department") or ()
    classes = [total for _, total in top_level_rows(dept)]
    exp = totals.get("expenditure_total")
    if classes and exp is not None and not within(exp, classes):
        checks.append(
            Check(
                "warning",
                "functional_vs_total",
                f"部门支出表各类合计 {_fmt(sum(classes, Decimal(0)))} 不等于本年支出合计 "
                f"{_fmt(exp)}。",
                "functional.department",
            )
        )
    econ = [
        i.total
        for i in economic.get("basic", ())
        if i.code and len(i.code) == 3 and i.total is not None
    ]
    basic = totals.get("basic_expenditure")
    if econ and basic is not None and not within(basic, econ):
        checks.append(
            Check(
                "warning",
                "economic_vs_total",
                f"基本支出经济分类各类合计 {_fmt(sum(econ, Decimal(0)))} 不等于基本支出 "
                f"{_fmt(basic)}。",
                "economic.basic",
            )
        )
    return checks


# Rules this module computes from the values alone; after a person corrects a value they
# are recomputed by :func:`validate` (other rules need the document and are kept).
VALIDATION_RULES = frozenset(
    {
        "children_sum",
        "basic_plus_project",
        "totals_sum",
        "three_public_sum",
        "functional_vs_total",
        "economic_vs_total",
    }
)


def validate(parsed: ParsedDisclosure) -> list[Check]:
    """Every arithmetic check over a whole disclosure (items and totals)."""
    checks: list[Check] = []
    for group, lists in (("functional", parsed.functional), ("economic", parsed.economic)):
        for scope, items in lists.items():
            columns = any(i.basic is not None or i.project is not None for i in items)
            checks.extend(check_items(items, f"{group}.{scope}", with_columns=columns))
    checks.extend(
        check_totals(parsed.totals, parsed.three_public, parsed.functional, parsed.economic)
    )
    return checks


# The relations above, for :mod:`.confirm` (a holding relation confirms its figures).
SUMS = _SUMS
THREE_PUBLIC_ITEMS = _THREE_PUBLIC
