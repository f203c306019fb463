"""Who may do what: roles (uploader, reviewer, admin) within scopes (departments, regions).

* **admin** — a superuser: everything, including Django admin and re-parsing everything.
* **reviewer** — sees, corrects, publishes and re-parses disclosures in their scope.
* **uploader** — uploads; sees the files they uploaded and those in their scope.
* anonymous visitors and everyone else — only published data, on the public pages.

A scope is a set of departments and/or regions; a region covers everything below it
(a province covers its cities and counties). A disclosure whose department is not yet
known is in nobody's scope: only its uploader and admins see it until it is assigned.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet

from .choices import Role
from .models import Department, Disclosure, StaffScope, in_region_q


class Action(StrEnum):
    UPLOAD = "upload"
    VIEW = "view"  # the staff view of one upload: status, review screen
    CORRECT = "correct"
    PUBLISH = "publish"
    REPARSE = "reparse"
    APPLY_REPARSE = "apply_reparse"  # confirm changes a re-parse makes to published data
    ADMIN = "admin"


REVIEWER_ACTIONS = {Action.VIEW, Action.CORRECT, Action.PUBLISH, Action.REPARSE}


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def roles(user) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_yujue_roles", None)
    if cached is None:
        cached = set(StaffScope.objects.filter(user=user).values_list("role", flat=True))
        user._yujue_roles = cached
    return cached


def is_staff_member(user) -> bool:
    """May open the staff side at all (upload page)."""
    return is_admin(user) or bool(roles(user))


def _scope_q(user, role_set: set[str]) -> Q:
    scopes = StaffScope.objects.filter(user=user, role__in=role_set)
    department_ids = set(scopes.values_list("departments", flat=True)) - {None}
    region_ids = set(scopes.values_list("regions", flat=True)) - {None}
    q = Q(pk__in=[])
    if department_ids:
        q |= Q(department_id__in=department_ids)
    if region_ids:
        q |= in_region_q(region_ids, "department__")
    return q


def disclosures_for(user, action: Action) -> QuerySet[Disclosure]:
    """The disclosures ``user`` may perform ``action`` on."""
    qs = Disclosure.objects.all()
    if is_admin(user):
        return qs
    have = roles(user)
    if action == Action.VIEW:
        q = Q(pk__in=[])
        if Role.REVIEWER in have or Role.UPLOADER in have:
            q |= _scope_q(user, have) | Q(uploaded_by=user)
        return qs.filter(q) if have else qs.none()
    if action in REVIEWER_ACTIONS and Role.REVIEWER in have:
        return qs.filter(_scope_q(user, {Role.REVIEWER}))
    return qs.none()


def can(user, action: Action, disclosure: Disclosure | None = None) -> bool:
    """Whether ``user`` may do ``action`` (on ``disclosure`` when it concerns one)."""
    if is_admin(user):
        return True
    if action in (Action.ADMIN, Action.APPLY_REPARSE):
        return False
    if action == Action.UPLOAD:
        return bool(roles(user) & {Role.UPLOADER, Role.REVIEWER})
    if disclosure is None:
        return bool(roles(user))
    return disclosures_for(user, action).filter(pk=disclosure.pk).exists()


def departments_in_scope(user, role: str = Role.REVIEWER) -> QuerySet[Department]:
    """The departments ``user``'s ``role`` scope covers (listed, or in a region of the
    scope, or below one): those :func:`scope_covers` accepts. Admins: all of them."""
    if is_admin(user):
        return Department.objects.all()
    if not user.is_authenticated:
        return Department.objects.none()
    scopes = StaffScope.objects.filter(user=user, role=role)
    department_ids = set(scopes.values_list("departments", flat=True)) - {None}
    region_ids = set(scopes.values_list("regions", flat=True)) - {None}
    q = Q(pk__in=department_ids)
    if region_ids:
        q |= in_region_q(region_ids)
    return Department.objects.filter(q)


def scope_covers(user, *, department=None, region=None, role: str = Role.REVIEWER) -> bool:
    """Whether ``user``'s ``role`` scope covers ``department`` (listed, or in a region of
    the scope) or ``region`` (it or a region above it is in the scope). Admins: always.

    The target of a correction must pass this too: a reviewer of department A may not
    move A's disclosure to department B, nor into a region outside their scope."""
    if is_admin(user):
        return True
    if not user.is_authenticated:
        return False
    scopes = StaffScope.objects.filter(user=user, role=role)
    department_ids = set(scopes.values_list("departments", flat=True)) - {None}
    region_ids = set(scopes.values_list("regions", flat=True)) - {None}
    if department is not None:
        if department.pk in department_ids:
            return True
        region = department.region
    if region is None:
        return False
    return bool({r.pk for r in region.ancestors_and_self()} & region_ids)
