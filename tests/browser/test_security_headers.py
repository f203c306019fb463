"""In a real browser, under the Content-Security-Policy: pages draw their charts with no
violation; only the comparison's embed view can be framed by another site; the API docs
render from our own static files with the network cut off."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from disclosures.choices import Publication
from disclosures.models import Disclosure
from disclosures.services import ingest_upload

from ..conftest import SAMPLES
from ..factories import make_department, make_disclosure, make_region
from .test_upload_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every frame before the page's own scripts: collects what the policy refused.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample || ''}`);
});
"""
COMPARE = "?category=%E4%BA%BA%E5%8A%9B%E8%B5%84%E6%BA%90%E5%92%8C%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%9A%9C%E5%B1%80&year=2020&kind=budget&code=208"


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and console error it meets recorded."""
    errors: list[str] = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))

    def problems(frame=None) -> list[str]:
        where = frame or page
        return [*where.evaluate("window.__csp || []"), *errors]

    page.problems = problems
    return page


def assert_clean(page) -> None:
    problems = page.problems()
    assert not problems, "\n".join(problems)


@pytest.fixture
def departments():
    province = make_region("四川省", level="province", code="510000")
    out = []
    for i, (city, total) in enumerate([("甲市", "600"), ("乙市", "1500"), ("丙市", "900")]):
        dept = make_department(
            f"{city}人力资源和社会保障局",
            region=make_region(city, parent=province, code=f"5119{i}0"),
        )
        for year in (2019, 2020):
            make_disclosure(
                dept,
                fiscal_year=year,
                totals={
                    "expenditure_total": "2000",
                    "basic_expenditure": "1500",
                    "project_expenditure": "500",
                },
                items=[("208", "社会保障和就业支出", total), ("20801", "人力资源", total)],
                publication=Publication.PUBLISHED,
            )
        out.append(dept)
    return out


def test_the_department_and_comparison_pages_draw_their_charts_with_no_violation(
    live_server, watched, departments
):
    watched.goto(f"{live_server.url}/departments/{departments[1].pk}/")
    watched.wait_for_selector("#treemap .treemap")
    assert watched.locator(".chart .main-svg").count() >= 2
    # Drawn a second time from the cache: the cached drawing takes this response's nonce.
    watched.reload()
    watched.wait_for_selector("#treemap .treemap")
    assert_clean(watched)

    watched.goto(f"{live_server.url}/compare/{COMPARE}")
    watched.wait_for_selector("#ranked .plot-container")
    watched.wait_for_selector("#trend .plot-container")
    assert_clean(watched)


def test_the_review_screen_runs_under_the_policy(live_server, watched, django_user_model):
    django_user_model.objects.create_user(
        "admin1", password="pw-admin-1", is_staff=True, is_superuser=True
    )
    with open(SAMPLES / "004_a0aa4bbb27e038c2.txt", "rb") as f:
        ingest_upload(f, "004.txt")
    disclosure = Disclosure.objects.get()
    login(watched, live_server, "admin1", "pw-admin-1")
    assert_clean(watched)  # the upload list (htmx) too
    watched.goto(f"{live_server.url}/disclosures/{disclosure.pk}/")
    watched.wait_for_selector('tr[data-field="totals.expenditure_total"]')
    # review.js runs: the department field suggests names as one types.
    department = watched.locator('tr[data-field="meta.department"]')
    department.locator("summary").click()
    with watched.expect_response(lambda r: "/departments/suggest/" in r.url):
        department.locator("input[data-suggest]").fill("人力")
    assert_clean(watched)


@pytest.fixture
def other_site():
    """Another site on this machine (a served page: Chromium refuses a page it made up,
    as a public one, to frame a local server), that shows what it is given."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def serve(path: str, html: str) -> str:
        pages[path] = html.encode()
        return f"http://127.0.0.1:{server.server_port}{path}"

    yield serve
    server.shutdown()


def test_only_the_embed_view_can_be_framed_by_another_site(
    live_server, watched, departments, other_site
):
    embed = f"{live_server.url}/compare/{COMPARE}&embed=1"
    full = f"{live_server.url}/compare/{COMPARE}"
    watched.goto(
        other_site(
            "/article.html",
            f'<iframe id="embed" src="{embed}" width="800" height="500"></iframe>'
            f'<iframe id="page" src="{full}" width="800" height="500"></iframe>',
        )
    )
    watched.frame_locator("#embed").locator("#ranked .plot-container").wait_for()
    embedded = watched.locator("#embed").element_handle().content_frame()
    assert embedded.evaluate("window.__csp") == []
    # The full comparison page is refused in the frame: nothing of it is shown.
    refused = watched.locator("#page").element_handle().content_frame()
    refused.wait_for_load_state()
    assert refused.url.startswith("chrome-error:")
    assert refused.locator("#compare-form").count() == 0


def test_the_api_docs_render_from_our_static_files_offline(live_server, watched):
    ours = urlparse(live_server.url).netloc
    elsewhere: list[str] = []

    def only_ours(route):
        if urlparse(route.request.url).netloc == ours:
            return route.continue_()
        elsewhere.append(route.request.url)
        return route.abort()

    watched.route("**/*", only_ours)
    watched.goto(f"{live_server.url}/api/docs")
    watched.wait_for_selector(".opblock-summary-path")
    paths = watched.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/departments" in p for p in paths), paths
    assert elsewhere == []
    assert_clean(watched)


def test_the_admin_and_the_other_pages_run_under_the_policy(
    live_server, watched, departments, django_user_model
):
    django_user_model.objects.create_user(
        "admin1", password="pw-admin-1", is_staff=True, is_superuser=True
    )
    for path in [
        "/",
        f"/regions/{departments[0].region_id}/",
        "/completeness/",
        "/classification/",
    ]:
        watched.goto(live_server.url + path)
        assert_clean(watched)
    watched.goto(f"{live_server.url}/admin/login/")
    watched.fill("input[name=username]", "admin1")
    watched.fill("input[name=password]", "pw-admin-1")
    watched.click("input[type=submit]")
    watched.wait_for_url(f"{live_server.url}/admin/")
    assert_clean(watched)
    for path in ["/admin/disclosures/department/", "/admin/disclosures/department/add/"]:
        watched.goto(live_server.url + path)
        assert_clean(watched)
