"""Writes that touch several models: ingesting uploads, running a parse, storing results.

Every function here runs without Celery; ``tasks.py`` only wraps them.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from . import parsing
from .choices import Classification, FigureGroup, RegionLevel, Status
from .models import Department, Disclosure, Figure, LineItem, ParseCheck, Region

log = logging.getLogger(__name__)

CACHE_GENERATION_KEY = "yujue:data-generation"


class UploadRejected(Exception):
    """An upload that cannot be accepted; the message is shown to the user as is."""


@dataclass(frozen=True)
class IngestResult:
    disclosure: Disclosure
    created: bool  # False: the same bytes were uploaded before (matched by SHA-256)


def _max_upload_bytes() -> int:
    return settings.YUJUE_MAX_UPLOAD_MB * 1024 * 1024


def ingest_upload(fileobj: IO[bytes], original_name: str, *, user=None) -> IngestResult:
    """Store an uploaded file and queue its parse. Returns the existing row for a duplicate.

    The file is written to storage and the row committed before the task is queued
    (``transaction.on_commit``), so nothing uploaded is lost if the broker is down.
    """
    data = fileobj.read(_max_upload_bytes() + 1)
    if len(data) > _max_upload_bytes():
        raise UploadRejected(
            f"文件超过 {settings.YUJUE_MAX_UPLOAD_MB} MB 的上限，未保存。"
            f"（{original_name} is larger than {settings.YUJUE_MAX_UPLOAD_MB} MB.)"
        )
    if not data:
        raise UploadRejected(f"文件 {original_name} 是空的，未保存。")
    digest = hashlib.sha256(data).hexdigest()
    existing = Disclosure.objects.filter(sha256=digest).first()
    if existing is not None:
        return IngestResult(existing, created=False)
    try:
        fmt = parsing.detect_format(data, original_name)
    except parsing.ParseError as exc:
        raise UploadRejected(f"{original_name}：{exc}") from exc

    with transaction.atomic():
        disclosure = Disclosure(
            original_name=original_name[:255], format=fmt, sha256=digest, size=len(data),
            uploaded_by=user if user is not None and user.is_authenticated else None,
        )
        disclosure.file.save(f"{digest[:16]}.{_extension(fmt)}", ContentFile(data), save=False)
        disclosure.save()
        enqueue_parse(disclosure)
    return IngestResult(disclosure, created=True)


def _extension(fmt: str) -> str:
    return {"text": "txt"}.get(fmt, fmt)


def enqueue_parse(disclosure: Disclosure) -> None:
    """Mark the row queued and send the task once the surrounding transaction commits."""
    from .tasks import parse_disclosure

    now = timezone.now()
    Disclosure.objects.filter(pk=disclosure.pk).update(
        status=Status.QUEUED, queued_at=now, progress=0, error=""
    )
    disclosure.status, disclosure.queued_at, disclosure.progress = Status.QUEUED, now, 0
    pk = disclosure.pk
    transaction.on_commit(lambda: parse_disclosure.delay(pk))


def claim(disclosure_id: int) -> bool:
    """Move a queued (or failed, for re-parse) row to parsing; False if someone else has it."""
    changed = Disclosure.objects.filter(
        pk=disclosure_id, status__in=[Status.QUEUED, Status.UPLOADED]
    ).update(
        status=Status.PARSING, parse_started_at=timezone.now(), progress=1, error="",
        attempts=F("attempts") + 1,
    )
    return changed == 1


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
    if not claim(disclosure_id):
        log.info("disclosure %s not claimable (already taken or finished)", disclosure_id)
        return None
    disclosure = Disclosure.objects.get(pk=disclosure_id)
    try:
        with disclosure.file.open("rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return _fail(disclosure, "存储中找不到这个文件，请重新上传。(The stored file is missing.)")
    except OSError:
        _requeue_after_transient(disclosure_id)
        raise
    try:
        result = parsing.parse(
            data, disclosure.original_name,
            progress=lambda p: _set_progress(disclosure_id, p),
        )
    except parsing.ParseError as exc:
        return _fail(disclosure, str(exc))
    except DatabaseError:
        _requeue_after_transient(disclosure_id)
        raise
    except Exception:  # a parser bug must not leave the row in parsing forever
        log.exception("parser crashed on disclosure %s", disclosure_id)
        return _fail(
            disclosure,
            "解析程序内部出错，文件已保存，管理员修复后可重新解析。"
            "(The parser crashed; the file is kept and can be re-parsed.)",
        )
    try:
        store_result(disclosure, result)
    except DatabaseError:
        _requeue_after_transient(disclosure_id)
        raise
    disclosure.refresh_from_db()
    return disclosure


def _requeue_after_transient(disclosure_id: int) -> None:
    try:
        Disclosure.objects.filter(pk=disclosure_id, status=Status.PARSING).update(
            status=Status.QUEUED, queued_at=timezone.now()
        )
    except DatabaseError:  # the database itself is what failed; the sweep will find the row
        log.warning("could not put disclosure %s back to queued", disclosure_id)


def _fail(disclosure: Disclosure, message: str) -> Disclosure:
    Disclosure.objects.filter(pk=disclosure.pk).update(
        status=Status.FAILED, error=message, progress=0, parsed_at=timezone.now()
    )
    disclosure.refresh_from_db()
    return disclosure


def store_result(disclosure: Disclosure, result: parsing.ParsedDisclosure) -> None:
    """Replace the disclosure's parsed content with ``result`` in one transaction."""
    payload = result.to_dict()
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        locked.figures.all().delete()
        locked.line_items.all().delete()
        locked.checks.all().delete()

        provenance = result.provenance
        figures = []
        for group, values in (
            (FigureGroup.TOTALS, result.totals),
            (FigureGroup.THREE_PUBLIC, result.three_public),
            (FigureGroup.ASSETS, result.assets),
        ):
            for key, value in values.items():
                src = provenance.get(f"{group}.{key}")
                figures.append(Figure(
                    disclosure=locked, group=group, key=key,
                    value=None if value is None else Decimal(value),
                    page=src.page if src else None, source_text=src.text if src else "",
                    source=src.to_dict() if src else {},
                ))
        Figure.objects.bulk_create(figures)

        items = []
        for classification, scopes in (
            (Classification.FUNCTIONAL, result.functional),
            (Classification.ECONOMIC, result.economic),
        ):
            for scope, rows in scopes.items():
                for position, item in enumerate(rows):
                    src = item.source or provenance.get(f"{classification}.{scope}[{position}]")
                    items.append(LineItem(
                        disclosure=locked, classification=classification, scope=scope,
                        position=position, code=item.code, level=_level(item.code),
                        name=item.name[:128], total=item.total, basic=item.basic,
                        project=item.project,
                        page=src.page if src else None, source_text=src.text if src else "",
                    ))
        LineItem.objects.bulk_create(items, batch_size=1000)
        ParseCheck.objects.bulk_create([
            ParseCheck(disclosure=locked, severity=c.severity, rule=c.rule,
                       message=c.message, path=c.path or "")
            for c in result.checks
        ])

        department = match_department(result.department, result.region)
        locked.department = department or locked.department
        locked.fiscal_year = result.fiscal_year
        locked.kind = result.kind or ""
        locked.pages = result.pages
        locked.detected_department = (result.department or "")[:128]
        locked.detected_region = payload["region"]
        locked.parse_result = payload
        locked.parser_version = result.parser_version or parsing.PARSER_VERSION
        locked.status = Status.PUBLISHED if locked.published else Status.NEEDS_REVIEW
        locked.progress = 100
        locked.error = ""
        locked.parsed_at = timezone.now()
        locked.save()
        transaction.on_commit(bump_generation)


