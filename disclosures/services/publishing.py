"""Publishing: publish, unpublish, supersede, and the pending result of a re-parse.

Publication is its own state (``Disclosure.publication``): the parse pipeline never
changes it, so a published disclosure stays public while it is re-parsed, and stays
public if that re-parse fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import Classification, FigureGroup, Publication, Severity
from ..models import Disclosure
from .cache import bump_generation
from .corrections import current_value, item_key, parser_value
from .dictionary import record_printed_codes
from .pipeline import store_payload


class PublishBlocked(Exception):
    """Publishing needs the reviewer's explicit acknowledgement of error-level checks."""


def publish(disclosure: Disclosure, *, user=None, acknowledge_errors: bool = False) -> None:
    """Make a parsed disclosure public; it replaces any older published disclosure of the
    same department, year and kind (kept in history, no longer shown publicly)."""
    has_errors = disclosure.checks.filter(severity=Severity.ERROR).exists()
    if has_errors and not acknowledge_errors:
        raise PublishBlocked(_("这份文件仍有错误级校验结果，发布前须确认知悉这些不一致。"))
    with transaction.atomic():
        if disclosure.department_id and disclosure.fiscal_year and disclosure.kind:
            # First the one it replaces (the database allows one published disclosure per
            # department, year and kind at any moment), then this one.
            Disclosure.objects.published().filter(
                department_id=disclosure.department_id,
                fiscal_year=disclosure.fiscal_year,
                kind=disclosure.kind,
            ).exclude(pk=disclosure.pk).update(
                publication=Publication.SUPERSEDED, superseded_by=disclosure
            )
        Disclosure.objects.filter(pk=disclosure.pk).update(
            publication=Publication.PUBLISHED,
            published_at=timezone.now(),
            published_by=user if getattr(user, "is_authenticated", False) else None,
            published_with_errors=has_errors,
            superseded_by=None,
        )
        # The codes its tables print join the classification dictionary for its year.
        record_printed_codes(disclosure)
        transaction.on_commit(bump_generation)
    disclosure.refresh_from_db()


def unpublish(disclosure: Disclosure) -> None:
    """Take a disclosure off the public pages; the latest one it replaced comes back."""
    with transaction.atomic():
        Disclosure.objects.filter(pk=disclosure.pk).update(
            publication=Publication.DRAFT, published_with_errors=False
        )
        replaced = (
            Disclosure.objects.filter(superseded_by=disclosure, publication=Publication.SUPERSEDED)
            .order_by("-published_at", "-pk")
            .first()
        )
        if replaced is not None:
            Disclosure.objects.filter(pk=replaced.pk).update(
                publication=Publication.PUBLISHED, superseded_by=None
            )
        transaction.on_commit(bump_generation)
    disclosure.refresh_from_db()


# --- Re-parse of published data ---------------------------------------------------------


@dataclass(frozen=True)
class PendingChange:
    field: str
    current: Any
    new: Any
    corrected: bool  # a person's correction keeps the current value


def pending_changes(disclosure: Disclosure) -> list[PendingChange]:
    """What confirming the waiting re-parse would change in published values."""
    pending = disclosure.pending_result
    if not pending:
        return []
    corrected = set(disclosure.corrections.values_list("field", flat=True))
    fields = [f"meta.{name}" for name in ("fiscal_year", "kind")]
    for group in FigureGroup.values:
        keys = set(pending.get(group) or {}) | set(
            disclosure.figures.filter(group=group).values_list("key", flat=True)
        )
        fields += [f"{group}.{k}" for k in sorted(keys)]
    for classification in Classification.values:
        scopes = set(pending.get(classification) or {}) | set(
            disclosure.line_items.filter(classification=classification).values_list(
                "scope", flat=True
            )
        )
        for scope in sorted(scopes):
            item_keys = [
                item_key(i.get("code"), i.get("name") or "")
                for i in (pending.get(classification) or {}).get(scope, [])
            ]
            item_keys += [
                item_key(c, n)
                for c, n in disclosure.line_items.filter(
                    classification=classification, scope=scope
                ).values_list("code", "name")
            ]
            fields += [f"{classification}.{scope}.{k}" for k in dict.fromkeys(item_keys)]
    changes = []
    for field in fields:
        now, new = current_value(disclosure, field), parser_value(pending, field)
        if field in corrected:
            if parser_value(disclosure.parse_result, field) != new:
                changes.append(PendingChange(field, now, new, corrected=True))
            continue
        if now != new:
            changes.append(PendingChange(field, now, new, corrected=False))
    return changes


def apply_pending(disclosure: Disclosure) -> None:
    """An admin confirmed: the waiting re-parse replaces the published values (people's
    corrections are re-applied on top)."""
    if not disclosure.pending_result:
        return
    store_payload(disclosure, disclosure.pending_result)


def discard_pending(disclosure: Disclosure) -> None:
    Disclosure.objects.filter(pk=disclosure.pk).update(pending_result=None)
    disclosure.refresh_from_db()
