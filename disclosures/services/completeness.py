"""Disclosure completeness: which standard tables and explanations a disclosure contains."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import ChecklistItem, Disclosure


@dataclass(frozen=True)
class CompletenessRow:
    key: str
    label: str
    state: str  # "present" | "stated_none" | "missing"
    evidence: str


def completeness(disclosure: Disclosure, items=None) -> tuple[list[CompletenessRow], float | None]:
    """Which checklist tables/explanations the disclosure contains, and a 0–100 score.

    A table counts when a title or paragraph matches one of its patterns; an explicit
    statement that the department has none (无政府性基金预算) counts as disclosed too.
    """
    items = items if items is not None else list(ChecklistItem.objects.filter(active=True))
    lines = disclosure.outline or []
    rows = []
    for item in items:
        if disclosure.kind and not item.applies_to(disclosure.kind):
            continue
        state, evidence = "missing", ""
        for kind, source in (("present", item.patterns), ("stated_none", item.statement_patterns)):
            patterns = [re.compile(p) for p in source.splitlines() if p.strip()]
            hit = next((line for line in lines if any(p.search(line) for p in patterns)), None)
            if hit is not None:
                state, evidence = kind, hit[:120]
                break
        rows.append(CompletenessRow(item.key, item.label, state, evidence))
    if not rows or not lines:
        return rows, None
    done = sum(1 for r in rows if r.state != "missing")
    return rows, round(100 * done / len(rows), 1)
