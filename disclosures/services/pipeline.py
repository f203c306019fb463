"""The parse pipeline: enqueue, claim, run the parser, store the result, sweep.

The row's ``status`` is the truth about where a file is in this pipeline; publication is
a separate state that nothing here changes (a re-parse of published data waits in
``pending_result`` until an admin confirms it).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .. import parsing
from ..choices import Classification, FigureGroup, Status
from ..models import Disclosure, Figure, LineItem, ParseCheck, classification_level
from .cache import bump_generation
from .corrections import apply_corrections, to_decimal
from .matching import match_department

log = logging.getLogger(__name__)

PARSE_TASK = "disclosures.tasks.parse_disclosure"


def enqueue_parse(disclosure: Disclosure) -> None:
    """Mark the row queued and send the task once the surrounding transaction commits."""
    now = timezone.now()
    Disclosure.objects.filter(pk=disclosure.pk).update(
        status=Status.QUEUED, queued_at=now, progress=0, error_code="", error_params={}
    )
    disclosure.status, disclosure.queued_at, disclosure.progress = Status.QUEUED, now, 0
    pk = disclosure.pk
    transaction.on_commit(lambda: send_parse_task(pk))


def send_parse_task(disclosure_id: int) -> bool:
    """Send the parse task; if the broker is unreachable the row simply stays queued and the
    periodic sweep sends it again later — the upload itself has already succeeded.

    The one place a parse is sent. The task is looked up by name in the Celery app's
    registry, so this module does not import ``tasks`` (which imports this module)."""
    task = current_app.tasks[PARSE_TASK]
    try:
        task.delay(disclosure_id)
    except Exception as exc:  # kombu/redis/amqp errors vary by transport
        if getattr(current_app.conf, "task_always_eager", False):
            raise  # in-process: the exception is the task's own, not the broker's
        log.warning("could not queue disclosure %s (%s); the sweep will retry", disclosure_id, exc)
        return False
    return True


def claim(disclosure_id: int) -> bool:
    """Move a queued row to parsing; False if someone else has it."""
    return _claim(disclosure_id) is not None


def _claim(disclosure_id: int) -> int | None:
    """Claim the row; returns this attempt's number, which owns the row: a later write by
    an older attempt (a worker that stalled while the sweep gave the row to another) is
    ignored, so it never overwrites the state of the attempt that owns the row."""
    changed = Disclosure.objects.filter(
        pk=disclosure_id, status__in=[Status.QUEUED, Status.UPLOADED]
    ).update(
        status=Status.PARSING,
        parse_started_at=timezone.now(),
        progress=1,
        error_code="",
        error_params={},
        attempts=F("attempts") + 1,
    )
    if changed != 1:
        return None
    return Disclosure.objects.filter(pk=disclosure_id).values_list("attempts", flat=True).get()


def _set_progress(disclosure_id: int, percent: int) -> None:
    Disclosure.objects.filter(pk=disclosure_id, status=Status.PARSING).update(
        progress=max(1, min(99, int(percent)))
    )


def run_parse(disclosure_id: int) -> Disclosure | None:
    """Claim the row, parse its file and store the result; the row records any failure.

    A ParseError (bad file) marks the row failed with the parser's plain-words message
    and is never retried. Database or storage trouble is transient: the row goes back to
    queued and the exception propagates so the task can retry.
    """
    attempt = _claim(disclosure_id)
    if attempt is None:
        log.info("disclosure %s not claimable (already taken or finished)", disclosure_id)
        return None
    disclosure = Disclosure.objects.get(pk=disclosure_id)
    try:
        with disclosure.file.open("rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return _fail(disclosure, attempt, "file_missing")
    except OSError:
        _requeue_after_transient(disclosure_id)
        raise
    try:
        result = parsing.parse(
            data,
            disclosure.original_name,
            progress=lambda p: _set_progress(disclosure_id, p),
        )
    except parsing.ParseError as exc:
        return _fail(disclosure, attempt, exc.code, **exc.params)
    except SoftTimeLimitExceeded:
        return _fail(disclosure, attempt, "timeout", limit=settings.CELERY_TASK_SOFT_TIME_LIMIT)
    except MemoryError:
        # The parse hit the worker's address-space limit (config/celery_app.py): the file
        # is too large or built to exhaust memory. The worker lives on; the row says why.
        log.warning("disclosure %s exhausted the parse memory limit", disclosure_id)
        return _fail(disclosure, attempt, "too_large_or_malformed")
    except DatabaseError:
        _requeue_after_transient(disclosure_id)
        raise
    except Exception:  # a parser bug must not leave the row in parsing forever
        log.exception("parser crashed on disclosure %s", disclosure_id)
        return _fail(disclosure, attempt, "crashed")
    try:
        store_result(disclosure, result, attempt=attempt)
    except DatabaseError:
        _requeue_after_transient(disclosure_id)
        raise
    disclosure.refresh_from_db()
    return disclosure


def _requeue_after_transient(disclosure_id: int) -> None:
    """Give the row back to the queue so the task's retry can claim it again."""
    if not connection.in_atomic_block:
        # The connection that failed may be dead; the retry needs the row put back over a
        # fresh one (Django reconnects on the next query), not left in "parsing" until
        # the sweep.
        connection.close()
    try:
        Disclosure.objects.filter(pk=disclosure_id, status=Status.PARSING).update(
            status=Status.QUEUED, queued_at=timezone.now()
        )
    except DatabaseError:  # the database itself is what failed; the sweep will find the row
        log.warning("could not put disclosure %s back to queued", disclosure_id)


