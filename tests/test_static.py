"""plotly.js comes from the installed plotly package; static files are served compressed,
with hashed names cached for good, in production and in the embedded demo alike."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import plotly
import plotly.offline
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.http import HttpResponseNotFound
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from config.staticfiles import PlotlyFinder

from .conftest import REPO

PACKAGE_PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
PRODUCTION = "whitenoise.storage.CompressedManifestStaticFilesStorage"
LOCAL = "config.staticfiles.LocalStaticFilesStorage"
ONE_YEAR = 365 * 24 * 60 * 60


def test_the_finder_exposes_only_the_plotly_packages_own_plotly_min_js():
    finder = PlotlyFinder()
    listed = list(finder.list([]))
    assert [(path, storage.prefix) for path, storage in listed] == [("plotly.min.js", "vendor")]
    assert Path(listed[0][1].path("plotly.min.js")) == PACKAGE_PLOTLY_JS
    assert finder.check() == []
    # Nothing else of package_data (datasets, widget bundle, templates) is reachable.
    for other in ["vendor/widgetbundle.js", "vendor/datasets/iris.csv.gz", "plotly.min.js"]:
        assert finder.find(other) == [] and finder.find(other, find_all=True) == []
    # Through all configured finders: one source only, the package's (no committed copy).
    assert Path(finders.find("vendor/plotly.min.js")) == PACKAGE_PLOTLY_JS
    assert [Path(p) for p in finders.find("vendor/plotly.min.js", find_all=True)] == [
        PACKAGE_PLOTLY_JS
    ]
    assert not list((REPO / "static").rglob("plotly*.js"))


def test_the_served_plotly_js_is_the_version_plotly_py_writes_its_figures_for():
    with open(finders.find("vendor/plotly.min.js"), encoding="utf-8") as served:
        banner = served.read(500)
    version = re.search(r"plotly\.js v(\d+\.\d+\.\d+\S*)", banner)
    assert version, banner
    assert version.group(1) == plotly.offline.get_plotlyjs_version()


def test_every_static_reference_in_the_templates_resolves():
    """A template naming a file the finders do not have (say a removed vendored copy) fails
    here, not as a 404 in the browser or a 500 under the manifest storage."""
    tag = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")
    referenced = {
        name
        for html in (REPO / "templates").rglob("*.html")
        for name in tag.findall(html.read_text())
    }
    assert "vendor/plotly.min.js" in referenced
    assert [name for name in sorted(referenced) if not finders.find(name)] == []


def test_the_chart_pages_load_plotly_through_the_static_tag():
    for template in ["comparisons/department_detail.html", "comparisons/comparison.html"]:
        source = (REPO / "templates" / template).read_text()
        assert "{% static 'vendor/plotly.min.js' %}" in source, template
    html = render_to_string("comparisons/embed.html", {"ranked": ""})
    assert f'<script src="{static("vendor/plotly.min.js")}">' in html
    assert static("vendor/plotly.min.js") == "/static/vendor/plotly.min.js"  # test settings


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """One collectstatic run (hashed names, .gz beside each) into a temporary STATIC_ROOT."""
    root = tmp_path_factory.mktemp("static")
    storages = {"staticfiles": {"BACKEND": PRODUCTION}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def fetch(url: str, encoding: str):
    middleware = WhiteNoiseMiddleware(lambda request: HttpResponseNotFound())
    response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING=encoding))
    return response, b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "setup",
    [
        # production: DEBUG off, WhiteNoise serves STATIC_ROOT only
        {"DEBUG": False, "STORAGES": {"staticfiles": {"BACKEND": PRODUCTION}}},
        # the embedded demo (config.settings.local after `manage.py demo`): DEBUG on
        {
            "DEBUG": True,
            "WHITENOISE_USE_FINDERS": False,
            "STORAGES": {"staticfiles": {"BACKEND": LOCAL}},
        },
    ],
    ids=["production", "demo"],
)
def test_plotly_is_served_gzipped_under_a_hashed_name_cached_for_good(collected, setup):
    raw = PACKAGE_PLOTLY_JS.read_bytes()
    with override_settings(STATIC_ROOT=collected, **setup):
        html = render_to_string("comparisons/embed.html", {"ranked": ""})
        url = re.search(r'<script src="([^"]+)"', html).group(1)
        assert re.fullmatch(r"/static/vendor/plotly\.min\.[0-9a-f]{12}\.js", url), url

        response, body = fetch(url, "gzip, deflate")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert len(body) == int(response["Content-Length"])
        assert len(body) < 0.4 * len(raw), (len(body), len(raw))  # 4.8 MB -> ~1.5 MB
        assert gzip.decompress(body) == raw
        max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
        assert max_age >= ONE_YEAR and "immutable" in response["Cache-Control"]

        # A client that does not accept gzip gets the file as it is.
        plain, plain_body = fetch(url, "identity")
        assert not plain.has_header("Content-Encoding") and plain_body == raw


def test_the_demo_serves_the_sources_while_nothing_current_is_collected(collected):
    """config.settings.local before `manage.py demo` (or after editing CSS/JS): finders on,
    plain URLs, no manifest needed, nothing cached."""
    with override_settings(
        DEBUG=True,
        STATIC_ROOT=collected.parent / "empty",
        WHITENOISE_USE_FINDERS=True,
        STORAGES={"staticfiles": {"BACKEND": LOCAL}},
    ):
        assert static("vendor/plotly.min.js") == "/static/vendor/plotly.min.js"
        response, body = fetch("/static/vendor/plotly.min.js", "gzip")
    assert response.status_code == 200 and body == PACKAGE_PLOTLY_JS.read_bytes()
    assert response["Cache-Control"] == "max-age=0, public"


def load_settings(module: str, **env: str) -> dict[str, str]:
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps({'storage': settings.STORAGES['staticfiles']['BACKEND'], "
        "'finders': settings.STATICFILES_FINDERS, "
        "'use_finders': getattr(settings, 'WHITENOISE_USE_FINDERS', None), "
        "'root': str(settings.STATIC_ROOT)}))"
    )
    keep = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "STATIC_ROOT", "DEBUG"}}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**keep, "DJANGO_SETTINGS_MODULE": module, **env},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_collects_hashed_compressed_files_including_plotly():
    loaded = load_settings("config.settings.production", SECRET_KEY="k" * 50)
    assert loaded["storage"] == PRODUCTION
    assert "config.staticfiles.PlotlyFinder" in loaded["finders"]
    assert not loaded["use_finders"]


def test_the_embedded_default_serves_var_static_only_while_it_is_current(tmp_path):
    fresh = load_settings("config.settings.local", YUJUE_DATA_DIR=str(tmp_path))
    assert fresh["storage"] == LOCAL and fresh["root"] == str(tmp_path / "static")
    assert fresh["use_finders"] is True  # nothing collected yet
    manifest = tmp_path / "static" / "staticfiles.json"
    manifest.write_text("{}")
    assert (
        load_settings("config.settings.local", YUJUE_DATA_DIR=str(tmp_path))["use_finders"] is False
    )
    os.utime(manifest, (0, 0))  # collected before the sources last changed
    assert (
        load_settings("config.settings.local", YUJUE_DATA_DIR=str(tmp_path))["use_finders"] is True
    )
