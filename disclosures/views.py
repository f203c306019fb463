"""Staff side: upload, the upload list with live status, review, correct, publish."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_htmx.middleware import HtmxDetails
from django_tables2 import SingleTableMixin

from . import services
from .filtersets import DisclosureFilterSet
from .forms import CorrectionForm, DepartmentCreateForm, DisclosureUploadForm
from .models import Disclosure, Region
from .pages import render_page_png
from .permissions import (
    Action,
    can,
    departments_in_scope,
    disclosures_for,
    is_admin,
    is_staff_member,
    scope_covers,
)
from .review import review_context
from .tables import DisclosureTable


class HtmxHttpRequest(HttpRequest):
    """For the type checker: a request that went through django-htmx's HtmxMiddleware."""

    htmx: HtmxDetails


def staff_required(action: Action | None = None):
    """Anonymous → login; logged in without the right → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            allowed = can(request.user, action) if action else is_staff_member(request.user)
            if not allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _disclosure_for(request: HttpRequest, pk: int, action: Action) -> Disclosure:
    disclosure = get_object_or_404(
        Disclosure.objects.select_related("department", "department__region"), pk=pk
    )
    if not can(request.user, action, disclosure):
        raise PermissionDenied
    return disclosure


class DisclosureListView(SingleTableMixin, FilterView):
    """Upload form and the list of uploads whose status updates live."""

    table_class = DisclosureTable
    filterset_class = DisclosureFilterSet
    template_name = "disclosures/disclosure_list.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        return staff_required()(super().dispatch)(request, *args, **kwargs)

    def get_queryset(self):
        return (
            disclosures_for(self.request.user, Action.VIEW)
            .select_related("department")
            .order_by("-created_at")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = DisclosureUploadForm()
        context["max_upload_mb"] = settings.YUJUE_MAX_UPLOAD_MB
        context["can_upload"] = can(self.request.user, Action.UPLOAD)
        return context


@staff_required(Action.UPLOAD)
@require_POST
def disclosure_upload(request: HtmxHttpRequest) -> HttpResponse:
    """Store each file and queue its parse; answer JSON for the drag-and-drop page."""
    form = DisclosureUploadForm(request.POST, request.FILES)
    wants_json = "application/json" in request.headers.get("Accept", "")
    # Files dropped while streaming in because they passed the per-file limit.
    too_large = [
        _("%(name)s 超过 %(mb)s MB 的上限，未保存。")
        % {"name": name, "mb": settings.YUJUE_MAX_UPLOAD_MB}
        for name in getattr(request, "oversized_uploads", [])
    ]
    if not form.is_valid():
        errors = too_large or [str(e) for e in form.errors.get("files", [])] or [_("上传失败。")]
        if wants_json:
            return JsonResponse({"results": [], "errors": errors}, status=400)
        if request.htmx:
            return render(request, "disclosures/_upload_results.html", {"errors": errors})
        for error in errors:
            messages.error(request, error)
        return redirect("disclosures:disclosure_list")

    results: list[dict] = [{"name": "", "ok": False, "error": e} for e in too_large]
    outcomes: list[dict] = [{"name": "", "error": e} for e in too_large]
    for upload in form.cleaned_data["files"]:
        try:
            outcome = services.ingest_upload(upload, upload.name, user=request.user)
        except services.UploadRejected as exc:
            results.append({"name": upload.name, "ok": False, "error": str(exc)})
            outcomes.append({"name": upload.name, "error": str(exc)})
            continue
        if not outcome.created and not can(request.user, Action.VIEW, outcome.disclosure):
            # Someone outside this user's scope uploaded it: say only that it exists,
            # not whose it is, its year or where it stands.
            results.append({"name": upload.name, "ok": True, "duplicate": True})
            outcomes.append({"name": upload.name, "duplicate": True, "hidden": True})
            continue
        row = services.status_payload(outcome.disclosure)
        row.update(name=upload.name, ok=True, duplicate=not outcome.created)
        results.append(row)
        outcomes.append(
            {
                "name": upload.name,
                "disclosure": outcome.disclosure,
                "duplicate": not outcome.created,
            }
        )

    if wants_json:
        return JsonResponse({"results": results, "errors": []})
    if request.htmx:  # the upload page: one row per file, each polling its own status
        return render(request, "disclosures/_upload_results.html", {"results": outcomes})
    for row in results:
        if not row["ok"]:
            messages.error(request, row["error"])
        elif row["duplicate"]:
            messages.warning(request, _("%(name)s 之前已上传过，没有重复保存。") % row)
        else:
            messages.success(request, _("%(name)s 已上传，正在排队解析。") % row)
    return redirect("disclosures:disclosure_list")


@staff_required()
def disclosure_status(request: HttpRequest) -> JsonResponse:
    """Live status of the given rows (?ids=1,2,3) for the polling upload list."""
    ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.strip().isdigit()][:200]
    rows = (
        disclosures_for(request.user, Action.VIEW).filter(pk__in=ids).select_related("department")
    )
    return JsonResponse({"results": [services.status_payload(d) for d in rows]})


@staff_required()
def disclosure_status_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """One row's status as HTML for htmx; it keeps polling itself until the row is
    finished (the returned element drops its trigger)."""
    disclosure = _disclosure_for(request, pk, Action.VIEW)
    return render(
        request,
        "disclosures/_status_cell.html",
        {"record": disclosure, "show_meta": request.GET.get("meta") == "1"},
    )


@staff_required()
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The review screen: every value beside its source, checks, corrections, actions."""
    disclosure = _disclosure_for(request, pk, Action.VIEW)
    return render(
        request, "disclosures/disclosure_review.html", review_context(disclosure, request.user)
    )


