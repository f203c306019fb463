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

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import parsing
from .choices import (
    Classification,
    CorrectionAction,
    FigureGroup,
    Origin,
    RegionLevel,
    Scope,
    Severity,
    Status,
)
from .models import (
    Correction,
    Department,
    Disclosure,
    Figure,
    LineItem,
    ParseCheck,
    Region,
)

log = logging.getLogger(__name__)

CACHE_GENERATION_KEY = "yujue:data-generation"


class UploadRejected(Exception):
    """An upload that cannot be accepted; the message is shown to the user as is."""


@dataclass(frozen=True)
class IngestResult:
    disclosure: Disclosure
    created: bool  # False: the same bytes were uploaded before (matched by SHA-256)


def localized_error(zh: str, en: str | None) -> str:
    """The parser's message in the language of the current request (Chinese by default)."""
    return en if en and get_language().startswith("en") else zh


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
            _("%(name)s 超过 %(mb)s MB 的上限，未保存。")
            % {"name": original_name, "mb": settings.YUJUE_MAX_UPLOAD_MB}
        )
    if not data:
        raise UploadRejected(_("文件 %(name)s 是空的，未保存。") % {"name": original_name})
    digest = hashlib.sha256(data).hexdigest()
    existing = Disclosure.objects.filter(sha256=digest).first()
    if existing is not None:
        return IngestResult(existing, created=False)
    try:
        fmt = parsing.detect_format(data, original_name)
    except parsing.ParseError as exc:
        message = localized_error(str(exc), getattr(exc, "en", None))
        raise UploadRejected(f"{original_name}: {message}") from exc

    with transaction.atomic():
        disclosure = Disclosure(
            original_name=original_name[:255],
            format=fmt,
            sha256=digest,
            size=len(data),
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
    now = timezone.now()
    Disclosure.objects.filter(pk=disclosure.pk).update(
        status=Status.QUEUED, queued_at=now, progress=0, error="", error_en=""
    )
    disclosure.status, disclosure.queued_at, disclosure.progress = Status.QUEUED, now, 0
    pk = disclosure.pk
    transaction.on_commit(lambda: send_parse_task(pk))


def send_parse_task(disclosure_id: int) -> bool:
    """Send the parse task; if the broker is unreachable the row simply stays queued and the
    periodic sweep sends it again later — the upload itself has already succeeded."""
    from .tasks import parse_disclosure

    try:
        parse_disclosure.delay(disclosure_id)
    except Exception as exc:  # kombu/redis/amqp errors vary by transport
        if getattr(parse_disclosure.app.conf, "task_always_eager", False):
            raise  # in-process: the exception is the task's own, not the broker's
        log.warning("could not queue disclosure %s (%s); the sweep will retry", disclosure_id, exc)
        return False
    return True


def claim(disclosure_id: int) -> bool:
    """Move a queued (or failed, for re-parse) row to parsing; False if someone else has it."""
    changed = Disclosure.objects.filter(
        pk=disclosure_id, status__in=[Status.QUEUED, Status.UPLOADED]
    ).update(
        status=Status.PARSING,
        parse_started_at=timezone.now(),
        progress=1,
        error="",
        error_en="",
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
        return _fail(
            disclosure,
            "存储中找不到这个文件，请重新上传。",
            en="The stored file is missing; please upload it again.",
        )
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
        return _fail(disclosure, str(exc), en=getattr(exc, "en", None))
    except SoftTimeLimitExceeded:
        limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
        return _fail(
            disclosure,
            f"解析超时（超过 {limit} 秒），文件可能过大或过于复杂；"
            "文件已保存，可拆分后重新上传或请管理员处理。",
            en=f"Parsing took longer than {limit} s: the file may be too large or complex. "
            "It is kept; split it and upload again, or ask an admin.",
        )
    except DatabaseError:
        _requeue_after_transient(disclosure_id)
        raise
    except Exception:  # a parser bug must not leave the row in parsing forever
        log.exception("parser crashed on disclosure %s", disclosure_id)
        return _fail(
            disclosure,
            "解析程序内部出错，文件已保存，管理员修复后可重新解析。",
            en="The parser crashed on this file. The file is kept and can be re-parsed "
            "once an admin has fixed the problem.",
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


def _fail(disclosure: Disclosure, message: str, *, en: str | None = None) -> Disclosure:
    """Mark the row failed with the reason in plain words (Chinese, and English if known)."""
    Disclosure.objects.filter(pk=disclosure.pk).update(
        status=Status.FAILED,
        error=message,
        error_en=en or "",
        progress=0,
        parsed_at=timezone.now(),
    )
    disclosure.refresh_from_db()
    return disclosure


def store_result(disclosure: Disclosure, result: parsing.ParsedDisclosure) -> None:
    """Store a fresh parse. A published disclosure keeps its public values until an admin
    confirms the changes (the parse waits in ``pending_result``); otherwise the parse
    replaces the stored content at once, with people's corrections re-applied."""
    payload = result.to_dict()
    payload["parser_version"] = result.parser_version or parsing.PARSER_VERSION
    payload["pages"] = result.pages
    payload["outline"] = list(result.outline)
    if disclosure.published:
        with transaction.atomic():
            Disclosure.objects.filter(pk=disclosure.pk).update(
                pending_result=payload,
                status=Status.PUBLISHED,
                progress=100,
                error="",
                error_en="",
                parsed_at=timezone.now(),
            )
        return
    store_payload(disclosure, payload)


def store_payload(disclosure: Disclosure, payload: dict[str, Any]) -> None:
    """Replace the disclosure's parsed content with ``payload`` (the disclosure/1 JSON)
    in one transaction, then re-apply corrections and re-run the checks."""
    provenance = payload.get("provenance", {})
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
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
                        value=_decimal(value),
                        page=src.get("page"),
                        source_text=src.get("text", ""),
                        source=src,
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
                            level=_level(item.get("code")),
                            name=(item.get("name") or "")[:128],
                            total=_decimal(item.get("total")),
                            basic=_decimal(item.get("basic")),
                            project=_decimal(item.get("project")),
                            page=src.get("page"),
                            source_text=src.get("text", ""),
                        )
                    )
        LineItem.objects.bulk_create(items, batch_size=1000)
        ParseCheck.objects.bulk_create(_check_rows(locked, payload.get("checks", [])))

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
        locked.status = Status.PUBLISHED if locked.published else Status.NEEDS_REVIEW
        locked.progress = 100
        locked.error = ""
        locked.error_en = ""
        locked.parsed_at = timezone.now()
        locked.save()
        apply_corrections(locked)
        transaction.on_commit(bump_generation)


def _check_rows(disclosure: Disclosure, checks: list[dict[str, Any]]) -> list[ParseCheck]:
    """ParseCheck rows from checks in the disclosure/1 JSON shape."""
    return [
        ParseCheck(
            disclosure=disclosure,
            severity=c["severity"],
            rule=c["rule"],
            message=c["message"],
            path=c.get("path") or "",
        )
        for c in checks
    ]


def _decimal(value: Any) -> Decimal | None:
    """JSON amounts are floats of at most a few decimals; repr gives their exact digits."""
    if value is None or value == "":
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


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
        parent, _created = Region.objects.get_or_create(
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
            rest = rest[len(part) :]
    return rest[:64]


def match_department(name: str | None, region: parsing.types.Region) -> Department | None:
    """The department a parsed name refers to: by name or alias, else a new record."""
    if not name:
        return None
    found = find_department(name)
    if found is not None:
        return found
    place = ensure_region(region)
    return Department.objects.create(
        name=name[:128], region=place, category=department_category(name, place)
    )


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
                error_en=f"Parsing did not finish after {disclosure.attempts} attempts (the file "
                "may be too large, or the worker timed out). The file is kept and can be "
                "re-parsed.",
            )
            continue
        with transaction.atomic():
            updated = Disclosure.objects.filter(pk=disclosure.pk, status=disclosure.status).update(
                status=Status.QUEUED, queued_at=timezone.now(), progress=0
            )
            if updated:
                pk = disclosure.pk
                transaction.on_commit(lambda pk=pk: send_parse_task(pk))
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
        "error": disclosure.localized_error,
        "department": disclosure.department.name if disclosure.department_id else "",
        "fiscal_year": disclosure.fiscal_year,
        "kind": disclosure.get_kind_display() if disclosure.kind else "",
        "finished": disclosure.is_finished,
        "url": disclosure.get_absolute_url(),
    }


