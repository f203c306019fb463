"""The review screen's department suggestion lists only departments in the user's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from disclosures.choices import Role
from disclosures.models import StaffScope
from disclosures.permissions import departments_in_scope, scope_covers

from ..factories import make_department, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_user_model):
    sichuan = make_region("四川省", level="province", code="510000")
    nanchong = make_region("南充市", parent=sichuan, code="511300")
    xichong = make_region("西充县", parent=nanchong, level="county", code="511325")
    hebei = make_region("河北省", level="province", code="130000")
    baoding = make_region("保定市", parent=hebei, code="130600")
    departments = {
        "province": make_department("四川省人力资源和社会保障厅", region=sichuan),
        "city": make_department("南充市人力资源和社会保障局", region=nanchong),
        "county": make_department("西充县人力资源和社会保障局", region=xichong),
        "other": make_department("保定市人力资源和社会保障局", region=baoding),
        "listed": make_department("保定市财政局", region=baoding),
        "nowhere": make_department("某某人力资源和社会保障局", region=None),
    }

    def user(name, role=None, departments=(), regions=(), **extra):
        u = django_user_model.objects.create_user(name, password=f"pw-{name}-123", **extra)
        if role:
            scope = StaffScope.objects.create(user=u, role=role)
            scope.departments.set(departments)
            scope.regions.set(regions)
        return u

    users = {
        "admin": user("admin", is_superuser=True, is_staff=True),
        # A city covers its counties; a listed department is covered wherever it is.
        "reviewer": user(
            "reviewer", Role.REVIEWER, departments=[departments["listed"]], regions=[nanchong]
        ),
        "uploader": user("uploader", Role.UPLOADER, regions=[sichuan]),
    }
    return departments, users


def suggest(client, user, q="人力资源"):
    client.force_login(user)
    response = client.get(reverse("disclosures:department_suggest"), {"q": q})
    assert response.status_code == 200
    return {row["name"] for row in response.json()["results"]}


def test_a_reviewer_is_offered_only_the_departments_in_their_scope(client, world):
    departments, users = world
    assert suggest(client, users["reviewer"]) == {
        departments["city"].name,
        departments["county"].name,
    }
    assert suggest(client, users["reviewer"], q="保定") == {departments["listed"].name}


def test_an_admin_is_offered_every_department(client, world):
    departments, users = world
    assert suggest(client, users["admin"]) == {
        d.name for key, d in departments.items() if key != "listed"
    }


def test_an_uploader_may_correct_nothing_so_is_offered_nothing(client, world):
    _, users = world
    assert suggest(client, users["uploader"]) == set()


def test_the_list_is_what_scope_covers_accepts(world):
    departments, users = world
    for user in users.values():
        offered = set(departments_in_scope(user))
        assert offered == {d for d in departments.values() if scope_covers(user, department=d)}
