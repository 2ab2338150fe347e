"""Benchmarks only: a larger, plausible Beichen on top of the documents' figures.

    python manage.py generate_scale_data --factor 100

Never loaded by default (no page, fixture or other command calls it). With --factor N the
database holds N times the localities, parks and chains of the documents, each new one with the
targets of a real one of its kind (in every plan that real one has, baselines and targets
varied by a few per cent), and every figure with an actual for each of the 15 years up to
the latest and, for each of those years, its January–month N cumulative figures (N = 1…11):
values that grow from the baseline towards the target with some noise, all approved. Existing rows (the documents' own figures) are never changed. Running it twice
with the same factor adds nothing.
"""

import random
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from chains.models import Chain
from indicators.domain import data_version
from indicators.models import Actual, Metric, Subject, Target
from parks.models import Locality, Park

YEARS = 15
LAST_YEAR = 2024
BATCH = 5000


def _vary(value, rng, spread=0.08):
    if value is None:
        return None
    return (Decimal(value) * Decimal(1 + rng.uniform(-spread, spread))).quantize(Decimal("0.1"))


def _copy(instance, **changes):
    """A new subject row with the fields of a real one (multi-table models save one by one)."""
    fields = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.attname not in ("subject_ptr_id", "id")
    }
    fields.update(changes)
    return type(instance).objects.create(**fields)


class Command(BaseCommand):
    help = "基准测试专用：生成 N 倍规模的镇街、园区和产业链数据及15年实际值（默认不加载）。"

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=10, help="规模倍数（≥1）")
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args, factor, seed, **options):
        if factor < 1:
            raise CommandError("--factor 须为不小于1的整数。")
        rng = random.Random(seed)
        with transaction.atomic(), data_version.batch():
            subjects = self.subjects(factor, rng)
            targets = self.targets(subjects, rng)
            actuals = self.actuals(rng)
        data_version.bump()
        if connection.vendor == "postgresql":
            # After a bulk load the planner's row counts are stale and the new rows are not
            # yet marked all-visible (so no index-only read) until the next autovacuum (never,
            # where it is off): do what it does, as after any large import (VACUUM cannot run
            # inside a transaction: there only the statistics are refreshed).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(
            f"规模 ×{factor}：新增对象 {subjects}，新增目标 {targets}，新增实际值 {actuals}；"
            f"现有对象 {Subject.objects.count()}，目标 {Target.objects.count()}，"
            f"实际值 {Actual.objects.count()}。"
        )

    def subjects(self, factor, rng):
        """(factor − 1) copies of every real locality, park and chain."""
        created = 0
        models = [
            (Locality, "number", lambda obj, i: {}),
            (Chain, "number", lambda obj, i: {"doubling": False}),
            (Park, "number", lambda obj, i: {"area_ha": _vary(obj.area_ha, rng, 0.3)}),
        ]
        self.template_of = {}
        for model, number_field, extra in models:
            real = list(model.objects.exclude(slug__regex=r"-x[0-9]+$"))
            localities = list(Locality.objects.exclude(slug__regex=r"-x[0-9]+$"))
            top = max([getattr(o, number_field) or 0 for o in model.objects.all()] + [0])
            top_order = max(Subject.objects.values_list("order", flat=True), default=0)
            for copy in range(2, factor + 1):
                for obj in real:
                    slug = f"{obj.slug}-x{copy}"
                    if model.objects.filter(slug=slug).exists():
                        continue
                    top, top_order = top + 1, top_order + 1
                    changes = {
                        "slug": slug,
                        "name": f"{obj.name}（{copy}）",
                        number_field: top,
                        "order": top_order,
                        **extra(obj, copy),
                    }
                    if model is Park:
                        town = localities[copy % len(localities)]
                        twin = Locality.objects.filter(slug=f"{town.slug}-x{copy}").first()
                        changes["managed_by_id"] = (twin or town).pk
                    new = _copy(obj, **changes)
                    self.template_of[new.pk] = obj.pk
                    created += 1
        return created

    def targets(self, subjects, rng):
        rows = []
        by_subject = {}
        for target in Target.objects.filter(subject_id__in=set(self.template_of.values())):
            by_subject.setdefault(target.subject_id, []).append(target)
        for new_pk, template_pk in self.template_of.items():
            for t in by_subject.get(template_pk, []):
                factor = Decimal(1 + rng.uniform(-0.15, 0.15))
                baseline = (
                    None
                    if t.baseline_value is None
                    else (t.baseline_value * factor).quantize(Decimal("0.1"))
                )
                rows.append(
                    Target(
                        plan_id=t.plan_id,
                        subject_id=new_pk,
                        metric_id=t.metric_id,
                        category=t.category,
                        baseline_year=t.baseline_year,
                        baseline_value=baseline,
                        target_year=t.target_year,
                        target_value=(t.target_value * factor).quantize(Decimal("0.1")),
                        headline=False,
                        order=t.order,
                        document_id=t.document_id,
                        source="规模测试数据",
                    )
                )
        Target.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
        return len(rows)

    def actuals(self, rng):
        """Every targeted figure: an approved actual for each of the 15 years to LAST_YEAR, and
        for each of those years the cumulative figures January–month N (N = 1…11)."""
        existing = set(
            Actual.objects.filter(period=Actual.Period.YEAR).values_list(
                "subject_id", "metric_id", "year"
            )
        )
        cumulates = set(
            Metric.objects.filter(accumulation=Metric.Accumulation.FLOW).values_list(
                "pk", flat=True
            )
        )
        rows, seen = [], set()
        for t in Target.objects.order_by("plan__base_year").iterator(chunk_size=BATCH):
            if len(rows) >= BATCH * 4:
                Actual.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
                self.added, rows = self.added + len(rows), []
            if (t.subject_id, t.metric_id) in seen:
                continue
            seen.add((t.subject_id, t.metric_id))
            start = t.baseline_value if t.baseline_value is not None else t.target_value / 2
            years = max(t.target_year - t.baseline_year, 1)
            pace = (float(t.target_value) / float(start)) ** (1 / years) if start > 0 else 1.0
            for year in range(LAST_YEAR - YEARS + 1, LAST_YEAR + 1):
                if (t.subject_id, t.metric_id, year) in existing:
                    continue
                trend = float(start) * pace ** ((year - t.baseline_year) * rng.uniform(0.7, 1.1))
                full = max(trend * rng.uniform(0.95, 1.05), 0)
                rows.append(self.actual(t, year, full))
                for month in range(1, 12):
                    # flows add up over the year; stocks and levels stand where they are
                    share = month / 12 if t.metric_id in cumulates else 1
                    value = full * share * rng.uniform(0.97, 1.03)
                    rows.append(self.actual(t, year, value, month=month))
        Actual.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
        return self.added + len(rows)

    added = 0

    def actual(self, target, year, value, month=None):
        return Actual(
            subject_id=target.subject_id,
            metric_id=target.metric_id,
            year=year,
            period=Actual.Period.MONTHS if month else Actual.Period.YEAR,
            month=month,
            value=Decimal(value).quantize(Decimal("0.1")),
            state=Actual.State.APPROVED,
            source="规模测试数据",
        )
