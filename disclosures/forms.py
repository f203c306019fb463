"""Forms of the staff side."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import CorrectionAction

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

    # The form metaclass moves declared fields into base_fields, so this does not replace the
    # bound form's ``files`` (the uploaded data) that the stubs see here.
    files = MultipleFileField(  # type: ignore[assignment]
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


class CorrectionForm(forms.Form):
    """One correction from the review screen: a field, what to do, the new value, why.

    The screen posts one small form per value (``field`` names it, see
    ``services.FieldKey``); items send their parts (code, name, total, basic, project),
    everything else sends ``value``. A department or region may be typed by name: it is
    looked up here, and an unknown name is an error, never a guess. What the value means
    is checked by ``services.correct``.
    """

    field = forms.CharField(max_length=160)
    action = forms.ChoiceField(choices=CorrectionAction.choices, required=False)
    value = forms.CharField(required=False, max_length=500, strip=True)
    scope = forms.CharField(required=False, max_length=40)
    code = forms.CharField(required=False, max_length=16)
    name = forms.CharField(required=False, max_length=128)
    total = forms.CharField(required=False, max_length=40)
    basic = forms.CharField(required=False, max_length=40)
    project = forms.CharField(required=False, max_length=40)
    reason = forms.CharField(label=_("理由"), max_length=500)
    seen = forms.IntegerField(required=False, min_value=0)

    ITEM_PARTS = ("code", "name", "total", "basic", "project")

    def clean(self) -> dict[str, Any]:
        from . import services

        super().clean()
        data = self.cleaned_data  # what Form.clean returns; its stub allows None
        field = data.get("field", "")
        action = data.get("action") or CorrectionAction.SET
        if field.startswith(("functional.", "economic.")):
            value: object = {part: data.get(part, "") for part in self.ITEM_PARTS}
            if action == CorrectionAction.ADD:
                field = f"{data.get('scope', '')}.new"
        else:
            value = data.get("value", "")
        if field == "meta.department" and not str(value).isdigit():
            found = services.find_department(str(value))
            if found is None:
                raise forms.ValidationError(
                    _("找不到部门“%(name)s”：请从建议中选择，或新建部门。"), params={"name": value}
                )
            value = str(found.pk)
        if field == "meta.region" and not str(value).isdigit():
            found_region = services.find_region(str(value))
            if found_region is None:
                raise forms.ValidationError(_("找不到地区“%(name)s”。"), params={"name": value})
            value = str(found_region.pk)
        data["target"], data["action"], data["new_value"] = field, action, value
        return data