def _level(code: str | None) -> int | None:
    return {3: 1, 5: 2, 7: 3}.get(len(code)) if code and code.isdigit() else None


def ensure_region(region: parsing.types.Region) -> Region | None:
    """The Region row for a parsed region: by division code when the gazetteer is loaded,
    else found or created by names (province → city → county)."""
    if region.code:
        found = Region.objects.filter(code=region.code).first()
        if found is not None:
            return found
    parent: Region | None = None
    for level, name in (
        (RegionLevel.PROVINCE, region.province),
        (RegionLevel.CITY, region.city),
        (RegionLevel.COUNTY, region.county),
    ):
        if not name or (parent is not None and parent.name == name):
            continue  # 重庆市 is both province and city: one row
        parent, _ = Region.objects.get_or_create(
            parent=parent, name=name, defaults={"level": level}
        )
    if parent is not None and region.code and not parent.code:
        parent.code = region.code
        parent.save(update_fields=["code"])
    return parent


def department_category(name: str, region: Region | None) -> str:
    """The kind of department, e.g. 人力资源和社会保障局, from its name minus the place."""
    rest = name
    chain = []
    node = region
    while node is not None:
        chain.insert(0, node.name)
        node = node.parent
    for part in chain:
        if rest.startswith(part):
            rest = rest[len(part):]
    return rest[:64]