# --- Corrections ------------------------------------------------------------------------
# A correction names its field by a key that survives re-parsing (see Correction), stores
# old → new as JSON (amounts as decimal strings, so nothing is lost to floats), and is
# re-applied after every parse.

META_FIELDS = ("department", "region", "fiscal_year", "kind")
ITEM_FIELDS = ("code", "name", "total", "basic", "project")


class CorrectionRejected(Exception):
    """A correction that cannot be applied; the message says why in plain words."""


@dataclass(frozen=True)
class FieldKey:
    kind: str  # "meta" | "figure" | "item"
    group: str  # meta: "meta"; figure: totals/three_public/assets; item: functional/economic
    name: str  # meta field, figure key, or item scope
    item: str | None = None  # item key: its code, or "name=<name>"

    @classmethod
    def parse(cls, field: str) -> FieldKey:
        parts = field.split(".", 2)
        if len(parts) == 2 and parts[0] == "meta" and parts[1] in META_FIELDS:
            return cls("meta", "meta", parts[1])
        if len(parts) == 2 and parts[0] in FigureGroup.values and parts[1].isidentifier():
            return cls("figure", parts[0], parts[1])
        if (
            len(parts) == 3
            and parts[0] in Classification.values
            and parts[1] in Scope.values
            and parts[2]
        ):
            return cls("item", parts[0], parts[1], parts[2])
        raise CorrectionRejected(_("无法识别的字段：%(field)s") % {"field": field})


