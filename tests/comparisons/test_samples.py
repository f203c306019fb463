"""The public side on the five real samples, loaded through the upload → task → store path.

Values are checked by hand against the documents (disclosures/samples/*.txt):
2080101 行政运行 — 南充 2020 预算 801.12 (部门支出总表), 巴中 2020 决算 1114.85 (stated in
prose, general budget), 南岸区 2024 预算 2126.19; 208 社会保障和就业支出 as a share of 本年支出
合计 — 南充 2008.69 / 2354.20 = 85.32 %, 南岸区 12811.48 / 13707.28 = 93.46 %.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from comparisons.compare import compare
from comparisons.forms import ComparisonForm
from disclosures import services
from disclosures.checklist import ensure_default_checklist
from disclosures.models import ClassificationCode, Department, Disclosure, Region

pytestmark = pytest.mark.django_db

NANCHONG, BAZHONG, QUYANG, GAOXIN, NANAN = (
    "南充市人力资源和社会保障局",
    "巴中市人力资源和社会保障局",
    "曲阳县人力资源和社会保障局",
    "高新区人力资源和社会保障局",
    "重庆市南岸区人力资源和社会保障局",
)


@pytest.fixture(scope="module")
def samples(django_db_setup, django_db_blocker):
    """The five samples, uploaded, parsed and published once for the whole module (each
    test then runs in a transaction that is rolled back); removed again afterwards."""
    with django_db_blocker.unblock():
        ensure_default_checklist()  # transactional tests flush what migrations seeded
        call_command("load_reference")
        call_command("load_samples", format="txt", publish=True)
        assert Disclosure.objects.published().count() == 5
    yield
    with django_db_blocker.unblock():
        Disclosure.objects.all().delete()
        Department.objects.all().delete()
        for level in ("county", "city", "province"):
            Region.objects.filter(level=level).delete()
        ClassificationCode.objects.all().delete()


def rows(**params):
    form = ComparisonForm({"year": "latest", "normalisation": "amount", **params})
    assert form.is_valid(), form.errors
    return {r.department.name: r for r in compare(form.cleaned_data).rows}


def test_2080101_across_cities(samples):
    budget = rows(kind="budget", code="2080101")
    assert budget[NANCHONG].value == Decimal("801.12")
    assert budget[NANAN].value == Decimal("2126.19")
    assert budget[NANCHONG].disclosure.fiscal_year == 2020
    assert budget[NANAN].disclosure.fiscal_year == 2024
    # 曲阳 and 高新区 publish no classification breakdown at all: a gap, not a zero.
    assert budget[QUYANG].value is None and budget[QUYANG].notes
    assert budget[GAOXIN].value is None
    final = rows(kind="final", code="2080101")
    assert final[BAZHONG].value == Decimal("1114.85")
    assert final[BAZHONG].scope == "general_budget"
    assert any("一般公共预算" in n for n in final[BAZHONG].notes)


def test_208_as_a_share_of_the_departments_total(samples):
    shares = rows(kind="budget", code="208", normalisation="share")
    assert shares[NANCHONG].normalised.quantize(Decimal("0.01")) == Decimal("85.32")
    assert shares[NANAN].normalised.quantize(Decimal("0.01")) == Decimal("93.46")
    assert shares[NANAN].rank == 1 and shares[NANCHONG].rank == 2


def test_per_resident_is_marked_when_population_is_missing(samples):
    from disclosures.models import Region

    result = rows(kind="budget", measure="totals.expenditure_total", normalisation="per_capita")
    assert all(r.normalised is None for r in result.values())
    nanchong = Region.objects.get(name="南充市")
    nanchong.population = 5_600_000
    nanchong.save()
    result = rows(kind="budget", measure="totals.expenditure_total", normalisation="per_capita")
    # 2354.20 万元 / 5.6 million residents = 4.20 元 per resident
    assert result[NANCHONG].normalised.quantize(Decimal("0.01")) == Decimal("4.20")


def test_three_public_totals_compare(samples):
    budget = rows(kind="budget", measure="three_public.total")
    assert budget[NANCHONG].value == Decimal("15")
    assert budget[QUYANG].value == Decimal("4.4")
    assert budget[NANAN].value == Decimal("11.5")


EXPECTED_COMPLETENESS = {
    # label → state per sample, read off each document's table titles and statements
    # 004: titles at lines 101-367; no separate 国有资本经营 table or statement (the money
    # appears only as a column of the 财政拨款收支总表)
    NANAN: {
        "收支总表": "present",
        "收入总表": "present",
        "支出总表": "present",
        "财政拨款收支总表": "present",
        "一般公共预算支出表": "present",
        "一般公共预算基本支出表": "present",
        "三公经费表": "present",
        "政府性基金表": "present",
        "国有资本经营表": "missing",
        "政府采购": "present",
        "绩效目标": "present",
        "名词解释": "present",
        "机关运行经费": "present",
        "国有资产": "present",
    },  # line 81: （四）国有资产占有使用情况
}


def test_completeness_of_each_sample(samples):
    scores = {}
    for d in Disclosure.objects.select_related("department"):
        checks, score = services.completeness(d)
        states = {c.label: c.state for c in checks}
        scores[d.department.name] = score
        for label, state in EXPECTED_COMPLETENESS.get(d.department.name, {}).items():
            assert states[label] == state, (d.department.name, label, states)
        assert score is not None and 0 < score <= 100
    assert scores[NANAN] == pytest.approx(100 * 13 / 14, abs=0.1)


def test_completeness_is_shown_on_department_pages_and_ranks_by_region(samples, client):
    from disclosures.models import Department, Region

    nanan = Department.objects.get(name=NANAN)
    page = client.get(f"/departments/{nanan.pk}/").content.decode()
    assert 'id="completeness"' in page and "92.9 / 100" in page
    chongqing = Region.objects.get(name="重庆市", level="province")
    ranking = client.get("/completeness/", {"region": chongqing.pk}).content.decode()
    assert NANAN in ranking and NANCHONG not in ranking


def test_the_api_serves_each_sample_as_parsed(samples, client):
    """API output checked against the samples' expected values (published, no corrections)."""
    import json

    from ..conftest import SAMPLES

    for d in Disclosure.objects.all():
        want = json.loads(
            (SAMPLES / "expected" / f"{d.original_name.split('.')[0]}.json").read_text("utf-8")
        )
        body = client.get(f"/api/disclosures/{d.pk}").json()
        assert body["fiscal_year"] == want["fiscal_year"] and body["kind"] == want["kind"]
        assert body["department"] in [want["department"], *want["department_aliases"]]
        for group in ("totals", "three_public", "assets"):
            for key, value in want.get(group, {}).items():
                assert body[group][key] == pytest.approx(value, abs=0.005), (d, group, key)
        for scope, items in want.get("functional", {}).items():
            got = {i["code"]: i["total"] for i in body["functional"][scope] if i["code"]}
            for item in items:
                assert got[item["code"]] == pytest.approx(item["total"], abs=0.005)
