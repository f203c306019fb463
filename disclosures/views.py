"""Staff side: upload, the upload list with live status, one disclosure's parse."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import services
from .filtersets import DisclosureFilterSet
from .forms import DisclosureUploadForm
from .models import Disclosure
from .tables import DisclosureTable, LineItemTable


class DisclosureListView(LoginRequiredMixin, PermissionRequiredMixin, SingleTableMixin,
                         FilterView):
    """Upload form and the list of uploads whose status updates live."""

    permission_required = "disclosures.add_disclosure"
    model = Disclosure
    table_class = DisclosureTable
    filterset_class = DisclosureFilterSet
    template_name = "disclosures/disclosure_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Disclosure.objects.select_related("department").order_by("-created_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or DisclosureUploadForm()
        context["max_upload_mb"] = settings.YUJUE_MAX_UPLOAD_MB
        return context


@login_required
@permission_required("disclosures.add_disclosure", raise_exception=True)
@require_POST
def disclosure_upload(request: HttpRequest) -> HttpResponse:
    """Store each file and queue its parse; answer JSON for the drag-and-drop page."""
    form = DisclosureUploadForm(request.POST, request.FILES)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not form.is_valid():
        errors = [str(e) for e in form.errors.get("files", [])] or [_("上传失败。")]
        if wants_json:
            return JsonResponse({"results": [], "errors": errors}, status=400)
        for error in errors:
            messages.error(request, error)
        return redirect("disclosures:disclosure_list")

    results = []
    for upload in form.cleaned_data["files"]:
        try:
            outcome = services.ingest_upload(upload, upload.name, user=request.user)
        except services.UploadRejected as exc:
            results.append({"name": upload.name, "ok": False, "error": str(exc)})
            continue
        row = services.status_payload(outcome.disclosure)
        row.update(name=upload.name, ok=True, duplicate=not outcome.created)
        results.append(row)

    if wants_json:
        return JsonResponse({"results": results, "errors": []})
    for row in results:
        if not row["ok"]:
            messages.error(request, row["error"])
        elif row["duplicate"]:
            messages.warning(request, _("%(name)s 之前已上传过，没有重复保存。") % row)
        else:
            messages.success(request, _("%(name)s 已上传，正在排队解析。") % row)
    return redirect("disclosures:disclosure_list")


@login_required
@permission_required("disclosures.add_disclosure", raise_exception=True)
def disclosure_status(request: HttpRequest) -> JsonResponse:
    """Live status of the given rows (?ids=1,2,3) for the polling upload list."""
    ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.strip().isdigit()][:200]
    rows = Disclosure.objects.filter(pk__in=ids).select_related("department")
    return JsonResponse({"results": [services.status_payload(d) for d in rows]})


class DisclosureDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    """What the parser read from one file, its checks, and re-parse / publish actions."""

    permission_required = "disclosures.view_disclosure"
    model = Disclosure
    template_name = "disclosures/disclosure_detail.html"

    def get_queryset(self):
        return Disclosure.objects.select_related("department", "department__region")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        d = self.object
        context["figures"] = d.figures.order_by("group", "id")
        context["checks"] = d.checks.all()
        context["line_table"] = LineItemTable(d.line_items.order_by("classification", "scope",
                                                                    "position"))
        return context


@login_required
@permission_required("disclosures.change_disclosure", raise_exception=True)
@require_POST
def disclosure_reparse(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = get_object_or_404(Disclosure, pk=pk)
    services.reparse(disclosure)
    messages.info(request, _("已重新排队解析。"))
    return redirect(disclosure)


@login_required
@permission_required("disclosures.change_disclosure", raise_exception=True)
@require_POST
def disclosure_publish(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = get_object_or_404(Disclosure, pk=pk)
    if disclosure.parse_result is None:
        messages.error(request, _("还没有解析结果，不能发布。"))
    else:
        services.publish(disclosure)
        messages.success(request, _("已发布。"))
    return redirect(disclosure)
