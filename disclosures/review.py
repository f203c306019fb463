"""What the review screen shows for one disclosure: every value beside its source, the
checks that flag it, corrections, a waiting re-parse, completeness and what the viewer
may do. Reads only; the view renders it."""

from __future__ import annotations

from typing import Any

from . import services
from .choices import Classification, FigureGroup, Scope, Severity
from .forms import DepartmentCreateForm
from .labels import figure_label
from .models import Disclosure
from .permissions import Action, can

# Where an item may be added: the scopes the parser fills.
ADDABLE_SCOPES = (
    (Classification.FUNCTIONAL, Scope.DEPARTMENT),
    (Classification.FUNCTIONAL, Scope.GENERAL_BUDGET),
    (Classification.ECONOMIC, Scope.BASIC),
)


def _figures(disclosure: Disclosure, flagged: set[str]) -> list[dict[str, Any]]:
    rows = []
    for f in disclosure.figures.order_by("group", "id"):
        path = f"{f.group}.{f.key}"
        rows.append(
            {
                "obj": f,
                "label": figure_label(f.group, f.key),
                "path": path,
                "field": path,
                "flagged": path in flagged,
            }
        )
    return rows


def _item_scopes(disclosure: Disclosure, flagged: set[str]) -> list[dict[str, Any]]:
    """Line items grouped by classification and scope, each with its check path (the
    position within its scope, as the parser's checks name it) and correction key."""
    by_scope: dict[tuple[str, str], list] = {}
    for row in disclosure.line_items.order_by("classification", "scope", "position"):
        by_scope.setdefault((row.classification, row.scope), []).append(row)
    scopes = []
    for (classification, scope), items in by_scope.items():
        entries = []
        for index, row in enumerate(items):
            path = f"{classification}.{scope}[{index}]"
            entries.append(
                {
                    "obj": row,
                    "path": path,
                    "flagged": path in flagged,
                    "field": f"{classification}.{scope}.{services.item_key(row.code, row.name)}",
                }
            )
        scopes.append(
            {
                "classification": classification,
                "scope": scope,
                "label": f"{Classification(classification).label} · {Scope(scope).label}",
                "items": entries,
            }
        )
    return scopes


def review_context(disclosure: Disclosure, user) -> dict[str, Any]:
    """Everything the review screen's template needs."""
    checks = list(disclosure.checks.all())
    flagged = {c.path for c in checks if c.path and c.severity != Severity.INFO}
    rows, score = services.completeness(disclosure)
    return {
        "object": disclosure,
        "checks": checks,
        "error_checks": [c for c in checks if c.severity == Severity.ERROR],
        "figures": _figures(disclosure, flagged),
        "unconfirmed": disclosure.figures.filter(confirmed=False).count()
        + disclosure.line_items.filter(confirmed=False).count(),
        "scopes": _item_scopes(disclosure, flagged),
        "corrections": disclosure.corrections.select_related("user"),
        # The newest correction when the page was drawn: a correction posted from it is
        # refused if someone changed the same field since (no silent last-write-wins).
        "seen": disclosure.corrections.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "pending": services.pending_changes(disclosure),
        "completeness": {"checks": rows, "score": score},
        "can_correct": can(user, Action.CORRECT, disclosure),
        "can_publish": can(user, Action.PUBLISH, disclosure),
        "can_reparse": can(user, Action.REPARSE, disclosure),
        "can_apply_reparse": can(user, Action.APPLY_REPARSE, disclosure),
        "department_form": DepartmentCreateForm(),
        "figure_groups": FigureGroup.choices,
        "scope_choices": [
            (f"{c}.{s}", f"{Classification(c).label} · {Scope(s).label}") for c, s in ADDABLE_SCOPES
        ],
    }