def item_key(code: str | None, name: str) -> str:
    return code if code else f"name={name}"


def _amount(value: Any) -> str | None:
    """An amount as a canonical decimal string ("801.12", "10"), None for null."""
    number = _decimal(value)
    if number is None:
        return None
    text = format(number.normalize(), "f")
    return text


def _item_json(item: dict[str, Any] | LineItem) -> dict[str, Any]:
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    return {
        "code": get("code"),
        "name": get("name"),
        "total": _amount(get("total")),
        "basic": _amount(get("basic")),
        "project": _amount(get("project")),
    }


def parser_value(payload: dict[str, Any] | None, field: str) -> Any:
    """What the parser read for ``field`` in a disclosure/1 payload (None if absent)."""
    if not payload:
        return None
    key = FieldKey.parse(field)
    if key.kind == "meta":
        if key.name == "department":
            return payload.get("department")
        if key.name == "region":
            return payload.get("region")
        return payload.get(key.name)
    if key.kind == "figure":
        value = (payload.get(key.group) or {}).get(key.name)
        return value if key.group == "assets" else _amount(value)
    for item in (payload.get(key.group) or {}).get(key.name, []):
        if item_key(item.get("code"), item.get("name") or "") == key.item:
            return _item_json(item)
    return None


def current_value(disclosure: Disclosure, field: str) -> Any:
    """The value stored now (corrections applied) for ``field``."""
    key = FieldKey.parse(field)
    if key.kind == "meta":
        if key.name == "department":
            return disclosure.department.name if disclosure.department_id else None
        if key.name == "region":
            region = disclosure.department.region if disclosure.department_id else None
            return region.full_name if region else None
        return getattr(disclosure, key.name) or None
    if key.kind == "figure":
        figure = disclosure.figures.filter(group=key.group, key=key.name).first()
        if figure is None or figure.value is None:
            return None
        return int(figure.value) if key.group == "assets" else _amount(figure.value)
    row = _find_item(disclosure, key)
    return _item_json(row) if row else None


def _find_item(disclosure: Disclosure, key: FieldKey) -> LineItem | None:
    rows = disclosure.line_items.filter(classification=key.group, scope=key.name)
    if key.item.startswith("name="):
        return rows.filter(code__isnull=True, name=key.item[5:]).first()
    return rows.filter(code=key.item).first()


