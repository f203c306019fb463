"""Upload size is refused while the request arrives, not after it was spooled to disk."""

from __future__ import annotations

import socket
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosures.models import Disclosure

GIB = 1024**3


@pytest.mark.django_db
def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(staff_client):
    response = staff_client.generic(
        "POST",
        reverse("disclosures:disclosure_upload"),
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(GIB),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 413
    (message,) = response.json()["errors"]
    assert "1024.0 MB" in message and "200 MB" in message
    assert not Disclosure.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_server_answers_413_without_waiting_for_the_body(live_server):
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(
            b"POST /disclosures/upload/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            + f"Content-Length: {GIB}\r\n\r\n".encode()
        )
        started = time.monotonic()
        reply = conn.recv(4096).decode("utf-8", "replace")
    assert reply.startswith("HTTP/1.1 413")
    assert time.monotonic() - started < 5  # it did not wait for a gigabyte


@pytest.mark.django_db
def test_a_file_over_the_per_file_limit_is_dropped_while_streaming_and_named(
    staff_client, settings, sample_bytes, django_capture_on_commit_callbacks
):
    settings.YUJUE_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.txt", b"x" * (2 * 1024 * 1024))
    good = SimpleUploadedFile("004.txt", sample_bytes("004_a0aa4bbb27e038c2"))
    with django_capture_on_commit_callbacks(execute=False):
        response = staff_client.post(
            reverse("disclosures:disclosure_upload"),
            {"files": [big, good]},
            HTTP_ACCEPT="application/json",
        )
    rows = response.json()["results"]
    assert [r["ok"] for r in rows] == [False, True]
    assert "big.txt 超过 1 MB 的上限，未保存。" == rows[0]["error"]
    assert Disclosure.objects.get().original_name == "004.txt"
