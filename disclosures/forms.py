"""Forms of the staff side."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ACCEPTED_EXTENSIONS = ".pdf,.docx,.xlsx,.xls,.html,.htm,.txt,.md"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files and checks the size of each."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_EXTENSIONS}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [single(f, initial) for f in files if f]
        if not cleaned:
            raise forms.ValidationError(_("请选择至少一个文件。"), code="required")
        limit = settings.YUJUE_MAX_UPLOAD_MB * 1024 * 1024
        for f in cleaned:
            if f.size > limit:
                raise forms.ValidationError(
                    _("%(name)s 超过 %(mb)s MB 的上限，未保存。"),
                    code="too_large",
                    params={"name": f.name, "mb": settings.YUJUE_MAX_UPLOAD_MB},
                )
        return cleaned


class DisclosureUploadForm(forms.Form):
    """Upload one or many files; the type is recognised from content after the form."""

    files = MultipleFileField(
        label=_("文件"),
        help_text=_("PDF、DOCX、XLSX、XLS、HTML、TXT、MD，可多选或拖放"),
    )


class DepartmentCreateForm(forms.ModelForm):
    """A department the parser found but the records do not have yet."""

    reason = forms.CharField(label=_("理由"), max_length=500)
    region_name = forms.CharField(
        label=_("地区"), required=False, help_text=_("如 南充市、重庆市南岸区；可留空")
    )

    class Meta:
        from .models import Department

        model = Department
        fields = ["name", "category"]

    def clean_region_name(self):
        from . import services

        name = self.cleaned_data.get("region_name", "").strip()
        if not name:
            return None
        region = services.find_region(name)
        if region is None:
            raise forms.ValidationError(_("找不到这个地区：%(name)s"), params={"name": name})
        return region

    def save(self, commit=True):
        department = super().save(commit=False)
        department.region = self.cleaned_data.get("region_name")
        if commit:
            department.save()
        return department
