"""Locality (town) pages and park pages, the park list ranked by output per mu."""

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from indicators.domain import tracking
from indicators.models import Subject, Target
from indicators.web.tables import ExportViewMixin, FigureTable, export_response, figure_rows
from indicators.web.views import figure_chart, published_only
from parks.models import Locality, Park
from parks.tables import LocalityTable, ParkTable, output_per_mu

PARK_OUTPUT = "park-output"
ANNEX_1 = ("strategic-output", "hightech-output", "srdi-firms", "hightech-firms")


def park_output(tracked):
    """The output a park's ranking uses: the latest actual when there is one, else the baseline."""
    if tracked is None:
        return None, None
    latest = tracked.latest
    if latest is not None:
        return latest.value, latest.year
    return tracked.target.baseline_value, tracked.target.baseline_year


def park_rows(parks, tracked):
    """Parks with output per mu, ranked from highest; parks without an output come last."""
    by_park = {t.subject.pk: t for t in tracked}
    rows = []
    for park in parks:
        output, year = park_output(by_park.get(park.pk))
        rows.append(
            {
                "name": park.name,
                "url": reverse("parks:park", args=[park.slug]),
                "locality": park.managed_by.name,
                "level": park.get_level_display(),
                "area_ha": park.area_ha,
                "area_mu": park.area_mu,
                "output": output,
                "output_year": year,
                "per_mu": output_per_mu(output, park.area_ha),
                "firm_count": park.firm_count,
                "industry": park.industry,
                "unit": "",
            }
        )
    rows.sort(key=lambda r: (r["per_mu"] is None, -(r["per_mu"] or 0)))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["per_mu"] is not None else None
        row["rank_sort"] = rank
    return rows


def _park_targets():
    return Target.objects.filter(subject__kind=Subject.Kind.PARK, metric__slug=PARK_OUTPUT)


class ParkListView(ExportViewMixin, SingleTableMixin, TemplateView):
    template_name = "parks/park_list.html"
    table_class = ParkTable
    table_pagination = False
    export_name = "parks"

    def get_table_data(self):
        parks = Park.objects.select_related("managed_by").order_by("order")
        tracked = tracking.track(_park_targets(), published_only=published_only(self.request))
        return park_rows(parks, tracked)


def park(request, slug):
    park = get_object_or_404(Park.objects.select_related("managed_by"), slug=slug)
    published = published_only(request)
    tracked = tracking.track(Target.objects.filter(subject=park), published_only=published)
    output_tracked = next((t for t in tracked if t.metric.slug == PARK_OUTPUT), None)
    output, year = park_output(output_tracked)
    lang = get_language()
    table = FigureTable(figure_rows(tracked), orderable=False)
    if download := export_response(request, table, park.slug):
        return download
    context = {
        "park": park,
        "table": table,
        "figures": [{"tracked": t, "chart": figure_chart(t, lang, height=300)} for t in tracked],
        "output": output,
        "output_year": year,
        "per_mu": output_per_mu(output, park.area_ha),
        "preview": not published,
    }
    return render(request, "parks/park_detail.html", context)


def locality_rows(localities, tracked):
    by_locality = {}
    for t in tracked:
        by_locality.setdefault(t.subject.pk, {})[t.metric.slug] = t
    rows = []
    for loc in localities:
        figures = by_locality.get(loc.pk, {})
        row = {
            "number": loc.number,
            "name": loc.name,
            "url": reverse("parks:locality", args=[loc.slug]),
            "type": loc.get_type_display(),
            "parks": loc.park_count,
            "unit": "",
            "with_actuals": sum(1 for t in figures.values() if t.latest is not None),
        }
        for slug in ANNEX_1:
            t = figures.get(slug)
            row[slug.replace("-", "_")] = t.target.target_value if t else None
        rows.append(row)
    return rows


class LocalityListView(ExportViewMixin, SingleTableMixin, TemplateView):
    template_name = "parks/locality_list.html"
    table_class = LocalityTable
    table_pagination = False
    export_name = "localities"

    def get_table_data(self):
        localities = Locality.objects.annotate(park_count=Count("parks")).order_by("number")
        tracked = tracking.track(
            Target.objects.filter(subject__kind=Subject.Kind.LOCALITY),
            published_only=published_only(self.request),
        )
        return locality_rows(localities, tracked)


def locality(request, slug):
    locality = get_object_or_404(Locality, slug=slug)
    published = published_only(request)
    tracked = tracking.track(Target.objects.filter(subject=locality), published_only=published)
    parks = list(locality.parks.select_related("managed_by").order_by("order"))
    park_tracked = tracking.track(
        _park_targets().filter(subject__in=parks), published_only=published
    )
    lang = get_language()
    table = FigureTable(figure_rows(tracked), orderable=False)
    park_table = ParkTable(park_rows(parks, park_tracked), orderable=False)
    download = export_response(request, table, locality.slug) or export_response(
        request, park_table, f"{locality.slug}-parks", trigger="_export_parks"
    )
    if download:
        return download
    context = {
        "locality": locality,
        "table": table,
        "figures": [{"tracked": t, "chart": figure_chart(t, lang, height=300)} for t in tracked],
        "park_table": park_table,
        "preview": not published,
    }
    return render(request, "parks/locality_detail.html", context)
