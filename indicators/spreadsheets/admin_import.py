"""Admin pages for bringing a year's actuals in from a spreadsheet.

Staff download the template for a year, upload the filled file, read the dry-run
preview, and confirm. The uploaded file waits in the database (PendingImport) under a
random token kept in the uploader's session, so any app server can answer the
confirmation; it is checked again when confirmed, and applied once however often the
confirmation arrives.
"""

import uuid
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from indicators.models import Actual, PendingImport, current_year
from indicators.spreadsheets import importing

SESSION_KEY = "actual_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


PENDING_HOURS = 24


def forget_stale():
    """Uploads abandoned (or applied) more than a day ago are removed."""
    PendingImport.objects.filter(
        created__lt=timezone.now() - timedelta(hours=PENDING_HOURS)
    ).delete()


def year_choices():
    low, high = Actual.year_bounds()
    return [(y, f"{y}年") for y in range(high, low - 1, -1)]


class TemplateForm(forms.Form):
    year = forms.TypedChoiceField(label="年份", coerce=int, choices=year_choices)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="填好的模板（.xlsx）",
        error_messages={"required": "请选择要导入的 .xlsx 文件。"},
    )


def urls(model_admin):
    """The import pages, mounted under the admin's 年度实际值 list."""
    view = model_admin.admin_site.admin_view
    return [
        path("import/", view(import_view), name="indicators_actual_import"),
        path("import/template/", view(template_view), name="indicators_actual_template"),
    ]


def require_entry_permission(request):
    if not (
        request.user.has_perm("indicators.add_actual")
        or request.user.has_perm("indicators.change_actual")
    ):
        raise PermissionDenied


def template_view(request):
    require_entry_permission(request)
    form = TemplateForm(request.GET)
    if not form.is_valid():
        messages.error(request, "请选择模板年份。")
        return redirect("admin:indicators_actual_import")
    year = form.cleaned_data["year"]
    # The workbook writer (openpyxl) is loaded by the first template, not by every worker.
    from indicators.spreadsheets.workbook import to_bytes

    response = HttpResponse(to_bytes(importing.template(year)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="actuals-template-{year}.xlsx"'
    return response


def import_view(request):
    require_entry_permission(request)
    if request.method == "POST" and "token" in request.POST:
        return confirm(request)
    upload = UploadForm(request.POST or None, request.FILES or None)
    context = {
        **admin_context(request),
        "template_form": TemplateForm(initial={"year": current_year() - 1}),
        "upload_form": upload,
        "limit_mb": settings.BEICHEN_IMPORT_MAX_BYTES / 1024 / 1024,
    }
    if request.method == "POST" and upload.is_valid():
        context.update(preview_context(request, upload.cleaned_data["file"]))
    return render(request, "admin/indicators/actual/import.html", context)


def preview_context(request, uploaded):
    # Refuse an oversized upload by its stated size before reading it into memory.
    if problem := importing.size_problem(uploaded.size):
        return {"preview": importing.Preview(uploaded.name, file_error=problem)}
    data = uploaded.read()
    preview = importing.check(data, uploaded.name, request.user)
    context = {"preview": preview}
    if preview.can_apply:
        forget_stale()
        token = uuid.uuid4().hex
        PendingImport.objects.create(
            token=token, user=request.user, filename=uploaded.name[:255], data=data
        )
        request.session[SESSION_KEY] = {"token": token, "filename": uploaded.name}
        context["token"] = token
    return context


EXPIRED = "导入预览已过期，请重新上传文件。"


def confirm(request):
    token = str(request.POST.get("token", ""))[:32]
    pending = PendingImport.objects.filter(token=token, user=request.user).first()
    if not token or pending is None:
        messages.error(request, EXPIRED)
        return redirect("admin:indicators_actual_import")
    with transaction.atomic():
        # Taking the upload is one conditional UPDATE: of six confirmations arriving at
        # once (a double click, a slow connection) exactly one finds it unapplied.
        taken = PendingImport.objects.filter(pk=pending.pk, applied__isnull=True).update(
            applied=timezone.now()
        )
        if taken:
            preview = importing.apply(bytes(pending.data), pending.filename, request.user)
            if preview.errors:
                transaction.set_rollback(True)  # nothing applied; the upload stays usable
    if not taken:
        pending.refresh_from_db()
        when = timezone.localtime(pending.applied).strftime("%H:%M:%S") if pending.applied else ""
        messages.warning(
            request,
            f"{pending.filename}已在 {when} 确认导入，本次确认没有重复导入任何数据。",
        )
        return redirect("admin:indicators_actual_changelist")
    request.session.pop(SESSION_KEY, None)
    if preview.errors:
        messages.error(request, "文件中的数据已有变化，未导入任何数据；请查看以下问题后重新上传。")
        context = {
            **admin_context(request),
            "template_form": TemplateForm(initial={"year": current_year() - 1}),
            "upload_form": UploadForm(),
            "preview": preview,
        }
        return render(request, "admin/indicators/actual/import.html", context)
    PendingImport.objects.filter(pk=pending.pk).update(data=b"")
    filename = pending.filename
    messages.success(
        request,
        f"已导入 {filename}：新增 {len(preview.created)} 条，修改 {len(preview.changed)} 条，"
        f"无变化 {len(preview.unchanged)} 条。导入的数值为草稿，请送审。",
    )
    return redirect("admin:indicators_actual_changelist")


def admin_context(request):
    from django.contrib import admin

    return {
        **admin.site.each_context(request),
        "opts": Actual._meta,
        "title": "从表格导入年度实际值",
    }