@staff_required()
@require_POST
def disclosure_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply one correction (set / add / remove) with its reason."""
    disclosure = _disclosure_for(request, pk, Action.CORRECT)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(reverse("disclosures:disclosure_detail", args=[pk]) + "#corrections")
    data = form.cleaned_data
    try:
        correction = services.correct(
            disclosure,
            data["target"],
            data["new_value"],
            reason=data["reason"],
            user=request.user,
            action=data["action"],
            seen=data.get("seen"),
        )
    except services.CorrectionRejected as exc:
        messages.error(request, str(exc))
    else:
        if getattr(correction, "unpublished", False):
            messages.warning(
                request,
                _("这份文件已撤回发布（它替换的旧文件重新公开）；核对后请重新发布。"),
            )
        messages.success(request, _("已更正，校验已重新运行。"))
    return redirect(reverse("disclosures:disclosure_detail", args=[pk]) + "#corrections")


@staff_required()
@require_POST
def department_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a department that does not exist yet and assign it to this disclosure."""
    disclosure = _disclosure_for(request, pk, Action.CORRECT)
    form = DepartmentCreateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(disclosure)
    region = form.cleaned_data.get("region_name")
    if region is None and not is_admin(request.user):
        messages.error(request, _("新建部门须指定地区（你的工作范围内）。"))
        return redirect(disclosure)
    if region is not None and not scope_covers(request.user, region=region):
        messages.error(request, _("这个地区不在你的工作范围内，不能在这里新建部门。"))
        return redirect(disclosure)
    department = form.save()
    try:
        services.correct(
            disclosure,
            "meta.department",
            department.pk,
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except services.CorrectionRejected as exc:
        messages.error(request, str(exc))
    return redirect(disclosure)


@staff_required()
def department_suggest(request: HttpRequest) -> JsonResponse:
    """Departments whose name or alias contains ?q= (for the review screen's correction of
    a disclosure's department): only those the user may move a disclosure to, i.e. in
    their reviewer scope (admins: all)."""
    q = request.GET.get("q", "").strip()
    rows = departments_in_scope(request.user).select_related("region")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(aliases__icontains=q))
    return JsonResponse(
        {
            "results": [
                {"id": d.pk, "name": d.name, "region": d.region.full_name if d.region else ""}
                for d in rows.order_by("name")[:20]
            ]
        }
    )


@staff_required()
def region_suggest(request: HttpRequest) -> JsonResponse:
    q = request.GET.get("q", "").strip()
    rows = Region.objects.select_related("parent", "parent__parent")
    rows = rows.filter(name__icontains=q) if q else rows.none()
    return JsonResponse(
        {"results": [{"id": r.pk, "name": r.full_name} for r in rows.order_by("code")[:20]]}
    )


@staff_required()
@require_POST
def disclosure_reparse(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _disclosure_for(request, pk, Action.REPARSE)
    if not services.reparse(disclosure):
        messages.info(request, _("这份文件已在排队或解析中，不会重复解析。"))
    elif disclosure.is_published:
        messages.info(request, _("已重新排队解析；已发布的数值在管理员确认变化之前保持不变。"))
    else:
        messages.info(request, _("已重新排队解析。"))
    return redirect(disclosure)


@staff_required()
@require_POST
def disclosure_apply_reparse(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _disclosure_for(request, pk, Action.APPLY_REPARSE)
    if request.POST.get("decision") == "discard":
        services.discard_pending(disclosure)
        messages.info(request, _("已放弃这次重新解析的结果。"))
    else:
        services.apply_pending(disclosure)
        messages.success(request, _("重新解析的结果已生效；人工更正已保留。"))
    return redirect(disclosure)


@staff_required()
@require_POST
def disclosure_publish(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _disclosure_for(request, pk, Action.PUBLISH)
    if request.POST.get("decision") == "unpublish":
        services.unpublish(disclosure)
        messages.info(request, _("已撤回发布。"))
        return redirect(disclosure)
    if disclosure.parse_result is None:
        messages.error(request, _("还没有解析结果，不能发布。"))
        return redirect(disclosure)
    try:
        services.publish(
            disclosure, user=request.user, acknowledge_errors=request.POST.get("acknowledge") == "1"
        )
    except services.PublishBlocked as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已发布。"))
    return redirect(disclosure)


@staff_required()
def disclosure_file(request: HttpRequest, pk: int) -> FileResponse:
    """The original uploaded file."""
    disclosure = _disclosure_for(request, pk, Action.VIEW)
    return FileResponse(
        disclosure.file.open("rb"), as_attachment=True, filename=disclosure.original_name
    )


@staff_required()
def disclosure_page_image(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    """One PDF page as PNG, to check a figure against the page it was read from."""
    disclosure = _disclosure_for(request, pk, Action.VIEW)
    if disclosure.format != "pdf":
        raise Http404
    png = render_page_png(disclosure, page)
    if png is None:
        raise Http404
    return HttpResponse(png, content_type="image/png")