def match_department(name: str | None, region: parsing.types.Region) -> Department | None:
    """The department a parsed name refers to: by name or alias, else a new record."""
    if not name:
        return None
    found = Department.objects.filter(name=name).first()
    if found is None:
        found = Department.objects.filter(aliases__contains=[name]).first()
    if found is not None:
        return found
    place = ensure_region(region)
    return Department.objects.create(
        name=name[:128], region=place, category=department_category(name, place)
    )


def publish(disclosure: Disclosure) -> None:
    """Make a parsed disclosure public."""
    with transaction.atomic():
        Disclosure.objects.filter(pk=disclosure.pk).update(
            published=True, status=Status.PUBLISHED, published_at=timezone.now()
        )
        transaction.on_commit(bump_generation)
    disclosure.refresh_from_db()


def reparse(disclosure: Disclosure) -> None:
    """Queue a stored file to be parsed again (after a failure, or a parser upgrade)."""
    with transaction.atomic():
        enqueue_parse(disclosure)


def sweep_stuck(older_than: timedelta | None = None) -> list[int]:
    """Re-queue rows stuck in uploaded/queued/parsing; fail those out of attempts."""
    older_than = older_than or timedelta(seconds=settings.YUJUE_STUCK_AFTER_SECONDS)
    requeued: list[int] = []
    for disclosure in Disclosure.objects.stuck(older_than).order_by("pk")[:500]:
        if disclosure.attempts >= settings.YUJUE_MAX_PARSE_ATTEMPTS:
            Disclosure.objects.filter(pk=disclosure.pk, status=disclosure.status).update(
                status=Status.FAILED,
                error=f"解析 {disclosure.attempts} 次仍未完成（可能文件过大或处理超时），"
                      "文件已保存，可重新解析。",
            )
            continue
        with transaction.atomic():
            updated = Disclosure.objects.filter(
                pk=disclosure.pk, status=disclosure.status
            ).update(status=Status.QUEUED, queued_at=timezone.now(), progress=0)
            if updated:
                from .tasks import parse_disclosure

                pk = disclosure.pk
                transaction.on_commit(lambda pk=pk: parse_disclosure.delay(pk))
                requeued.append(pk)
    return requeued


def bump_generation() -> None:
    """Invalidate every cached dashboard aggregate at once (used as the cache version)."""
    try:
        cache.incr(CACHE_GENERATION_KEY)
    except ValueError:
        cache.set(CACHE_GENERATION_KEY, 2, None)


def data_generation() -> int:
    return cache.get_or_set(CACHE_GENERATION_KEY, 1, None)


def status_payload(disclosure: Disclosure) -> dict[str, Any]:
    """What the upload list polls for one row."""
    return {
        "id": disclosure.pk,
        "status": disclosure.status,
        "status_label": disclosure.get_status_display(),
        "progress": disclosure.progress,
        "error": disclosure.error,
        "department": disclosure.department.name if disclosure.department_id else "",
        "fiscal_year": disclosure.fiscal_year,
        "kind": disclosure.get_kind_display() if disclosure.kind else "",
        "finished": disclosure.is_finished,
        "url": disclosure.get_absolute_url(),
    }
