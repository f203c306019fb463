"""Upload limits enforced while the request arrives, not after it was spooled to disk.

* :class:`RequestSizeLimitMiddleware` answers 413 from the ``Content-Length`` header alone,
  before a byte of an oversized body is read (a 1 GiB upload is refused at once instead of
  being written to the temporary directory first).
* :class:`PerFileLimitUploadHandler` counts each file's bytes as they stream in (also for
  a chunked request without a length) and drops a file the moment it passes the per-file
  limit; the view reports it by name, the other files of the request are kept.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

__all__ = ["PerFileLimitUploadHandler", "RequestSizeLimitMiddleware", "max_request_bytes"]


def max_request_bytes() -> int:
    return int(settings.YUJUE_MAX_REQUEST_MB) * 1024 * 1024


def max_file_bytes() -> int:
    return int(settings.YUJUE_MAX_UPLOAD_MB) * 1024 * 1024


class RequestSizeLimitMiddleware:
    """413 for a request whose declared body is over ``YUJUE_MAX_REQUEST_MB``."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_request_bytes():
            message = _("上传内容共 %(got)s MB，超过单次 %(mb)s MB 的上限，未接收。") % {
                "got": round(length / 1024 / 1024, 1),
                "mb": settings.YUJUE_MAX_REQUEST_MB,
            }
            if "application/json" in request.headers.get("Accept", ""):
                response: HttpResponse = JsonResponse(
                    {"results": [], "errors": [message]}, status=413
                )
            else:
                response = HttpResponse(
                    message, status=413, content_type="text/plain; charset=utf-8"
                )
            return response
        return self.get_response(request)


class PerFileLimitUploadHandler(TemporaryFileUploadHandler):
    """Stream each file to a temporary file, dropping it once it passes the per-file
    limit; the names of dropped files are kept on the request for the view to report."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self._received += len(raw_data)
        if self._received > max_file_bytes():
            oversized = getattr(self.request, "oversized_uploads", [])
            oversized.append(self.file_name)
            self.request.oversized_uploads = oversized  # type: ignore[union-attr]
            self.file.close()
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)
