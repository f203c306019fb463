"""The role × action matrix, enforced in every staff view."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosures.choices import Publication, Role, Status
from disclosures.models import Disclosure, StaffScope

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "plain",
    "uploader_in",
    "uploader_out",
    "reviewer_in",
    "reviewer_out",
    "admin",
]


@pytest.fixture
def world(django_user_model):
    sichuan = make_region("四川省", level="province", code="510000")
    nanchong = make_region("南充市", parent=sichuan, code="511300")
    hebei = make_region("河北省", level="province", code="130000")
    baoding = make_region("保定市", parent=hebei, code="130600")
    quyang = make_region("曲阳县", parent=baoding, level="county", code="130634")
    dept_a = make_department("南充市人力资源和社会保障局", region=nanchong)
    dept_b = make_department("曲阳县人力资源和社会保障局", region=quyang)
    target = make_disclosure(dept_a, items=[("208", "社会保障和就业支出", "100")])
    other = make_disclosure(dept_b)
    users = {}
    for name in ROLES[1:]:
        users[name] = django_user_model.objects.create_user(
            name, password=f"pw-{name}-123", is_superuser=name == "admin", is_staff=name == "admin"
        )

    def scope(user, role, departments=(), regions=()):
        s = StaffScope.objects.create(user=user, role=role)
        s.departments.set(departments)
        s.regions.set(regions)

    scope(users["uploader_in"], Role.UPLOADER, departments=[dept_a])
    scope(users["uploader_out"], Role.UPLOADER, departments=[dept_b])
    scope(users["reviewer_in"], Role.REVIEWER, regions=[sichuan])  # a province covers 南充
    scope(users["reviewer_out"], Role.REVIEWER, regions=[baoding])  # a city covers its counties
    return {"target": target, "other": other, "users": users}


def as_role(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def upload_list(client, w):
    return client.get(reverse("disclosures:disclosure_list"))


def upload(client, w):
    f = SimpleUploadedFile("x.txt", "部门预算 2020年 单位：万元\n收入总计\t1\n".encode())
    return client.post(
        reverse("disclosures:disclosure_upload"), {"files": [f]}, HTTP_ACCEPT="application/json"
    )


def review(client, w):
    return client.get(reverse("disclosures:disclosure_detail", args=[w["target"].pk]))


def correct(client, w):
    return client.post(
        reverse("disclosures:disclosure_correct", args=[w["target"].pk]),
        {"field": "totals.expenditure_total", "value": "123.45", "reason": "表格与合计不符"},
    )


def publish(client, w):
    return client.post(
        reverse("disclosures:disclosure_publish", args=[w["target"].pk]), {"decision": "publish"}
    )


def reparse(client, w):
    return client.post(reverse("disclosures:disclosure_reparse", args=[w["target"].pk]))


def apply_reparse(client, w):
    return client.post(
        reverse("disclosures:disclosure_apply_reparse", args=[w["target"].pk]),
        {"decision": "discard"},
    )


def download(client, w):
    return client.get(reverse("disclosures:disclosure_file", args=[w["target"].pk]))


def admin_site(client, w):
    return client.get(reverse("admin:disclosures_disclosure_changelist"))


ALLOWED = {
    # action: roles that may do it (everyone else: login redirect or 403)
    upload_list: {"uploader_in", "uploader_out", "reviewer_in", "reviewer_out", "admin"},
    upload: {"uploader_in", "uploader_out", "reviewer_in", "reviewer_out", "admin"},
    review: {"uploader_in", "reviewer_in", "admin"},
    download: {"uploader_in", "reviewer_in", "admin"},
    correct: {"reviewer_in", "admin"},
    publish: {"reviewer_in", "admin"},
    reparse: {"reviewer_in", "admin"},
    apply_reparse: {"admin"},
    admin_site: {"admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED), ids=lambda f: f.__name__)
def test_role_action_matrix(client, world, role, action, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = action(as_role(client, world, role), world)
    target = Disclosure.objects.get(pk=world["target"].pk)
    if role in ALLOWED[action]:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert "/login/" not in response["Location"]
        if action is correct:
            assert target.figures.get(key="expenditure_total").value == Decimal("123.45")
        if action is publish:
            assert target.publication == Publication.PUBLISHED
    else:
        if role == "anonymous" and action is not admin_site:
            assert response.status_code == 302 and "/login/" in response["Location"]
        elif action is admin_site:
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        else:
            assert response.status_code == 403
        assert target.figures.get(key="expenditure_total").value == 100  # nothing changed
        assert target.status == Status.PARSED
        assert target.corrections.count() == 0


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_upload_list_only_shows_what_the_role_may_see(client, world, role):
    response = as_role(client, world, role).get(reverse("disclosures:disclosure_list"))
    if response.status_code != 200:
        assert role == "plain"
        return
    page = response.content.decode()
    sees_target = world["target"].original_name in page
    sees_other = world["other"].original_name in page
    assert sees_target == (role in {"uploader_in", "reviewer_in", "admin"})
    assert sees_other == (role in {"uploader_out", "reviewer_out", "admin"})


def test_an_uploader_sees_their_own_upload_even_before_its_department_is_known(client, world):
    user = world["users"]["uploader_out"]
    mine = make_disclosure(None, uploaded_by=user)
    client.force_login(user)
    assert client.get(reverse("disclosures:disclosure_detail", args=[mine.pk])).status_code == 200
    status = client.get(
        reverse("disclosures:disclosure_status"), {"ids": f"{mine.pk},{world['target'].pk}"}
    ).json()
    assert [r["id"] for r in status["results"]] == [mine.pk]


def test_anonymous_visitors_see_only_published_data_on_the_public_side(client, world):
    home = client.get(reverse("comparisons:home")).content.decode()
    assert world["target"].department.name not in home
    world["target"].publication = Publication.PUBLISHED
    world["target"].save()
    home = client.get(reverse("comparisons:home")).content.decode()
    assert world["target"].department.name in home
    assert world["other"].department.name not in home


def test_login_is_locked_after_repeated_wrong_passwords(client, world, settings):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "reviewer_in", "password": "wrong"})
    response = client.post(url, {"username": "reviewer_in", "password": "pw-reviewer_in-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