def _clean_new_value(key: FieldKey, action: str, value: Any) -> Any:
    """Validate what a reviewer typed; reject rather than guess."""
    if action == CorrectionAction.REMOVE:
        return None
    if key.kind == "meta":
        if key.name == "fiscal_year":
            try:
                year = int(str(value).strip())
            except ValueError as exc:
                raise CorrectionRejected(_("年度必须是四位数字。")) from exc
            if not 1990 <= year <= 2100:
                raise CorrectionRejected(_("年度超出合理范围。"))
            return year
        if key.name == "kind":
            if value not in ("budget", "final"):
                raise CorrectionRejected(_("类型只能是预算或决算。"))
            return value
        if key.name == "department":
            if not Department.objects.filter(pk=value).exists():
                raise CorrectionRejected(_("请选择一个已有部门，或先新建部门。"))
            return int(value)
        if key.name == "region":
            if not Region.objects.filter(pk=value).exists():
                raise CorrectionRejected(_("请选择一个地区。"))
            return int(value)
    if key.kind == "figure":
        if value in (None, ""):
            return None
        if key.group == "assets":
            try:
                return int(str(value).strip())
            except ValueError as exc:
                raise CorrectionRejected(_("数量必须是整数。")) from exc
        return _parse_amount(value)
    item = dict(value or {})
    cleaned = {
        "code": (str(item.get("code") or "").strip() or None),
        "name": str(item.get("name") or "").strip(),
    }
    if cleaned["code"] and not (cleaned["code"].isdigit() and len(cleaned["code"]) in (3, 5, 7)):
        raise CorrectionRejected(_("科目编码应为 3、5 或 7 位数字。"))
    if not cleaned["name"]:
        raise CorrectionRejected(_("科目名称不能为空。"))
    for part in ("total", "basic", "project"):
        raw = item.get(part)
        cleaned[part] = None if raw in (None, "") else _parse_amount(raw)
    return cleaned


def _parse_amount(value: Any) -> str:
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except ArithmeticError as exc:
        raise CorrectionRejected(
            _("“%(value)s”不是有效的金额（万元）。") % {"value": value}
        ) from exc
    if not number.is_finite():
        raise CorrectionRejected(_("“%(value)s”不是有效的金额（万元）。") % {"value": value})
    return _amount(number)


def correct(
    disclosure: Disclosure,
    field: str,
    new_value: Any,
    *,
    reason: str,
    user,
    action: str = CorrectionAction.SET,
) -> Correction:
    """Record a person's correction and apply it; the checks run again at once."""
    if not (reason or "").strip():
        raise CorrectionRejected(_("请填写更正理由。"))
    key = FieldKey.parse(field)
    if key.kind != "item" and action != CorrectionAction.SET:
        raise CorrectionRejected(_("只有科目明细可以添加或删除。"))
    cleaned = _clean_new_value(key, action, new_value)
    if key.kind == "item" and action != CorrectionAction.REMOVE:
        # Renaming an item's code moves its key: record it under the key it ends up with
        # for additions, and under the old key for changes.
        if action == CorrectionAction.ADD:
            key = FieldKey("item", key.group, key.name, item_key(cleaned["code"], cleaned["name"]))
            field = f"{key.group}.{key.name}.{key.item}"
            if _find_item(disclosure, key) is not None:
                raise CorrectionRejected(_("这个科目已经存在，请直接修改。"))
    with transaction.atomic():
        correction = Correction.objects.create(
            disclosure=disclosure,
            field=field,
            action=action,
            old_value=current_value(disclosure, field),
            new_value=cleaned,
            parser_value=parser_value(disclosure.parse_result, field),
            reason=reason.strip(),
            user=user if getattr(user, "is_authenticated", False) else None,
        )
        _apply_one(disclosure, correction)
        rerun_checks(disclosure)
        transaction.on_commit(bump_generation)
    return correction


