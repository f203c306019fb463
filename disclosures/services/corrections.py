"""Corrections: a person's change to what the parser read, recorded and re-applied.

A correction names its field by a key that survives re-parsing (see ``Correction``), stores
old → new as JSON (amounts as decimal strings, so nothing is lost to floats), and is
re-applied after every parse. After any change the checks run again at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _

from .. import parsing
from ..choices import Classification, CorrectionAction, FigureGroup, Origin, Publication, Scope
from ..models import (
    Correction,
    Department,
    Disclosure,
    Figure,
    LineItem,
    ParseCheck,
    Region,
    classification_level,
)
from .cache import bump_generation
from .matching import MUNICIPALITIES


def to_decimal(value: Any) -> Decimal | None:
    """JSON amounts are floats of at most a few decimals; repr gives their exact digits."""
    if value is None or value == "":
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


META_FIELDS = ("department", "region", "fiscal_year", "kind")
ITEM_FIELDS = ("code", "name", "total", "basic", "project")


class CorrectionRejected(Exception):
    """A correction that cannot be applied; the message says why in plain words."""


@dataclass(frozen=True)
class FieldKey:
    kind: str  # "meta" | "figure" | "item"
    group: str  # meta: "meta"; figure: totals/three_public/assets; item: functional/economic
    name: str  # meta field, figure key, or item scope
    item: str | None = None  # item key: its code, or "name=<name>"

    @classmethod
    def parse(cls, field: str) -> FieldKey:
        parts = field.split(".", 2)
        if len(parts) == 2 and parts[0] == "meta" and parts[1] in META_FIELDS:
            return cls("meta", "meta", parts[1])
        if len(parts) == 2 and parts[0] in FigureGroup.values and parts[1].isidentifier():
            return cls("figure", parts[0], parts[1])
        if (
            len(parts) == 3
            and parts[0] in Classification.values
            and parts[1] in Scope.values
            and parts[2]
        ):
            return cls("item", parts[0], parts[1], parts[2])
        raise CorrectionRejected(_("无法识别的字段：%(field)s") % {"field": field})


def item_key(code: str | None, name: str) -> str:
    return code if code else f"name={name}"


def amount_text(value: Any) -> str | None:
    """An amount as a canonical decimal string ("801.12", "10"), None for null."""
    number = to_decimal(value)
    if number is None:
        return None
    return _decimal_text(number)


def _decimal_text(number: Decimal) -> str:
    """A decimal as a canonical string: "801.12", "10"."""
    return format(number.normalize(), "f")


def _item_json(item: dict[str, Any] | LineItem) -> dict[str, Any]:
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    return {
        "code": get("code"),
        "name": get("name"),
        "total": amount_text(get("total")),
        "basic": amount_text(get("basic")),
        "project": amount_text(get("project")),
    }


def parser_value(payload: dict[str, Any] | None, field: str) -> Any:
    """What the parser read for ``field`` in a disclosure/1 payload (None if absent)."""
    if not payload:
        return None
    key = FieldKey.parse(field)
    if key.kind == "meta":
        if key.name == "department":
            return payload.get("department")
        if key.name == "region":
            return payload.get("region")
        return payload.get(key.name)
    if key.kind == "figure":
        value = (payload.get(key.group) or {}).get(key.name)
        return value if key.group == "assets" else amount_text(value)
    for item in (payload.get(key.group) or {}).get(key.name, []):
        if item_key(item.get("code"), item.get("name") or "") == key.item:
            return _item_json(item)
    return None


def current_value(disclosure: Disclosure, field: str) -> Any:
    """The value stored now (corrections applied) for ``field``."""
    key = FieldKey.parse(field)
    if key.kind == "meta":
        if key.name == "department":
            return disclosure.department.name if disclosure.department is not None else None
        if key.name == "region":
            region = disclosure.department.region if disclosure.department is not None else None
            return region.full_name if region else None
        return getattr(disclosure, key.name) or None
    if key.kind == "figure":
        figure = disclosure.figures.filter(group=key.group, key=key.name).first()
        if figure is None or figure.value is None:
            return None
        return int(figure.value) if key.group == "assets" else amount_text(figure.value)
    row = _find_item(disclosure, key)
    return _item_json(row) if row else None


def _find_item(disclosure: Disclosure, key: FieldKey) -> LineItem | None:
    assert key.item is not None  # an "item" key always names its row
    rows = disclosure.line_items.filter(classification=key.group, scope=key.name)
    if key.item.startswith("name="):
        return rows.filter(code__isnull=True, name=key.item[5:]).first()
    return rows.filter(code=key.item).first()


def _clean_new_value(key: FieldKey, action: str, value: Any) -> Any:
    """Validate what a reviewer typed; reject rather than guess."""
    if action == CorrectionAction.REMOVE:
        return None
    if key.kind == "meta":
        if key.name == "fiscal_year":
            try:
                year = int(str(value).strip())
            except ValueError as exc:
                raise CorrectionRejected(_("年度必须是四位数字。")) from exc
            if not 1990 <= year <= 2100:
                raise CorrectionRejected(_("年度超出合理范围。"))
            return year
        if key.name == "kind":
            if value not in ("budget", "final"):
                raise CorrectionRejected(_("类型只能是预算或决算。"))
            return value
        if key.name == "department":
            if not Department.objects.filter(pk=value).exists():
                raise CorrectionRejected(_("请选择一个已有部门，或先新建部门。"))
            return int(value)
        if key.name == "region":
            if not Region.objects.filter(pk=value).exists():
                raise CorrectionRejected(_("请选择一个地区。"))
            return int(value)
    if key.kind == "figure":
        if value in (None, ""):
            return None
        if key.group == "assets":
            try:
                return int(str(value).strip())
            except ValueError as exc:
                raise CorrectionRejected(_("数量必须是整数。")) from exc
        return _parse_amount(value)
    item = dict(value or {})
    cleaned = {
        "code": (str(item.get("code") or "").strip() or None),
        "name": str(item.get("name") or "").strip(),
    }
    if cleaned["code"] and classification_level(cleaned["code"]) is None:
        raise CorrectionRejected(_("科目编码应为 3、5 或 7 位数字。"))
    if not cleaned["name"]:
        raise CorrectionRejected(_("科目名称不能为空。"))
    for part in ("total", "basic", "project"):
        raw = item.get(part)
        cleaned[part] = None if raw in (None, "") else _parse_amount(raw)
    return cleaned


def _parse_amount(value: Any) -> str:
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except ArithmeticError as exc:
        raise CorrectionRejected(
            _("“%(value)s”不是有效的金额（万元）。") % {"value": value}
        ) from exc
    if not number.is_finite():
        raise CorrectionRejected(_("“%(value)s”不是有效的金额（万元）。") % {"value": value})
    return _decimal_text(number)


class CorrectionConflict(CorrectionRejected):
    """Someone else changed the same field after the reviewer opened the page."""


def _guard_meta(disclosure: Disclosure, key: FieldKey, value: Any, user) -> bool:
    """The rules for moving a disclosure (department, region, year, kind).

    The target must be in the actor's scope; a department's own region is changed only
    by an admin (once it has one); a published disclosure is taken off the public pages
    first (what it replaced comes back), so two published disclosures of one department,
    year and kind can never exist. Returns True when it unpublished."""
    from ..permissions import is_admin, scope_covers

    if key.name == "department":
        target = Department.objects.select_related("region").get(pk=value)
        if not scope_covers(user, department=target):
            raise CorrectionRejected(
                _("“%(name)s”不在你的工作范围内，不能把文件归到这个部门。") % {"name": target.name}
            )
    if key.name == "region":
        department = disclosure.department
        if department is None:
            raise CorrectionRejected(_("请先指定部门，再指定地区。"))
        if department.region_id and not is_admin(user):
            raise CorrectionRejected(
                _("部门“%(name)s”已有所属地区；部门的地区只能由管理员在后台修改。")
                % {"name": department.name}
            )
        region = Region.objects.get(pk=value)
        if not scope_covers(user, region=region):
            raise CorrectionRejected(_("这个地区不在你的工作范围内。"))
    if disclosure.publication == Publication.PUBLISHED:
        from .publishing import unpublish

        unpublish(disclosure)
        return True
    return False


def correct(
    disclosure: Disclosure,
    field: str,
    new_value: Any,
    *,
    reason: str,
    user,
    action: str = CorrectionAction.SET,
    seen: int | None = None,
) -> Correction:
    """Record a person's correction and apply it; the checks run again at once.

    ``seen`` is the newest correction id of the disclosure when the reviewer opened the
    page: if someone corrected the same field since, nothing is overwritten and a
    :class:`CorrectionConflict` says who changed it to what. Corrections of one
    disclosure are serialised (a row lock), so its stored checks are always one run's."""
    if not (reason or "").strip():
        raise CorrectionRejected(_("请填写更正理由。"))
    key = FieldKey.parse(field)
    if key.kind != "item" and action != CorrectionAction.SET:
        raise CorrectionRejected(_("只有科目明细可以添加或删除。"))
    cleaned = _clean_new_value(key, action, new_value)
    if key.kind == "item" and action != CorrectionAction.REMOVE:
        # Renaming an item's code moves its key: record it under the key it ends up with
        # for additions, and under the old key for changes.
        if action == CorrectionAction.ADD:
            key = FieldKey("item", key.group, key.name, item_key(cleaned["code"], cleaned["name"]))
            field = f"{key.group}.{key.name}.{key.item}"
            if _find_item(disclosure, key) is not None:
                raise CorrectionRejected(_("这个科目已经存在，请直接修改。"))
    original = disclosure
    with transaction.atomic():
        disclosure = (
            Disclosure.objects.select_for_update(of=("self",))
            .select_related("department", "department__region")
            .get(pk=disclosure.pk)
        )
        if seen is not None:
            newer = (
                disclosure.corrections.filter(field=field, pk__gt=seen)
                .select_related("user")
                .order_by("-pk")
                .first()
            )
            if newer is not None:
                raise CorrectionConflict(
                    _(
                        "%(who)s 在你打开页面之后已把这个数改为 %(value)s，没有覆盖。"
                        "请刷新页面，看过最新的值再更正。"
                    )
                    % {"who": newer.user or _("另一位审核人员"), "value": newer.new_value}
                )
        unpublished = key.kind == "meta" and _guard_meta(disclosure, key, cleaned, user)
        correction = Correction.objects.create(
            disclosure=disclosure,
            field=field,
            action=action,
            old_value=current_value(disclosure, field),
            new_value=cleaned,
            parser_value=parser_value(disclosure.parse_result, field),
            reason=reason.strip(),
            user=user if getattr(user, "is_authenticated", False) else None,
        )
        _apply_one(disclosure, correction)
        rerun_checks(disclosure)
        transaction.on_commit(bump_generation)
    original.refresh_from_db()
    correction.unpublished = unpublished  # type: ignore[attr-defined]  # for the view's message
    return correction


