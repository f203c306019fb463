from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    ChecklistItem,
    ClassificationCode,
    ClassificationName,
    Correction,
    Department,
    Disclosure,
    Figure,
    LineItem,
    ParseCheck,
    Region,
    StaffScope,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "parent", "code", "population")
    list_filter = ("level",)
    list_editable = ("population",)
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "region")
    list_filter = ("category",)
    search_fields = ("name", "category")
    autocomplete_fields = ("region",)


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = ("group", "key", "value", "page", "source_text")


class ParseCheckInline(admin.TabularInline):
    model = ParseCheck
    extra = 0
    fields = ("severity", "rule", "message", "path")


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "department",
        "fiscal_year",
        "kind",
        "format",
        "status",
        "publication",
        "created_at",
    )
    list_filter = ("status", "publication", "kind", "format", "fiscal_year")
    search_fields = ("original_name", "sha256", "department__name", "detected_department")
    readonly_fields = (
        "sha256",
        "size",
        "format",
        "parse_result",
        "created_at",
        "updated_at",
        "queued_at",
        "parse_started_at",
        "parsed_at",
        "published_at",
        "attempts",
    )
    autocomplete_fields = ("department",)
    inlines = [FigureInline, ParseCheckInline]
    actions = ["reparse_selected"]

    @admin.action(description=_("重新解析所选文件"))
    def reparse_selected(self, request, queryset):
        queued = sum(1 for disclosure in queryset if services.reparse(disclosure))
        self.message_user(request, _("已排队 %d 个文件。") % queued)


@admin.register(LineItem)
class LineItemAdmin(admin.ModelAdmin):
    list_display = (
        "disclosure",
        "classification",
        "scope",
        "code",
        "name",
        "total",
        "basic",
        "project",
    )
    list_filter = ("classification", "scope")
    search_fields = ("code", "name")
    raw_id_fields = ("disclosure",)


@admin.register(ParseCheck)
class ParseCheckAdmin(admin.ModelAdmin):
    list_display = ("disclosure", "severity", "rule", "message")
    list_filter = ("severity", "rule")
    raw_id_fields = ("disclosure",)


class ClassificationNameInline(admin.TabularInline):
    """The name each edition year gave the code, and where it was printed. Official editions
    are imported with ``manage.py import_classification PATH --edition YEAR``."""

    model = ClassificationName
    extra = 0
    fields = ("edition", "name", "variants", "origin", "source", "disclosure", "historical")
    readonly_fields = fields
    ordering = ("edition", "origin")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ClassificationCode)
class ClassificationCodeAdmin(admin.ModelAdmin):
    list_display = ("system", "code", "name", "level", "parent_code")
    list_filter = ("system", "level", "names__origin", "names__historical")
    search_fields = ("code", "name", "names__name")
    inlines = [ClassificationNameInline]

    def get_queryset(self, request):
        # the filters and the search go through the names: one row per code
        return super().get_queryset(request).distinct()


@admin.register(StaffScope)
class StaffScopeAdmin(admin.ModelAdmin):
    list_display = ("user", "role")
    list_filter = ("role",)
    autocomplete_fields = ("user", "departments", "regions")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("disclosure", "field", "action", "old_value", "new_value", "user", "created_at")
    list_filter = ("action",)
    search_fields = ("field", "reason")
    raw_id_fields = ("disclosure",)
    readonly_fields = ("old_value", "parser_value", "conflict", "user", "created_at")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "kinds", "position", "active")
    list_editable = ("position", "active")