def apply_corrections(disclosure: Disclosure) -> None:
    """Re-apply every correction after a parse, noting where the parser now differs."""
    for correction in disclosure.corrections.order_by("created_at", "id"):
        now = parser_value(disclosure.parse_result, correction.field)
        conflict = now if now != correction.parser_value else None
        if conflict != correction.conflict:
            correction.conflict = conflict
            correction.save(update_fields=["conflict"])
        _apply_one(disclosure, correction)
    if disclosure.corrections.exists():
        rerun_checks(disclosure)


def _apply_one(disclosure: Disclosure, correction: Correction) -> None:
    key = FieldKey.parse(correction.field)
    value = correction.new_value
    if key.kind == "meta":
        if key.name == "department":
            disclosure.department_id = value
            disclosure.save(update_fields=["department"])
        elif key.name == "region":
            if disclosure.department_id:
                Department.objects.filter(pk=disclosure.department_id).update(region_id=value)
        else:
            setattr(disclosure, key.name, value)
            disclosure.save(update_fields=[key.name])
        return
    if key.kind == "figure":
        Figure.objects.update_or_create(
            disclosure=disclosure,
            group=key.group,
            key=key.name,
            defaults={"value": _decimal(value), "origin": Origin.CORRECTED},
        )
        return
    row = _find_item(disclosure, key)
    if correction.action == CorrectionAction.REMOVE:
        if row is not None:
            row.delete()
        return
    fields = {
        "code": value["code"],
        "name": value["name"],
        "level": _level(value["code"]),
        "total": _decimal(value["total"]),
        "basic": _decimal(value["basic"]),
        "project": _decimal(value["project"]),
    }
    if row is None:
        last = (
            disclosure.line_items.filter(classification=key.group, scope=key.name)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        LineItem.objects.create(
            disclosure=disclosure,
            classification=key.group,
            scope=key.name,
            position=(last + 1) if last is not None else 0,
            origin=Origin.ADDED,
            **fields,
        )
        return
    for attr, val in fields.items():
        setattr(row, attr, val)
    row.origin = Origin.CORRECTED
    row.save()


def parsed_from_rows(disclosure: Disclosure) -> parsing.ParsedDisclosure:
    """The stored values (corrections applied) as the parser's own type, for validation."""
    from .parsing import types as t

    totals, three_public, assets = {}, {}, {}
    for figure in disclosure.figures.all():
        target = {"totals": totals, "three_public": three_public, "assets": assets}[figure.group]
        target[figure.key] = (
            int(figure.value)
            if figure.group == "assets" and figure.value is not None
            else figure.value
        )
    functional: dict[str, list] = {}
    economic: dict[str, list] = {}
    for row in disclosure.line_items.order_by("classification", "scope", "position"):
        target = functional if row.classification == Classification.FUNCTIONAL else economic
        target.setdefault(row.scope, []).append(
            t.LineItem(
                code=row.code, name=row.name, total=row.total, basic=row.basic, project=row.project
            )
        )
    region = disclosure.department.region if disclosure.department_id else None
    chain = region.ancestors_and_self() if region else []
    names = {r.level: r.name for r in chain}
    return t.ParsedDisclosure(
        source_filename=disclosure.original_name,
        sha256=disclosure.sha256,
        format=disclosure.format,
        department=disclosure.department.name if disclosure.department_id else None,
        region=t.Region(
            province=names.get("province"),
            city=names.get("city")
            or (names.get("province") if names.get("province") in MUNICIPALITIES else None),
            county=names.get("county"),
        ),
        fiscal_year=disclosure.fiscal_year,
        kind=disclosure.kind or None,
        totals=totals,
        three_public=three_public,
        assets=assets,
        functional={k: tuple(v) for k, v in functional.items()},
        economic={k: tuple(v) for k, v in economic.items()},
    )


MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}


