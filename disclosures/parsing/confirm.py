"""Which figures a passing check confirms.

Every extracted figure either takes part in at least one arithmetic or cross-source
relation that holds — it is *confirmed* — or it is marked unconfirmed in its provenance,
so a reviewer (and a public viewer) knows no check stands behind it. The relations are
the ones :mod:`.checks` tests (a failing one is a check; a holding one confirms), plus
agreement between two independent statements of the same figure (a table and a sentence,
or two tables) found by the extractor.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from .checks import SUMS, THREE_PUBLIC_ITEMS, top_level_rows, within
from .classification import classification_level
from .types import LineItem, ParsedDisclosure, Source

__all__ = ["FIGURE_GROUPS", "confirmed_paths", "mark_confirmed", "unconfirmed_paths"]

FIGURE_GROUPS = ("totals", "three_public", "assets")
ITEM_GROUPS = ("functional", "economic")


def _item_relations(items: Sequence[LineItem], path: str) -> Iterable[str]:
    """Paths of items in a holding parent = Σ children or basic + project = total."""
    index = {item.code: i for i, item in enumerate(items) if item.code}
    for i, item in enumerate(items):
        code, amount = item.code, item.total
        if not code or amount is None:
            continue
        level = classification_level(code)
        for width in (len(code) + 2, len(code) + 4):
            children = [
                (j, c.total)
                for j, c in enumerate(items)
                if c.code
                and len(c.code) == width
                and c.code.startswith(code)
                and c.total is not None
                and (width == len(code) + 2 or c.code[: len(code) + 2] not in index)
            ]
            if children:
                if level is not None and within(amount, [t for _, t in children]):
                    yield f"{path}[{i}]"
                    yield from (f"{path}[{j}]" for j, _ in children)
                break
        if item.basic is not None and item.project is not None:
            if within(amount, [item.basic, item.project], slack_items=2):
                yield f"{path}[{i}]"


def _total_relations(
    totals: Mapping[str, Decimal | None],
    three_public: Mapping[str, Decimal | None],
    functional: Mapping[str, Sequence[LineItem]],
    economic: Mapping[str, Sequence[LineItem]],
) -> Iterable[str]:
    for whole, parts, _words in SUMS:
        total, values = totals.get(whole), [totals.get(p) for p in parts]
        if total is None or any(v is None for v in values):
            continue
        stated = [v for v in values if v is not None]
        if within(total, stated):
            yield f"totals.{whole}"
            yield from (f"totals.{p}" for p in parts)
    tp_total = three_public.get("total")
    tp_values = [three_public.get(k) for k in THREE_PUBLIC_ITEMS]
    tp_stated = [v for v in tp_values if v is not None]
    if tp_total is not None and len(tp_stated) == len(tp_values) and within(tp_total, tp_stated):
        yield "three_public.total"
        yield from (f"three_public.{k}" for k in THREE_PUBLIC_ITEMS)
    for scope_items, key, prefix in (
        (functional.get("department", ()), "expenditure_total", "functional.department"),
        (economic.get("basic", ()), "basic_expenditure", "economic.basic"),
    ):
        stated_total = totals.get(key)
        classes = top_level_rows(scope_items)  # 类 rows and rows outside the classification
        if stated_total is not None and classes and within(stated_total, [t for _, t in classes]):
            yield f"totals.{key}"
            yield from (f"{prefix}[{i}]" for i, _ in classes)


def confirmed_paths(parsed: ParsedDisclosure, corroborated: Iterable[str] = ()) -> set[str]:
    """Field paths that take part in at least one holding relation."""
    paths = set(corroborated)
    for group, lists in (("functional", parsed.functional), ("economic", parsed.economic)):
        for scope, items in lists.items():
            paths.update(_item_relations(items, f"{group}.{scope}"))
    paths.update(
        _total_relations(parsed.totals, parsed.three_public, parsed.functional, parsed.economic)
    )
    return paths


def _figure_paths(parsed: ParsedDisclosure) -> Iterable[str]:
    for group in FIGURE_GROUPS:
        values: Mapping[str, object] = getattr(parsed, group)
        yield from (f"{group}.{k}" for k, v in values.items() if v is not None)
    for group in ITEM_GROUPS:
        lists: Mapping[str, Sequence[LineItem]] = getattr(parsed, group)
        for scope, items in lists.items():
            yield from (f"{group}.{scope}[{i}]" for i in range(len(items)))


def unconfirmed_paths(parsed: ParsedDisclosure, confirmed: set[str]) -> list[str]:
    """Every stated figure no holding relation involves, in document-field order."""
    return [p for p in _figure_paths(parsed) if p not in confirmed]


def mark_confirmed(parsed: ParsedDisclosure, corroborated: Iterable[str] = ()) -> ParsedDisclosure:
    """The same disclosure with ``confirmed`` set on the provenance of every figure."""
    corroborated = set(corroborated)
    confirmed = confirmed_paths(parsed, corroborated)
    provenance = dict(parsed.provenance)
    for path in _figure_paths(parsed):
        source = provenance.get(path) or Source(text="")
        provenance[path] = dataclasses.replace(
            source, confirmed=path in confirmed, corroborated=path in corroborated
        )
    return dataclasses.replace(parsed, provenance=provenance)
