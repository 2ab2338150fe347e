"""The 数据质量 page: every rule's findings and, for a year, what is still missing."""

import django_tables2 as tables
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from indicators.domain import permissions, quality
from indicators.web.pages import plan_choices, selected_plan

NOWRAP = {"td": {"style": "white-space: nowrap"}}


class FindingTable(tables.Table):
    """Findings as rows; the same columns serve the page and any export."""

    rule = tables.Column(_("检查规则"), accessor="rule_text", orderable=False, attrs=NOWRAP)
    level = tables.Column(_("性质"), accessor="level_text", orderable=False, attrs=NOWRAP)
    year = tables.Column(_("年份"), orderable=False, attrs=NOWRAP)
    message = tables.Column(_("说明"), accessor="message_text", orderable=False)
    source = tables.Column(_("出处"), accessor="source_text", orderable=False)

    class Meta:
        attrs = {"class": "table findings"}
        empty_text = _("未发现问题。")


def requested_year(request):
    """The ?year= asked for, or None; an unreadable value is reported, not guessed."""
    raw = request.GET.get("year", "").strip()
    if not raw:
        return None, ""
    if raw.isascii() and raw.isdigit() and len(raw) == 4 and 1949 <= int(raw) <= 2100:
        return int(raw), ""
    return None, f"年份“{raw[:20]}”无法识别，请填写四位数字，如 2024；下面显示最近一年。"


def quality_page(request):
    preview = permissions.can_preview(request.user)
    data = quality.Data(published_only=not preview)
    year, year_error = requested_year(request)
    year = year or quality.default_year(data)
    # The plan whose figures the completeness table lists (a selector when several have targets).
    plan = selected_plan(request, not preview, year)
    found = quality.findings(year=year, data=data)
    context = {
        **plan_choices(plan),
        "preview": preview,
        "year": year,
        "year_error": year_error,
        "problems": FindingTable([f for f in found if f.rule != "missing"]),
        "completeness": quality.completeness(year, data, plan) if year else [],
        "threshold": quality.threshold(),
    }
    return render(request, "indicators/quality.html", context)