def rerun_checks(disclosure: Disclosure) -> None:
    """Validate the stored values again (after a correction) and replace the checks.

    Arithmetic checks are recomputed from the corrected values; findings only the
    extraction can make (e.g. a figure in prose differing from the table) are kept from
    the parse, except those a correction has settled (an unknown region once assigned).
    """
    from .parsing import checks as parser_checks

    parsed = parsed_from_rows(disclosure)
    fresh = list(parser_checks.validate(parsed))
    recomputed = {c.rule for c in fresh} | set(parser_checks.VALIDATION_RULES)
    kept = [
        c for c in (disclosure.parse_result or {}).get("checks", []) if c["rule"] not in recomputed
    ]
    if disclosure.department_id and disclosure.department.region_id:
        kept = [c for c in kept if c["rule"] != "region_unknown"]
    disclosure.checks.all().delete()
    ParseCheck.objects.bulk_create(
        _check_rows(disclosure, kept) + _check_rows(disclosure, [c.to_dict() for c in fresh])
    )


# --- Publishing -------------------------------------------------------------------------


class PublishBlocked(Exception):
    """Publishing needs the reviewer's explicit acknowledgement of error-level checks."""


def publish(disclosure: Disclosure, *, user=None, acknowledge_errors: bool = False) -> None:
    """Make a parsed disclosure public; it replaces any older published disclosure of the
    same department, year and kind (kept in history, no longer shown publicly)."""
    has_errors = disclosure.checks.filter(severity=Severity.ERROR).exists()
    if has_errors and not acknowledge_errors:
        raise PublishBlocked(_("这份文件仍有错误级校验结果，发布前须确认知悉这些不一致。"))
    with transaction.atomic():
        Disclosure.objects.filter(pk=disclosure.pk).update(
            published=True,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
            published_by=user if getattr(user, "is_authenticated", False) else None,
            published_with_errors=has_errors,
            superseded_by=None,
        )
        if disclosure.department_id and disclosure.fiscal_year and disclosure.kind:
            Disclosure.objects.filter(
                department_id=disclosure.department_id,
                fiscal_year=disclosure.fiscal_year,
                kind=disclosure.kind,
                status=Status.PUBLISHED,
            ).exclude(pk=disclosure.pk).update(status=Status.SUPERSEDED, superseded_by=disclosure)
        transaction.on_commit(bump_generation)
    disclosure.refresh_from_db()


def unpublish(disclosure: Disclosure) -> None:
    """Take a disclosure off the public pages; what it replaced comes back."""
    with transaction.atomic():
        Disclosure.objects.filter(pk=disclosure.pk).update(
            published=False, status=Status.NEEDS_REVIEW, published_with_errors=False
        )
        Disclosure.objects.filter(superseded_by=disclosure, published=True).update(
            status=Status.PUBLISHED, superseded_by=None
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
            keys = [
                item_key(i.get("code"), i.get("name") or "")
                for i in (pending.get(classification) or {}).get(scope, [])
            ]
            keys += [
                item_key(c, n)
                for c, n in disclosure.line_items.filter(
                    classification=classification, scope=scope
                ).values_list("code", "name")
            ]
            fields += [f"{classification}.{scope}.{k}" for k in dict.fromkeys(keys)]
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


def find_department(text: str) -> Department | None:
    """An existing department by exact name or alias (the review screen's suggestion box)."""
    text = (text or "").strip()
    if not text:
        return None
    found = Department.objects.filter(name=text).first()
    if found is not None:
        return found
    if connection.vendor == "postgresql":  # jsonb containment uses the GIN-able operator
        return Department.objects.filter(aliases__contains=[text]).first()
    # SQLite (the embedded default) has no JSON containment lookup: aliases are few.
    return next((d for d in Department.objects.exclude(aliases=[]) if text in d.aliases), None)


def find_region(text: str) -> Region | None:
    """A region by its full name ("重庆市南岸区", "四川省南充市") or a unique short name."""
    text = (text or "").strip()
    if not text:
        return None
    candidates = list(Region.objects.filter(name=text).select_related("parent", "parent__parent"))
    if len(candidates) == 1:
        return candidates[0]
    for region in Region.objects.filter(
        name__in=[text[i:] for i in range(len(text))]
    ).select_related("parent", "parent__parent"):
        if region.full_name == text or "".join(r.name for r in region.ancestors_and_self()) == text:
            return region
    return None


# --- Disclosure completeness ------------------------------------------------------------


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
    import re

    from .models import ChecklistItem

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
