"""Content-Security-Policy on every page; only the comparison's embed view is frameable.

What a browser makes of these headers is tested in tests/browser/test_security_headers.py.
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory

from config.staticfiles import PLOTLY_JS
from disclosures.choices import Publication

from ..factories import make_department, make_disclosure, make_region
from ..test_settings import load_settings

pytestmark = pytest.mark.django_db

COMPARE = "/compare/?category=人力资源和社会保障局&year=2020&kind=budget&code=208"


@pytest.fixture
def published():
    province = make_region("四川省", level="province", code="510000")
    departments = []
    for i, city in enumerate(["甲市", "乙市"]):
        dept = make_department(
            f"{city}人力资源和社会保障局",
            region=make_region(city, parent=province, code=f"5119{i}0"),
        )
        for year in (2019, 2020):
            make_disclosure(
                dept,
                fiscal_year=year,
                totals={
                    "expenditure_total": "100",
                    "basic_expenditure": "60",
                    "project_expenditure": "40",
                },
                items=[("208", "社会保障和就业支出", "80"), ("20801", "人力资源", "80")],
                publication=Publication.PUBLISHED,
            )
        departments.append(dept)
    return departments


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def inline_scripts(html: str) -> list[str]:
    """The opening tags of the <script> elements without a src (JSON data blocks aside)."""
    tags = re.findall(r"<script\b[^>]*>", html)
    return [t for t in tags if "src=" not in t and "application/json" not in t]


def test_every_page_has_the_policy_and_cannot_be_framed(client, staff_user, published):
    dept = published[0]
    pages = [
        "/",
        f"/departments/{dept.pk}/",
        f"/regions/{dept.region_id}/",
        "/compare/",
        COMPARE,
        "/completeness/",
        "/classification/",
        "/classification/208/",
        "/accounts/login/",
        "/api/docs",
        "/healthz",
        "/admin/login/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = policy(response)
        assert csp["default-src"] == ["'self'"], url
        assert csp["script-src"][0] == "'self'" and all(
            s == "'self'" or s.startswith("'nonce-") for s in csp["script-src"]
        ), url
        assert csp["style-src"][0] == "'self'" and "'unsafe-inline'" not in csp["style-src"]
        assert csp["frame-ancestors"] == ["'none'"], url
        assert csp["object-src"] == ["'none'"], url
        assert response["X-Frame-Options"] == "DENY", url
    client.force_login(staff_user)
    for url in ["/disclosures/", f"/disclosures/{make_disclosure(dept).pk}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response)["frame-ancestors"] == ["'none'"], url
        assert response["X-Frame-Options"] == "DENY", url


def test_chart_scripts_carry_this_responses_nonce_even_when_the_drawing_is_cached(
    client, published
):
    url = f"/departments/{published[0].pk}/"
    nonces = []
    for _ in range(2):  # the second request draws from the cache
        response = client.get(url)
        html = response.content.decode()
        (nonce,) = [s for s in policy(response)["script-src"] if s.startswith("'nonce-")]
        nonce = nonce.removeprefix("'nonce-").removesuffix("'")
        scripts = inline_scripts(html)
        assert len(scripts) >= 2  # the treemap and the basic/project split
        assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
        assert "Plotly.newPlot" in html
        # No inline style attribute is left for the policy to refuse.
        assert not re.search(r"<[^>]+\sstyle=", html)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]

    response = client.get(COMPARE)
    html = response.content.decode()
    (nonce,) = [s for s in policy(response)["script-src"] if s.startswith("'nonce-")]
    scripts = inline_scripts(html)
    assert len(scripts) >= 2 and all(nonce.strip("'").removeprefix("nonce-") in t for t in scripts)


def test_pages_without_inline_scripts_name_no_nonce(client):
    response = client.get("/accounts/login/")
    assert policy(response)["script-src"] == ["'self'"]
    assert inline_scripts(response.content.decode()) == []


def test_the_chart_tag_leaves_figure_data_alone():
    """Only plotly's own tags change: a department called '<script>' stays escaped data."""
    import plotly.graph_objects as go

    from comparisons.views import _html

    html = _html(go.Figure(go.Bar(x=['<script>alert(1)</script> style="height:1px; width:1px;"'])))
    request = RequestFactory().get("/")
    request.csp_nonce = "abc123"
    out = Template("{% load yujue %}{% chart html %}").render(
        Context({"html": html, "request": request})
    )
    assert out.count('<script nonce="abc123">') == html.count("<script>") >= 1
    assert "<script>" not in out
    assert "\\u003cscript\\u003ealert(1)" in out  # the data, escaped by plotly, untouched
    assert 'class="plotly-graph-div">' in out
    assert Template("{% load yujue %}{% chart html %}").render(Context({"html": ""})) == ""


def test_the_embed_view_alone_may_be_framed_by_any_site_by_default(client, published):
    embed = client.get(COMPARE + "&embed=1")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert policy(embed)["frame-ancestors"] == ["*"]
    # The rest of its policy is the same as everywhere.
    assert policy(embed)["script-src"][0] == "'self'"
    assert inline_scripts(embed.content.decode())
    full = client.get(COMPARE)
    assert full["X-Frame-Options"] == "DENY"
    assert policy(full)["frame-ancestors"] == ["'none'"]


def test_the_sites_that_may_embed_are_configurable(client, published, settings):
    settings.YUJUE_EMBED_ANCESTORS = ["https://news.example.cn", "https://*.example.org"]
    embed = client.get(COMPARE + "&embed=1")
    assert policy(embed)["frame-ancestors"] == ["https://news.example.cn", "https://*.example.org"]
    assert "X-Frame-Options" not in embed


def test_the_embed_ancestors_setting_is_read_from_the_environment():
    code_ok = load_settings(
        "config.settings.local", YUJUE_EMBED_ANCESTORS="https://a.example.cn, https://b.example.cn"
    )
    assert code_ok.returncode == 0, code_ok.stderr
    for bad in ["", "https://a.example.cn; script-src *", "'self' https://x"]:
        done = load_settings("config.settings.local", YUJUE_EMBED_ANCESTORS=bad)
        assert done.returncode != 0 and "YUJUE_EMBED_ANCESTORS" in done.stderr, bad


def test_the_style_hashes_match_the_styles_the_installed_plotly_js_adds():
    """plotly.js adds an empty <style> and one with MapLibre's CSS; after a plotly upgrade
    this names the hash to put in settings.PLOTLY_STYLE_HASHES."""
    source = PLOTLY_JS.read_text(encoding="utf-8")
    found = re.search(r"\.textContent='(\.maplibregl-map\{[^'\\]*)'", source)
    assert found, "plotly.js no longer adds MapLibre's CSS this way: check the browser test"

    def sha256(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert settings.PLOTLY_STYLE_HASHES == [sha256(""), sha256(found.group(1))]
    assert policy_of_settings()["style-src"] == ["'self'", *settings.PLOTLY_STYLE_HASHES]


def policy_of_settings() -> dict:
    return settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