def _fail(disclosure: Disclosure, attempt: int, code: str, **params: Any) -> Disclosure:
    """Mark the row failed with the reason as a code and its parameters (see
    ``parsing.errors.MESSAGES``); the words are translated when shown. Publication is
    untouched: a published disclosure whose re-parse fails stays public as it was."""
    Disclosure.objects.filter(pk=disclosure.pk, status=Status.PARSING, attempts=attempt).update(
        status=Status.FAILED,
        error_code=code,
        error_params=params,
        progress=0,
        parsed_at=timezone.now(),
    )
    disclosure.refresh_from_db()
    return disclosure


def store_result(
    disclosure: Disclosure, result: parsing.ParsedDisclosure, *, attempt: int | None = None
) -> None:
    """Store a fresh parse. A published disclosure keeps its public values until an admin
    confirms the changes (the parse waits in ``pending_result``); otherwise the parse
    replaces the stored content at once, with people's corrections re-applied."""
    payload = result.to_dict()
    payload["parser_version"] = result.parser_version or parsing.PARSER_VERSION
    payload["pages"] = result.pages
    payload["outline"] = list(result.outline)
    owned = {"status": Status.PARSING, "attempts": attempt} if attempt is not None else {}
    if disclosure.is_published:
        Disclosure.objects.filter(pk=disclosure.pk, **owned).update(
            pending_result=payload,
            status=Status.PARSED,
            progress=100,
            error_code="",
            error_params={},
            parsed_at=timezone.now(),
        )
        return
    store_payload(disclosure, payload, attempt=attempt)


def store_payload(
    disclosure: Disclosure, payload: dict[str, Any], *, attempt: int | None = None
) -> None:
    """Replace the disclosure's parsed content with ``payload`` (the disclosure/1 JSON)
    in one transaction, then re-apply corrections and re-run the checks."""
    provenance = payload.get("provenance", {})
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if attempt is not None and (locked.status, locked.attempts) != (Status.PARSING, attempt):
            log.warning("disclosure %s: attempt %s no longer owns the row", locked.pk, attempt)
            return
        locked.figures.all().delete()
        locked.line_items.all().delete()
        locked.checks.all().delete()

        figures = []
        for group in FigureGroup.values:
            for key, value in (payload.get(group) or {}).items():
                src = provenance.get(f"{group}.{key}") or {}
                figures.append(
                    Figure(
                        disclosure=locked,
                        group=group,
                        key=key,
                        value=to_decimal(value),
                        page=src.get("page"),
                        source_text=src.get("text", ""),
                        source=src,
                        confirmed=src.get("confirmed"),
                    )
                )
        Figure.objects.bulk_create(figures)

        items = []
        for classification in Classification.values:
            for scope, rows in (payload.get(classification) or {}).items():
                for position, item in enumerate(rows):
                    src = provenance.get(f"{classification}.{scope}[{position}]") or {}
                    items.append(
                        LineItem(
                            disclosure=locked,
                            classification=classification,
                            scope=scope,
                            position=position,
                            code=item.get("code"),
                            level=classification_level(item.get("code")),
                            name=(item.get("name") or "")[:128],
                            total=to_decimal(item.get("total")),
                            basic=to_decimal(item.get("basic")),
                            project=to_decimal(item.get("project")),
                            page=src.get("page"),
                            source_text=src.get("text", ""),
                            confirmed=src.get("confirmed"),
                        )
                    )
        LineItem.objects.bulk_create(items, batch_size=1000)
        ParseCheck.objects.bulk_create(ParseCheck.rows_for(locked, payload.get("checks", [])))

        region = payload.get("region") or {}
        department = match_department(
            payload.get("department"),
            parsing.types.Region(
                province=region.get("province"),
                city=region.get("city"),
                county=region.get("county"),
            ),
        )
        locked.department = department or locked.department
        locked.fiscal_year = payload.get("fiscal_year")
        locked.kind = payload.get("kind") or ""
        locked.pages = payload.get("pages")
        locked.outline = payload.get("outline") or []
        locked.detected_department = (payload.get("department") or "")[:128]
        locked.detected_region = region
        locked.parse_result = payload
        locked.pending_result = None
        locked.parser_version = payload.get("parser_version") or parsing.PARSER_VERSION
        locked.status = Status.PARSED
        locked.progress = 100
        locked.error_code = ""
        locked.error_params = {}
        locked.parsed_at = timezone.now()
        locked.save()
        apply_corrections(locked)
        transaction.on_commit(bump_generation)


def reparse(disclosure: Disclosure) -> bool:
    """Queue a stored file to be parsed again (after a failure, or a parser upgrade).
    False, and nothing queued, while it is already queued or being parsed."""
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if locked.status in (Status.QUEUED, Status.PARSING):
            return False
        enqueue_parse(disclosure)
    return True


def sweep_stuck(older_than: timedelta | None = None) -> list[int]:
    """Re-queue rows stuck in uploaded/queued/parsing; fail those out of attempts."""
    older_than = older_than or timedelta(seconds=settings.YUJUE_STUCK_AFTER_SECONDS)
    requeued: list[int] = []
    for disclosure in Disclosure.objects.stuck(older_than).order_by("pk")[:500]:
        if disclosure.attempts >= settings.YUJUE_MAX_PARSE_ATTEMPTS:
            Disclosure.objects.filter(pk=disclosure.pk, status=disclosure.status).update(
                status=Status.FAILED,
                error_code="gave_up",
                error_params={"attempts": disclosure.attempts},
            )
            continue
        with transaction.atomic():
            updated = Disclosure.objects.filter(pk=disclosure.pk, status=disclosure.status).update(
                status=Status.QUEUED, queued_at=timezone.now(), progress=0
            )
            if updated:
                pk = disclosure.pk
                transaction.on_commit(partial(send_parse_task, pk))
                requeued.append(pk)
    return requeued
