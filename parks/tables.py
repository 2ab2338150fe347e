"""Tables of localities and parks; the park list ranks parks by output per mu (亩均论英雄)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from indicators.engine import kinds
from indicators.web.tables import (
    QUOTED_IF_CHINESE,
    BaseTable,
    FigureColumn,
    LatestColumn,
    LinkedTextColumn,
    PercentColumn,
    ReasonColumn,
    StatusColumn,
    YearColumn,
)


class ParkTable(BaseTable):
    rank = tables.Column(
        verbose_name=_("排名"), order_by=("rank_sort",), attrs={"td": {"class": "num"}}
    )
    name = LinkedTextColumn(verbose_name=_("园区"))
    locality = tables.Column(verbose_name=_("管理归属"), attrs={"td": {"class": "nowrap"}})
    level = tables.Column(verbose_name=_("级别"), attrs={"td": {"class": "nowrap"}})
    area_ha = FigureColumn(verbose_name=_("占地面积（公顷）"), kind=kinds.AMOUNT)
    area_mu = FigureColumn(verbose_name=_("占地面积（亩）"), kind=kinds.AMOUNT)
    output = FigureColumn(verbose_name=_("产值（亿元）"), kind=kinds.AMOUNT)
    output_year = YearColumn(verbose_name=_("产值年份"))
    per_mu = FigureColumn(
        verbose_name=_("亩均产出（产值 ÷ 附件2占地毛面积，万元/亩）"),
        kind=kinds.AMOUNT,
        unit=_("万元/亩"),
    )
    firm_count = tables.Column(verbose_name=_("规上企业（个）"), attrs={"td": {"class": "num"}})
    industry = tables.Column(verbose_name=_("主导产业"), orderable=False, attrs=QUOTED_IF_CHINESE)

    class Meta(BaseTable.Meta):
        order_by = ("rank",)


class LocalityTable(BaseTable):
    """Localities ranked by the completion of one annex-1 figure."""

    rank = tables.Column(
        verbose_name=_("排名"), order_by=("rank_sort",), attrs={"td": {"class": "num"}}
    )
    name = LinkedTextColumn(
        verbose_name=_("属地"), attrs={"td": {"class": "nowrap"}, "th": {"class": "nowrap"}}
    )
    type = tables.Column(verbose_name=_("类型"), attrs={"td": {"class": "nowrap"}})
    baseline = FigureColumn(verbose_name=_("基数"))
    latest = LatestColumn(verbose_name=_("最新实际值"))
    latest_year = YearColumn(verbose_name=_("实际年份"))
    target = FigureColumn(verbose_name=_("目标"))
    completion = PercentColumn(verbose_name=_("完成度"), order_by=("rank_sort",))
    status = StatusColumn(verbose_name=_("状态"))
    status_reason = ReasonColumn(verbose_name=_("无数据原因"))
    parks = tables.Column(verbose_name=_("管理园区数"), attrs={"td": {"class": "num"}})

    class Meta(BaseTable.Meta):
        order_by = ("rank",)
