"""Locality (town) pages and park pages, the park list ranked by output per mu."""

from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from indicators.domain import data_version, sources, tracking
from indicators.engine import progress
from indicators.engine.formatting import to_float
from indicators.models import Metric, Subject, Target
from indicators.web.pages import (
    SubjectPage,
    TablePage,
    figure_summaries,
    kept_rows,
    list_totals,
    summary_values,
)
from indicators.web.tables import PagedRows, figure_row
from parks.models import MU_PER_HECTARE, Locality, Park, output_per_mu
from parks.tables import LocalityTable, ParkTable

PARK_OUTPUT = "park-output"
ANNEX_1 = ("strategic-output", "hightech-output", "hightech-firms", "srdi-firms")


def park_output(tracked):
    """The output a park's ranking uses: the latest actual when there is one, else the baseline."""
    if tracked is None:
        return None, None
    latest = tracked.latest
    if latest is not None:
        return latest.value, latest.year
    return tracked.target.baseline_value, tracked.target.baseline_year


def park_row(park, output, year):
    """One park's row of a park table, with its output (亿元) of `year`."""
    return {
        "name": park.display_name,
        "url": reverse("parks:park", args=[park.slug]),
        "locality": park.managed_by.display_name,
        "level": park.get_level_display(),
        "area_ha": park.area_ha,
        "area_mu": park.area_mu,
        "output": output,
        "output_year": year,
        "per_mu": output_per_mu(output, park.area_ha),
        "firm_count": park.firm_count,
        "industry": sources.listed(park.industry, sources.INDUSTRIES),
        "unit": "",
    }


def ranked(rows):
    """`rows` ranked by output per mu from highest; parks without an output come last."""
    rows.sort(key=lambda r: (r["per_mu"] is None, -(r["per_mu"] or 0)))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["per_mu"] is not None else None
        row["rank_sort"] = rank
    return rows


def park_rows(parks, tracked):
    """Parks with output per mu, ranked from highest; parks without an output come last."""
    by_park = {t.subject.pk: t for t in tracked}
    return ranked([park_row(park, *park_output(by_park.get(park.pk))) for park in parks])


LEVELS = [level for level, _ in Park.Level.choices]


def park_keys(plan, published):
    """Every park's sort values and rank, from one row per park and each one's latest
    whole-year output (two queries): a park's output is that value, else the plan's base."""
    targets = _park_targets(plan)
    latest = tracking.latest_actuals(targets, published_only=published)
    bases = {
        t["subject_id"]: (t["baseline_value"], t["baseline_year"], t["metric_id"])
        for t in targets.values("subject_id", "metric_id", "baseline_value", "baseline_year")
    }
    keys = []
    fields = ("pk", "order", "managed_by__order", "level", "area_ha", "firm_count")
    for park in Park.objects.order_by("order", "pk").values(*fields):
        output = year = None
        if park["pk"] in bases:
            base, base_year, metric = bases[park["pk"]]
            [actual] = latest.get((park["pk"], metric), [None])
            output, year = (actual.value, actual.year) if actual else (base, base_year)
        area = park["area_ha"]
        keys.append(
            {
                "pk": park["pk"],
                "name": park["order"],
                "locality": park["managed_by__order"],
                "level": LEVELS.index(park["level"]) if park["level"] in LEVELS else len(LEVELS),
                "area_ha": area,
                "area_mu": None if area is None else area * MU_PER_HECTARE,
                "output": output,
                "output_year": year,
                "per_mu": output_per_mu(output, area),
                "firm_count": park["firm_count"],
            }
        )
    return ranked(keys)


def _park_targets(plan):
    return Target.objects.filter(
        plan=plan, subject__kind=Subject.Kind.PARK, metric__slug=PARK_OUTPUT
    )


class ParkListView(TablePage, TemplateView):
    template_name = "parks/park_list.html"
    table_class = ParkTable
    export_name = "parks"
    paginated = True

    def get_table_data(self):
        """Every park ranked from its sort values (kept per data version, plan and audience);
        the full rows only of the page shown (or of every park, to export), a page's kept
        once built (`kept_rows`). Names, localities and levels sort in the annex's order."""
        plan = getattr(self.plan, "pk", None)
        keys = data_version.kept(
            "park-keys", lambda: park_keys(self.plan, self.published), plan, self.published
        )
        return PagedRows(keys, lambda page: self.rows(page, plan))

    def rows(self, keys, plan):
        by_pk = {k["pk"]: k for k in keys}

        def build(pks):
            return dict(zip(pks, park_page([by_pk[pk] for pk in pks]), strict=True))

        return kept_rows("parks", list(by_pk), build, self.published, plan)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            totals=list_totals(Subject.Kind.PARK, self.plan, self.published), **kwargs
        )


def park_page(keys):
    """The full rows of the parks of `keys`, in their order, with their rank and output."""
    parks = Park.objects.select_related("managed_by")
    parks = parks.filter(pk__in=[k["pk"] for k in keys]) if len(keys) <= 900 else parks
    by_pk = {park.pk: park for park in parks}
    rows = []
    for key in keys:
        row = park_row(by_pk[key["pk"]], key["output"], key["output_year"])
        row.update(rank=key["rank"], rank_sort=key["rank_sort"])
        rows.append(row)
    return rows


def park(request, slug):
    park = get_object_or_404(Park.objects.select_related("managed_by"), slug=slug)
    page = SubjectPage(request, park)
    output, year = park_output(
        next((t for t in page.tracked if t.metric.slug == PARK_OUTPUT), None)
    )
    return page.response(
        "parks/park_detail.html",
        park=park,
        output=output,
        output_year=year,
        per_mu=output_per_mu(output, park.area_ha),
    )


