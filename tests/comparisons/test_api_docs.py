"""/api/docs: Swagger UI from our own static files, each with Subresource Integrity.

That it renders with the network cut off is tested in Chromium
(tests/browser/test_security_headers.py)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.http import HttpResponseNotFound
from django.test import Client, RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from comparisons.templatetags.yujue import _integrity

PRODUCTION = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}


def sha384(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


def assets(html: str) -> list[tuple[str, str | None]]:
    """(URL, integrity) of every script and stylesheet the page loads."""
    found = []
    for tag in re.findall(r"<(?:script|link)\b[^>]*>", html):
        url = re.search(r'\b(?:src|href)="([^"]+)"', tag)
        if url and ("<script" in tag or 'rel="stylesheet"' in tag):
            integrity = re.search(r'\bintegrity="([^"]+)"', tag)
            found.append((url.group(1), integrity.group(1) if integrity else None))
    return found


def served(url: str) -> tuple[int, bytes]:
    response = WhiteNoiseMiddleware(lambda request: HttpResponseNotFound())(
        RequestFactory().get(url)
    )
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body


def test_the_docs_load_swagger_ui_from_our_static_files_with_integrity(client):
    html = client.get("/api/docs").content.decode()
    # Nothing from another host: no CDN, no validator badge.
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html), html
    assert "cdn" not in html.lower()
    assert '"validatorUrl": null' in html
    loaded = assets(html)
    assert {url for url, _ in loaded} == {
        "/static/ninja/swagger-ui.css",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    }
    for url, integrity in loaded:
        status, body = served(url)
        assert status == 200, url
        assert integrity == sha384(body), url
    for icon in re.findall(r'<link rel="icon" href="([^"]+)"', html):
        assert served(icon)[0] == 200, icon


@pytest.mark.django_db
def test_under_the_manifest_storage_the_integrity_is_that_of_the_collected_file(tmp_path):
    """collectstatic rewrites the source-map comments of the hashed copies, so their
    hashes differ from the package's files: the integrity must follow what is served."""
    _integrity.cache_clear()
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        html = Client().get("/api/docs").content.decode()
        loaded = assets(html)
        assert len(loaded) == 3
        for url, integrity in loaded:
            assert re.search(r"\.[0-9a-f]{12}\.(?:js|css)$", url), url  # hashed name
            status, body = served(url)
            assert status == 200, url
            assert integrity == sha384(body), url
        css = next(i for url, i in loaded if url.endswith(".css"))
        assert css != sha384(Path(finders.find("ninja/swagger-ui.css")).read_bytes())
    _integrity.cache_clear()
