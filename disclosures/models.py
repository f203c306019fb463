"""Records: regions, departments, uploaded disclosures and what the parser read from them."""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    Classification,
    CorrectionAction,
    FigureGroup,
    FileFormat,
    Kind,
    Origin,
    Publication,
    RegionLevel,
    Role,
    Scope,
    Severity,
    Status,
)
from .parsing.classification import classification_level, parent_code


class _AmountOptions(TypedDict):
    max_digits: int
    decimal_places: int


# An amount's precision. Every amount field also says null=True, blank=True itself, so the
# type checker (which reads the call's own arguments) knows the value may be None.
AMOUNT: _AmountOptions = {"max_digits": 18, "decimal_places": 4}

__all__ = [
    "AMOUNT",
    "ChecklistItem",
    "ClassificationCode",
    "ClassificationName",
    "Correction",
    "Department",
    "Disclosure",
    "Figure",
    "LineItem",
    "NameOrigin",
    "ParseCheck",
    "Region",
    "StaffScope",
    "classification_level",
    "in_region_q",
    "parent_code",
    "published_q",
]


def in_region_q(region: Region | int | list[int] | set[int], prefix: str = "") -> Q:
    """Rows whose region (reached through ``prefix``, e.g. ``"department__"``) is ``region``
    or anything below it. Regions are at most three levels deep (province → city → county).

    The one definition of "this region and everything below it"; every queryset method
    and the permission scopes call it."""
    if isinstance(region, Region):
        region = region.pk
    op = "in" if isinstance(region, list | set | tuple) else "exact"
    path = f"{prefix}region"
    return (
        Q(**{f"{path}__{op}": region})
        | Q(**{f"{path}__parent__{op}": region})
        | Q(**{f"{path}__parent__parent__{op}": region})
    )


def published_q(prefix: str = "") -> Q:
    """Disclosures (reached through ``prefix``) the public sees: published and current.

    At most one disclosure per department, year and kind is published at a time (a
    database constraint); a replaced one is ``superseded``."""
    return Q(**{f"{prefix}publication": Publication.PUBLISHED})


class RegionQuerySet(models.QuerySet["Region"]):
    def with_published_data(self) -> RegionQuerySet:
        """Regions that hold a department with published data, directly or below them."""
        published = Disclosure.objects.published()
        return self.filter(
            Exists(published.filter(department__region=OuterRef("pk")))
            | Exists(published.filter(department__region__parent=OuterRef("pk")))
            | Exists(published.filter(department__region__parent__parent=OuterRef("pk")))
        )


