"""Ingest: upload checks, storage, duplicates by SHA-256, then the parse is queued."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import parsing
from ..models import Disclosure
from ..parsing.errors import render_message
from .pipeline import enqueue_parse


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
        message = render_message(exc.code, exc.params, _)
        raise UploadRejected(f"{original_name}: {message}") from exc

    disclosure = Disclosure(
        original_name=original_name[:255],
        format=fmt,
        sha256=digest,
        size=len(data),
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            disclosure.file.save(f"{digest[:16]}.{_extension(fmt)}", ContentFile(data), save=False)
            disclosure.save()
            enqueue_parse(disclosure)
    except IntegrityError:
        # The same bytes arrived at the same moment from another request, which won the
        # unique sha256: this one is a duplicate, and its copy of the file goes away.
        if disclosure.file.name:
            disclosure.file.storage.delete(disclosure.file.name)
        existing = Disclosure.objects.filter(sha256=digest).first()
        if existing is None:
            raise
        return IngestResult(existing, created=False)
    return IngestResult(disclosure, created=True)


def _extension(fmt: str) -> str:
    return {"text": "txt"}.get(fmt, fmt)


def status_payload(disclosure: Disclosure) -> dict[str, Any]:
    """What the upload page shows for one row right after an upload."""
    return {
        "id": disclosure.pk,
        "status": disclosure.status,
        "status_label": disclosure.state_label,
        "progress": disclosure.progress,
        "error": disclosure.error_message,
        "department": disclosure.department.name if disclosure.department is not None else "",
        "fiscal_year": disclosure.fiscal_year,
        "kind": disclosure.get_kind_display() if disclosure.kind else "",
        "finished": disclosure.is_finished,
        "url": disclosure.get_absolute_url(),
    }
