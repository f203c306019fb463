"""The compare and completeness pickers list only what has published data."""

from __future__ import annotations

import re

import pytest

from comparisons.forms import ComparisonForm
from disclosures.choices import Publication

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    sichuan = make_region("四川省", level="province", code="510000")
    nanchong = make_region("南充市", parent=sichuan, code="511300")
    county = make_region("西充县", parent=nanchong, level="county", code="511325")
    hebei = make_region("河北省", level="province", code="130000")
    baoding = make_region("保定市", parent=hebei, code="130600")
    published = make_department("西充县财政局", region=county, category="财政局")
    make_disclosure(published, publication=Publication.PUBLISHED)
    draft_only = make_department("保定市教育局", region=baoding, category="教育局")
    make_disclosure(draft_only)  # parsed, never published
    superseded = make_department("保定市审计局", region=baoding, category="审计局")
    make_disclosure(superseded, publication=Publication.SUPERSEDED)  # replaced, none current
    nothing = make_department("保定市统计局", region=baoding, category="统计局")
    return {
        "regions": {"sichuan": sichuan, "nanchong": nanchong, "hebei": hebei, "baoding": baoding},
        "published": published,
        "others": [draft_only, superseded, nothing],
    }


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select[1])]


def test_the_comparison_form_offers_only_published_departments_categories_and_regions(world):
    form = ComparisonForm()
    assert [d.name for d in form.fields["departments"].queryset] == ["西充县财政局"]
    assert [c for c, _ in form.fields["category"].choices] == ["", "财政局"]
    # The province and city above the published county; nothing of 河北 (no published data).
    assert {r.name for r in form.fields["region"].queryset} == {"四川省", "南充市"}


def test_the_comparison_page_lists_only_them_and_refuses_the_others(client, world):
    html = client.get("/compare/").content.decode()
    assert options(html, "departments") == ["西充县财政局"]
    assert options(html, "category") == ["—", "财政局"]
    assert [o for o in options(html, "region") if o != "---------"] == ["四川省", "四川省南充市"]
    for other in world["others"]:
        form = ComparisonForm({"departments": [other.pk], "kind": "budget"})
        assert not form.is_valid() and "departments" in form.errors, other.name
    form = ComparisonForm({"region": world["regions"]["baoding"].pk, "kind": "budget"})
    assert not form.is_valid() and "region" in form.errors
    form = ComparisonForm({"departments": [world["published"].pk], "kind": "budget"})
    assert form.is_valid(), form.errors


def test_the_completeness_page_lists_only_published_categories_and_regions(client, world):
    html = client.get("/completeness/").content.decode()
    assert options(html, "category") == ["—", "财政局"]
    assert options(html, "region") == ["—", "四川省", "四川省南充市", "四川省南充市西充县"]