class Region(models.Model):
    """A province, prefecture-level city or county-level unit, in a hierarchy."""

    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("行政区划代码"), max_length=12, null=True, blank=True, unique=True)
    population = models.PositiveBigIntegerField(_("常住人口"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="region_unique_name_under_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def ancestors_and_self(self) -> list[Region]:
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain

    @property
    def full_name(self) -> str:
        parts: list[str] = []
        node: Region | None = self
        while node is not None:
            if not parts or parts[0] != node.name:  # 重庆市 is province and city
                parts.insert(0, node.name)
            node = node.parent
        return "".join(parts)


class DepartmentQuerySet(models.QuerySet["Department"]):
    def published(self) -> DepartmentQuerySet:
        """Departments with at least one published disclosure."""
        return self.filter(Exists(Disclosure.objects.published().filter(department=OuterRef("pk"))))

    def in_region(self, region: Region | int) -> DepartmentQuerySet:
        return self.filter(in_region_q(region))


class Department(models.Model):
    """A government department as it names itself, with the names it is also known by."""

    name = models.CharField(_("正式名称"), max_length=128, unique=True)
    category = models.CharField(
        _("类别"), max_length=64, blank=True, db_index=True, help_text=_("如 人力资源和社会保障局")
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
    )
    aliases = models.JSONField(_("别名"), default=list, blank=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DisclosureQuerySet(models.QuerySet["Disclosure"]):
    def published(self) -> DisclosureQuerySet:
        """What the public sees: published and not replaced by a newer upload."""
        return self.filter(published_q())

    def in_region(self, region: Region | int) -> DisclosureQuerySet:
        return self.filter(in_region_q(region, "department__"))

    def stuck(self, older_than: timedelta) -> DisclosureQuerySet:
        """Rows a lost message or a killed worker left behind in queued/parsing."""
        cutoff = timezone.now() - older_than
        return self.filter(
            Q(status=Status.QUEUED, queued_at__lt=cutoff)
            | Q(status=Status.PARSING, parse_started_at__lt=cutoff)
            | Q(status=Status.UPLOADED, created_at__lt=cutoff)
        )


class Disclosure(models.Model):
    """One uploaded budget or final-account file and the state of its parse."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, blank=True)

    file = models.FileField(_("文件"), upload_to="disclosures/%Y/%m/", max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    format = models.CharField(_("格式"), max_length=8, choices=FileFormat.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)

    status = models.CharField(
        _("解析状态"), max_length=16, choices=Status.choices, default=Status.UPLOADED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    error_code = models.CharField(
        _("失败原因代码"),
        max_length=48,
        blank=True,
        help_text=_("见 disclosures/parsing/errors.py；说明文字在显示时按语言翻译"),
    )
    error_params = models.JSONField(_("失败原因参数"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("解析次数"), default=0)
    parser_version = models.CharField(_("解析器版本"), max_length=32, blank=True)
    publication = models.CharField(
        _("发布状态"),
        max_length=16,
        choices=Publication.choices,
        default=Publication.DRAFT,
        db_index=True,
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_with_errors = models.BooleanField(
        _("带已知不一致发布"),
        default=False,
        help_text=_("发布时仍有错误级校验，审核人员已确认知悉"),
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("被替换为"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    pending_result = models.JSONField(
        _("待确认的重新解析结果"),
        null=True,
        blank=True,
        help_text=_("已发布文件重新解析后的结果，管理员确认后才生效"),
    )

    detected_department = models.CharField(_("识别的部门名称"), max_length=128, blank=True)
    detected_region = models.JSONField(_("识别的地区"), default=dict, blank=True)
    parse_result = models.JSONField(
        _("解析结果"), null=True, blank=True, help_text=_("解析器输出的完整 JSON（disclosure/1）")
    )
    outline = models.JSONField(
        _("标题与说明文字"),
        default=list,
        blank=True,
        help_text=_("文件中的标题、表名和说明段落，用于检查公开完整性"),
    )

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    parse_started_at = models.DateTimeField(_("开始解析"), null=True, blank=True)
    parsed_at = models.DateTimeField(_("解析完成"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开文件")
        verbose_name_plural = _("公开文件")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["department", "fiscal_year", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "fiscal_year", "kind"],
                condition=Q(publication=Publication.PUBLISHED),
                name="disclosure_one_published_per_department_year_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("disclosures:disclosure_detail", args=[self.pk])

    @property
    def error_message(self) -> str:
        """The failure reason in plain words, in the language of the current request."""
        if not self.error_code:
            return ""
        from django.utils.translation import gettext

        from .parsing.errors import render_message

        return render_message(self.error_code, self.error_params, gettext)

    @property
    def is_finished(self) -> bool:
        """The pipeline has nothing more to do (parsed or failed)."""
        return self.status in {Status.PARSED, Status.FAILED}

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED

    @property
    def needs_review(self) -> bool:
        return self.status == Status.PARSED and self.publication == Publication.DRAFT

    @property
    def state_label(self) -> str:
        """The parse state as staff read it: a parsed draft is waiting for review."""
        return str(_("待审核")) if self.needs_review else str(self.get_status_display())


class Figure(models.Model):
    """One scalar figure (a total, a 三公经费 component, a count) with where it was read."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="figures")
    group = models.CharField(_("分组"), max_length=16, choices=FigureGroup.choices)
    key = models.CharField(_("项目"), max_length=48)
    value = models.DecimalField(_("数值"), null=True, blank=True, **AMOUNT)
    page = models.PositiveIntegerField(_("页码"), null=True, blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    source = models.JSONField(_("来源位置"), default=dict, blank=True)
    origin = models.CharField(
        _("来源"), max_length=12, choices=Origin.choices, default=Origin.PARSER
    )
    confirmed = models.BooleanField(
        _("已由校验确认"),
        null=True,
        blank=True,
        help_text=_("至少一项通过的勾稽校验涉及这个数；否则为未确认"),
    )

    class Meta:
        verbose_name = _("数值")
        verbose_name_plural = _("数值")
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "group", "key"], name="figure_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}.{self.key}={self.value}"


class LineItemQuerySet(models.QuerySet["LineItem"]):
    def published(self) -> LineItemQuerySet:
        """Line items of published disclosures."""
        return self.filter(published_q("disclosure__"))

    def in_region(self, region: Region | int) -> LineItemQuerySet:
        return self.filter(in_region_q(region, "disclosure__department__"))


class LineItem(models.Model):
    """A functional (类/款/项) or economic classification row, amounts in 万元."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="line_items")
    classification = models.CharField(_("分类"), max_length=16, choices=Classification.choices)
    scope = models.CharField(_("口径"), max_length=16, choices=Scope.choices)
    position = models.PositiveIntegerField(_("序号"))
    # null, not "": the parser could not tell the code (EXTRACTION.md), which differs from none
    code = models.CharField(  # noqa: DJ001
        _("科目编码"),
        max_length=16,
        null=True,
        blank=True,
        db_index=True,
    )
    level = models.PositiveSmallIntegerField(
        _("层级"), null=True, blank=True, help_text=_("1 类 / 2 款 / 3 项")
    )
    name = models.CharField(_("科目名称"), max_length=128)
    total = models.DecimalField(_("合计"), null=True, blank=True, **AMOUNT)
    basic = models.DecimalField(_("基本支出"), null=True, blank=True, **AMOUNT)
    project = models.DecimalField(_("项目支出"), null=True, blank=True, **AMOUNT)
    page = models.PositiveIntegerField(_("页码"), null=True, blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    origin = models.CharField(
        _("来源"), max_length=12, choices=Origin.choices, default=Origin.PARSER
    )
    confirmed = models.BooleanField(
        _("已由校验确认"),
        null=True,
        blank=True,
        help_text=_("至少一项通过的勾稽校验涉及这个数；否则为未确认"),
    )

    objects = LineItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("科目明细")
        verbose_name_plural = _("科目明细")
        ordering = ["disclosure", "classification", "scope", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "classification", "scope", "position"],
                name="lineitem_unique_position",
            ),
        ]
        indexes = [models.Index(fields=["code", "scope"])]

    def __str__(self) -> str:
        return f"{self.code or '—'} {self.name}"


class ParseCheck(models.Model):
    """A finding of validation that a person should look at."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="checks")
    severity = models.CharField(_("级别"), max_length=8, choices=Severity.choices)
    rule = models.CharField(_("规则"), max_length=48)
    message = models.TextField(_("说明"))
    path = models.CharField(_("位置"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("校验结果")
        verbose_name_plural = _("校验结果")
        ordering = ["disclosure", "id"]

    def __str__(self) -> str:
        return f"[{self.severity}] {self.rule}"

    @classmethod
    def rows_for(cls, disclosure: Disclosure, checks: list[dict]) -> list[ParseCheck]:
        """Unsaved rows for checks in the disclosure/1 JSON shape."""
        return [
            cls(
                disclosure=disclosure,
                severity=c["severity"],
                rule=c["rule"],
                message=c["message"],
                path=c.get("path") or "",
            )
            for c in checks
        ]

    @property
    def explanation(self) -> str:
        from .labels import rule_explanation

        return rule_explanation(self.rule)


class ClassificationCode(models.Model):
    """The classification dictionary: functional 类/款/项 and economic codes with names.

    ``name`` is the current name: the name for the newest year among the code's
    :class:`ClassificationName` rows (disclosures/services/dictionary.py keeps it so); the
    name each edition year printed is in ``names``."""

    system = models.CharField(_("体系"), max_length=16, choices=Classification.choices)
    code = models.CharField(_("编码"), max_length=16)
    name = models.CharField(_("名称"), max_length=128)
    level = models.PositiveSmallIntegerField(_("层级"))
    parent_code = models.CharField(_("上级编码"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("分类科目")
        verbose_name_plural = _("分类科目")
        ordering = ["system", "code"]
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="classification_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class NameOrigin(models.TextChoices):
    """Where a classification name comes from, most authoritative first."""

    OFFICIAL = "official", _("官方版本（管理员导入）")
    DISCLOSURE = "disclosure", _("已发布文件的表格")
    REFERENCE = "reference", _("公开资料汇编")


class ClassificationName(models.Model):
    """The name a classification code had in one edition year, and where it was printed:
    the shipped dictionary (public documents, by edition year), an official edition an
    admin imported, or a published disclosure's own table (that disclosure's fiscal year).

    Which name counts for a year: disclosures/services/dictionary.py (nearest edition at or
    before the year, the parser's ``edition_rank``; historical rows last for a modern year;
    then official, disclosure, reference). A disclosure's rows count while it is published.
    """

    code = models.ForeignKey(
        ClassificationCode, verbose_name=_("科目"), on_delete=models.CASCADE, related_name="names"
    )
    edition = models.PositiveSmallIntegerField(
        _("版本年度"), null=True, blank=True, help_text=_("印有这一名称的文件所属年度；空 = 来源未注明年份")
    )
    name = models.CharField(_("名称"), max_length=128)
    variants = models.JSONField(
        _("同年其他写法"), default=list, blank=True, help_text=_("同一年度文件中的其他印法")
    )
    origin = models.CharField(_("来源类型"), max_length=16, choices=NameOrigin.choices)
    source = models.CharField(
        _("来源"), max_length=255, blank=True, help_text=_("资料代号（见科目数据说明）或导入的文件名")
    )
    disclosure = models.ForeignKey(
        Disclosure,
        verbose_name=_("公开文件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="classification_names",
    )
    historical = models.BooleanField(
        _("历史版本"),
        default=False,
        help_text=_("仅见于2008年前后的旧版科目资料：2017年及以后的文件不以它为准"),
    )

    class Meta:
        verbose_name = _("科目历年名称")
        verbose_name_plural = _("科目历年名称")
        ordering = ["code", "edition", "origin", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "edition", "origin"],
                condition=Q(disclosure=None),
                name="classificationname_unique_edition",
            ),
            models.UniqueConstraint(
                fields=["code", "disclosure"],
                condition=Q(disclosure__isnull=False),
                name="classificationname_unique_disclosure",
            ),
        ]
        indexes = [models.Index(fields=["code", "edition"])]

    def __str__(self) -> str:
        return f"{self.code.code} {self.edition or '—'} {self.name}"


class StaffScope(models.Model):
    """A staff member's role and where it applies: departments and/or regions (a region
    includes everything below it). Superusers are admins and need no scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="scopes",
    )
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)
    departments = models.ManyToManyField(Department, verbose_name=_("部门"), blank=True)
    regions = models.ManyToManyField(Region, verbose_name=_("地区"), blank=True)

    class Meta:
        verbose_name = _("工作范围")
        verbose_name_plural = _("工作范围")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Correction(models.Model):
    """A person's change to what the parser read: who, when, old → new, and why.

    ``field`` is a stable key that survives re-parsing: ``meta.fiscal_year``,
    ``totals.grand_total``, ``functional.department.2080101`` (an item by its code, or
    ``…name=行政运行`` when it has none). Corrections are re-applied after every parse;
    where the parser now reads something other than it did when the correction was made,
    ``conflict`` holds the parser's new value for the reviewer to look at.
    """

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(_("字段"), max_length=160)
    action = models.CharField(
        _("操作"), max_length=8, choices=CorrectionAction.choices, default=CorrectionAction.SET
    )
    old_value = models.JSONField(_("原值"), null=True, blank=True)
    new_value = models.JSONField(_("新值"), null=True, blank=True)
    parser_value = models.JSONField(_("更正时的解析值"), null=True, blank=True)
    conflict = models.JSONField(_("重新解析后的不同解析值"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人工更正")
        verbose_name_plural = _("人工更正")
        ordering = ["disclosure", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class ChecklistItem(models.Model):
    """One table or explanation a complete disclosure contains (收支总表, 三公经费表 …).

    The checklist is data: admins edit names, patterns and which kinds it applies to,
    because templates differ by place and between budgets and final accounts.
    """

    key = models.SlugField(_("代码"), max_length=48, unique=True)
    label = models.CharField(_("名称"), max_length=64)
    kinds = models.CharField(
        _("适用"),
        max_length=16,
        default="budget,final",
        help_text=_("budget、final 或 budget,final"),
    )
    patterns = models.TextField(_("表名/标题（正则，每行一个）"))
    statement_patterns = models.TextField(
        _("“没有该项”说明（正则，每行一个）"),
        blank=True,
        help_text=_("文件说明本部门没有这项内容时，也算公开"),
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("公开完整性检查项")
        verbose_name_plural = _("公开完整性检查项")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.label

    def applies_to(self, kind: str) -> bool:
        return kind in {k.strip() for k in self.kinds.split(",")}
