"""The chain list: one row per chain with its output against the action plan's target."""

import django_tables2 as tables
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from indicators.models import translated
from indicators.web.tables import (
    QUOTED,
    QUOTED_IF_CHINESE,
    BaseTable,
    FigureColumn,
    GrowthColumn,
    LatestColumn,
    LinkedTextColumn,
    PercentColumn,
    StatusColumn,
    YearColumn,
)


class ChainTable(BaseTable):
    number = tables.Column(verbose_name=_("序号"), attrs={"td": {"class": "num"}})
    name = LinkedTextColumn(verbose_name=_("产业链"))
    group = tables.Column(verbose_name=_("类别"))
    leader = tables.Column(verbose_name=_("链长"), attrs=QUOTED)
    responsible_unit = tables.Column(verbose_name=_("副链长责任单位"), attrs=QUOTED_IF_CHINESE)
    baseline = FigureColumn(verbose_name=_("基期产值"))
    latest_year = YearColumn(verbose_name=_("实际年份"))
    latest = LatestColumn(verbose_name=_("最新产值"))
    target = FigureColumn(verbose_name=_("目标"))
    completion = PercentColumn(verbose_name=_("完成度"))
    required_growth = GrowthColumn(verbose_name=_("所需年均增速"))
    status = StatusColumn(verbose_name=_("状态"))
    basis = tables.Column(verbose_name=_("口径说明"), orderable=False, default="")

    def render_basis(self, value):
        return translated(value)

    def plan_headers(self, plan):
        return {
            "baseline": gettext("%(year)s年产值") % {"year": plan.base_year},
            "target": gettext("%(year)s年目标") % {"year": plan.target_year},
        }