def apply_corrections(disclosure: Disclosure) -> None:
    """Re-apply every correction after a parse, noting where the parser now differs."""
    for correction in disclosure.corrections.order_by("created_at", "id"):
        now = parser_value(disclosure.parse_result, correction.field)
        conflict = now if now != correction.parser_value else None
        if conflict != correction.conflict:
            correction.conflict = conflict
            correction.save(update_fields=["conflict"])
        _apply_one(disclosure, correction)
    if disclosure.corrections.exists():
        rerun_checks(disclosure)


def _apply_one(disclosure: Disclosure, correction: Correction) -> None:
    key = FieldKey.parse(correction.field)
    value = correction.new_value
    if key.kind == "meta":
        if key.name == "department":
            disclosure.department_id = value
            disclosure.save(update_fields=["department"])
        elif key.name == "region":
            if disclosure.department_id:
                Department.objects.filter(pk=disclosure.department_id).update(region_id=value)
        else:
            setattr(disclosure, key.name, value)
            disclosure.save(update_fields=[key.name])
        return
    if key.kind == "figure":
        Figure.objects.update_or_create(
            disclosure=disclosure,
            group=key.group,
            key=key.name,
            defaults={"value": to_decimal(value), "origin": Origin.CORRECTED},
        )
        return
    row = _find_item(disclosure, key)
    if correction.action == CorrectionAction.REMOVE:
        if row is not None:
            row.delete()
        return
    value = cast(dict[str, Any], value)  # an item's set/add value: its cleaned parts
    fields = {
        "code": value["code"],
        "name": value["name"],
        "level": classification_level(value["code"]),
        "total": to_decimal(value["total"]),
        "basic": to_decimal(value["basic"]),
        "project": to_decimal(value["project"]),
    }
    if row is None:
        last = (
            disclosure.line_items.filter(classification=key.group, scope=key.name)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        LineItem.objects.create(
            disclosure=disclosure,
            classification=key.group,
            scope=key.name,
            position=(last + 1) if last is not None else 0,
            origin=Origin.ADDED,
            **fields,
        )
        return
    for attr, val in fields.items():
        setattr(row, attr, val)
    row.origin = Origin.CORRECTED
    row.save()


def parsed_from_rows(disclosure: Disclosure) -> parsing.ParsedDisclosure:
    """The stored values (corrections applied) as the parser's own type, for validation."""
    from ..parsing import types as t

    totals: dict[str, Decimal | None] = {}
    three_public: dict[str, Decimal | None] = {}
    assets: dict[str, int | None] = {}
    for figure in disclosure.figures.all():
        if figure.group == "assets":
            assets[figure.key] = int(figure.value) if figure.value is not None else None
        else:
            amounts = {"totals": totals, "three_public": three_public}[figure.group]
            amounts[figure.key] = figure.value
    functional: dict[str, list] = {}
    economic: dict[str, list] = {}
    for row in disclosure.line_items.order_by("classification", "scope", "position"):
        target = functional if row.classification == Classification.FUNCTIONAL else economic
        target.setdefault(row.scope, []).append(
            t.LineItem(
                code=row.code, name=row.name, total=row.total, basic=row.basic, project=row.project
            )
        )
    region = disclosure.department.region if disclosure.department is not None else None
    chain = region.ancestors_and_self() if region else []
    names = {r.level: r.name for r in chain}
    return t.ParsedDisclosure(
        source_filename=disclosure.original_name,
        sha256=disclosure.sha256,
        format=disclosure.format,
        department=disclosure.department.name if disclosure.department is not None else None,
        region=t.Region(
            province=names.get("province"),
            city=names.get("city")
            or (names.get("province") if names.get("province") in MUNICIPALITIES else None),
            county=names.get("county"),
        ),
        fiscal_year=disclosure.fiscal_year,
        kind=disclosure.kind or None,
        totals=totals,
        three_public=three_public,
        assets=assets,
        functional={k: tuple(v) for k, v in functional.items()},
        economic={k: tuple(v) for k, v in economic.items()},
    )


def rerun_checks(disclosure: Disclosure) -> None:
    """Validate the stored values again (after a correction) and replace the checks.

    Arithmetic checks are recomputed from the corrected values; findings only the
    extraction can make (e.g. a figure in prose differing from the table) are kept from
    the parse, except those a correction has settled (an unknown region once assigned).
    """
    from ..parsing import checks as parser_checks

    parsed = parsed_from_rows(disclosure)
    fresh = list(parser_checks.validate(parsed))
    recomputed = {c.rule for c in fresh} | set(parser_checks.VALIDATION_RULES)
    kept = [
        c for c in (disclosure.parse_result or {}).get("checks", []) if c["rule"] not in recomputed
    ]
    if disclosure.department is not None and disclosure.department.region_id:
        kept = [c for c in kept if c["rule"] != "region_unknown"]
    disclosure.checks.all().delete()
    ParseCheck.objects.bulk_create(
        ParseCheck.rows_for(disclosure, kept)
        + ParseCheck.rows_for(disclosure, [c.to_dict() for c in fresh])
    )
    _reconfirm(disclosure, parsed)


def _reconfirm(disclosure: Disclosure, parsed: parsing.ParsedDisclosure) -> None:
    """Which stored figures a holding check confirms now (after a correction). A figure
    the document states twice with the same amount stays confirmed while it keeps the
    parser's value."""
    from ..parsing.confirm import confirmed_paths

    confirmed = confirmed_paths(parsed)
    for figure in disclosure.figures.all():
        value = f"{figure.group}.{figure.key}" in confirmed or (
            figure.origin == Origin.PARSER and bool((figure.source or {}).get("corroborated"))
        )
        if figure.value is not None and figure.confirmed != value:
            figure.confirmed = value
            figure.save(update_fields=["confirmed"])
    counters: dict[tuple[str, str], int] = {}
    for row in disclosure.line_items.order_by("classification", "scope", "position"):
        index = counters.get((row.classification, row.scope), 0)
        counters[(row.classification, row.scope)] = index + 1
        value = f"{row.classification}.{row.scope}[{index}]" in confirmed
        if row.confirmed != value:
            row.confirmed = value
            row.save(update_fields=["confirmed"])