# A locality the plan sets no target for (one added later) still gets its row.
NO_TARGET = {
    "baseline": None,
    "target": None,
    "latest": None,
    "latest_year": None,
    "completion": None,
    "status": progress.Status.NO_DATA,
    "status_rank": progress.STATUS_ORDER.index(progress.Status.NO_DATA),
}


def locality_rows(localities, tracked, metric, rank=True):
    """One row per locality for one annex-1 figure, ranked by completion (no data last);
    without `rank`, in the order given."""
    by_locality = {t.subject.pk: t for t in tracked}
    rows = []
    for loc in localities:
        t = by_locality.get(loc.pk)
        row = figure_row(t) if t else dict(NO_TARGET, metric_obj=metric, unit=metric.display_unit)
        row.update(
            number=loc.number,
            name=loc.display_name,
            url=reverse("parks:locality", args=[loc.slug]),
            type=loc.get_type_display(),
            parks=loc.park_count,
        )
        rows.append(row)
    return ranked_localities(rows) if rank else rows


def ranked_localities(rows):
    """`rows` ranked by completion from highest (no data last, then by number)."""
    rows.sort(key=lambda r: (r["completion"] is None, -(r["completion"] or 0), r["number"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["completion"] is not None else None
        row["rank_sort"] = rank
    return rows


class LocalityListView(TablePage, TemplateView):
    """Localities ranked by completion of one annex-1 figure (?metric=, the four of annex 1)."""

    template_name = "parks/locality_list.html"
    table_class = LocalityTable
    export_name = "localities"
    paginated = True

    def get(self, request, *args, **kwargs):
        slug = request.GET.get("metric")
        self.metric = next(
            (m for m in self.annex_metrics if m.slug == slug),
            self.annex_metrics[0],
        )
        self.targets = Target.objects.filter(
            subject__kind=Subject.Kind.LOCALITY, metric=self.metric, plan=self.plan
        )
        return super().get(request, *args, **kwargs)

    @cached_property
    def annex_metrics(self):
        found = {m.slug: m for m in Metric.objects.filter(slug__in=ANNEX_1)}
        return [found[slug] for slug in ANNEX_1 if slug in found]

    def tab_url(self, metric):
        """A metric's tab, keeping the plan and year the page shows."""
        query = {"metric": metric.slug}
        if self.request.GET.get("plan") and self.plan is not None:
            query["plan"] = self.plan.slug
        if year := self.request.GET.get("year", "").strip():
            query["year"] = year[:4]
        return "?" + urlencode(query)

    def get_table_data(self):
        """Every locality ranked from its figure's summary; the full rows only of the page
        shown, or of every locality to export."""
        found = figure_summaries(self.published)
        targets = {
            t["subject_id"]: t
            for t in self.targets.values("pk", "subject_id", "baseline_value", "target_value")
        }
        keys = []
        localities = Locality.objects.annotate(park_count=Count("parks")).order_by("number")
        for loc in localities.values("pk", "number", "type", "park_count"):
            target = targets.get(loc["pk"])
            summary = found.get(target["pk"]) if target else None
            keys.append(
                {
                    "pk": loc["pk"],
                    "number": loc["number"],
                    "name": loc["number"],
                    "type": loc["type"],
                    "parks": loc["park_count"],
                    "baseline": target and to_float(target["baseline_value"]),
                    "target": target and to_float(target["target_value"]),
                    **summary_values(summary),
                }
            )
        return PagedRows(ranked_localities(keys), self.rows)

    def rows(self, keys):
        """The full rows of `keys`, a page's kept once built (`kept_rows`, per plan and figure:
        a locality's rank among all of them is the same on every page)."""
        ranks = {k["pk"]: (k["rank"], k["rank_sort"]) for k in keys}

        def build(pks):
            localities = Locality.objects.annotate(park_count=Count("parks"))
            localities = localities.filter(pk__in=pks) if len(pks) <= 900 else localities
            by_pk = {loc.pk: loc for loc in localities}
            targets = self.targets.filter(subject__in=list(by_pk))
            tracked = tracking.track(targets, published_only=self.published, full_year=True)
            rows = locality_rows([by_pk[pk] for pk in pks], tracked, self.metric, rank=False)
            for pk, row in zip(pks, rows, strict=True):
                # Without the tracked figure (its model rows): no column reads it.
                row.update(rank=ranks[pk][0], rank_sort=ranks[pk][1], tracked=None)
            return dict(zip(pks, rows, strict=True))

        plan = getattr(self.plan, "pk", None)
        return kept_rows("towns", list(ranks), build, self.published, plan, self.metric.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            metric=self.metric,
            annex_metrics=self.annex_metrics,
            tabs=[(m, self.tab_url(m)) for m in self.annex_metrics],
            plan_target=self.targets.select_related("plan", "metric").first(),
            totals=list_totals(Subject.Kind.LOCALITY, self.plan, self.published),
            **kwargs,
        )


def locality(request, slug):
    locality = get_object_or_404(Locality, slug=slug)
    page = SubjectPage(request, locality)
    parks = list(locality.parks.select_related("managed_by").order_by("order"))
    park_tracked = tracking.track(
        _park_targets(page.plan).filter(subject__in=parks), published_only=page.published
    )
    park_table = ParkTable(park_rows(parks, park_tracked), orderable=False, plan=page.plan)
    return page.response(
        "parks/locality_detail.html",
        extra_tables=[(park_table, f"{locality.slug}-parks", "_export_parks")],
        locality=locality,
        park_table=park_table,
    )
