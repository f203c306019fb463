"""Choice sets for the disclosures app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a disclosure's file is in the parse pipeline. The row is the truth; tasks only
    move it forward. Publication is a separate state (``Publication``): re-parsing never
    changes what the public sees."""

    UPLOADED = "uploaded", _("已上传")
    QUEUED = "queued", _("排队中")
    PARSING = "parsing", _("解析中")
    PARSED = "parsed", _("已解析")
    FAILED = "failed", _("失败")


class Publication(models.TextChoices):
    """What the public sees of a disclosure, independent of its parse state."""

    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被替换")


class Kind(models.TextChoices):
    BUDGET = "budget", _("预算")
    FINAL = "final", _("决算")


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("地级")
    COUNTY = "county", _("县级")


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"
    XLS = "xls", "XLS"
    HTML = "html", "HTML"
    TEXT = "text", _("文本")


class Classification(models.TextChoices):
    FUNCTIONAL = "functional", _("支出功能分类")
    ECONOMIC = "economic", _("部门支出经济分类")


class Scope(models.TextChoices):
    DEPARTMENT = "department", _("部门支出（全部资金）")
    GENERAL_BUDGET = "general_budget", _("一般公共预算")
    BASIC = "basic", _("基本支出")


class FigureGroup(models.TextChoices):
    TOTALS = "totals", _("收支总额")
    THREE_PUBLIC = "three_public", _("三公经费")
    ASSETS = "assets", _("资产")


class Severity(models.TextChoices):
    ERROR = "error", _("错误")
    WARNING = "warning", _("警告")
    INFO = "info", _("提示")


class Role(models.TextChoices):
    """What a staff member may do, within their scope (departments and/or regions)."""

    UPLOADER = "uploader", _("上传人员")
    REVIEWER = "reviewer", _("审核人员")


class Origin(models.TextChoices):
    """Where a stored value comes from."""

    PARSER = "parser", _("解析")
    CORRECTED = "corrected", _("人工更正")
    ADDED = "added", _("人工添加")


class CorrectionAction(models.TextChoices):
    SET = "set", _("修改")
    ADD = "add", _("添加")
    REMOVE = "remove", _("删除")
