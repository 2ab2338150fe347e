"""Load the source documents' figures from `fixtures/*.yaml` into the database.

Rows are saved one by one through the ORM (not `loaddata`), so every figure gets its
initial history record. Existing rows are left as they are unless `reset` is asked
for: staff may have corrected a figure, and a routine reload must not undo that.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from chains.models import Chain
from indicators.domain import data_version
from indicators.models import (
    Actual,
    Document,
    Measure,
    Metric,
    Plan,
    Project,
    StatedTotal,
    Statement,
    Subject,
    Target,
)
from parks.models import Locality, Park

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
# The catalog defines documents, plans and metrics, and lists the other files in the order
# they load (subjects before the figures about them): a new plan is a new file, not new code.
CATALOG = "catalog.yaml"
CHANGE_REASON = "载入来源文件"


@dataclass
class LoadReport:
    """What a load did, counted once per row: a row created and then given its English name
    or 指标说明 in the same load is 新增, not also 更新; a row changed twice is one 更新."""

    outcomes: dict = field(default_factory=dict)  # (model label, pk) → (bucket, verbose name)

    RANK = {"kept": 0, "updated": 1, "created": 2}

    def count(self, bucket, model, pk):
        # A chain, locality or park is also a Subject (same pk): one row, whichever is named.
        root = (model._meta.get_parent_list() or [model])[-1]
        key = (root._meta.label, pk)
        earlier = self.outcomes.get(key)
        if earlier is None or self.RANK[bucket] > self.RANK[earlier[0]]:
            self.outcomes[key] = (bucket, str(model._meta.verbose_name))

    def _counts(self, bucket):
        counts = {}
        for kind, name in self.outcomes.values():
            if kind == bucket:
                counts[name] = counts.get(name, 0) + 1
        return counts

    @property
    def created(self):
        return self._counts("created")

    @property
    def updated(self):
        return self._counts("updated")

    @property
    def kept(self):
        return self._counts("kept")

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def lines(self):
        for label, bucket in (("新增", self.created), ("更新", self.updated), ("保留", self.kept)):
            if bucket:
                yield label + "：" + "，".join(f"{name} {n} 条" for name, n in bucket.items())


def number(value):
    """Decimal from a YAML scalar without float rounding noise (4.3 stays 4.3)."""
    return None if value is None else Decimal(str(value))


class Loader:
    def __init__(self, reset=False):
        self.reset = reset
        self.report = LoadReport()
        self.subjects = {}

    def upsert(self, model, lookup, values):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj._change_reason = CHANGE_REASON
            obj.save()
            self.report.count("created", model, obj.pk)
            return obj
        differs = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if differs and self.reset:
            for key, value in differs.items():
                setattr(obj, key, value)
            obj._change_reason = CHANGE_REASON
            obj.save()
            self.report.count("updated", model, obj.pk)
        else:
            self.report.count("kept", model, obj.pk)
        return obj

    def load_english(self, data):
        """fixtures/english.yaml: English names of subjects and metrics and of their units, of the
        plans and documents, and of the action plan's projects and measures.
        They are display names, not the documents' figures, so they always follow the file."""
        units = data.get("units", {})
        for slug, name in data.get("metrics", {}).items():
            metric = Metric.objects.filter(slug=slug).first()
            unit = units.get(metric.unit, metric.unit) if metric else ""
            self.set_english(Metric, slug, metric, {"name_en": name, "unit_en": unit})
        for slug, name in data.get("subjects", {}).items():
            subject = Subject.objects.filter(slug=slug).first()
            self.set_english(Subject, slug, subject, {"name_en": name})
        for slug, names in data.get("plans", {}).items():
            plan = Plan.objects.filter(slug=slug).first()
            values = {"name_en": names["name"], "short_name_en": names["short_name"]}
            self.set_english(Plan, slug, plan, values)
        for slug, title in data.get("documents", {}).items():
            document = Document.objects.filter(slug=slug).first()
            self.set_english(Document, slug, document, {"title_en": title})
        for plan, names in data.get("projects", {}).items():
            for number, name in names.items():
                project = Project.objects.filter(plan__slug=plan, number=number).first()
                self.set_english(Project, f"{plan} {number}", project, {"name_en": name})
        for plan, titles in data.get("measures", {}).items():
            for number, title in titles.items():
                measure = Measure.objects.filter(project__plan__slug=plan, number=number).first()
                self.set_english(Measure, f"{plan} {number}", measure, {"title_en": title})

    def set_english(self, model, slug, obj, values):
        if obj is None:
            raise ValueError(f"english.yaml：没有代码为“{slug}”的{model._meta.verbose_name}。")
        if all(getattr(obj, k) == v for k, v in values.items()):
            self.report.count("kept", model, obj.pk)
            return
        model.objects.filter(pk=obj.pk).update(**values)
        self.report.count("updated", model, obj.pk)

    def subject(self, slug):
        if slug not in self.subjects:
            self.subjects[slug] = Subject.objects.get(slug=slug)
        return self.subjects[slug]

    # -- catalog -------------------------------------------------------------

    def load_catalog(self, data):
        for doc in data["documents"]:
            slug = doc.pop("slug")
            self.upsert(Document, {"slug": slug}, doc)
        for plan in data["plans"]:
            slug = plan.pop("slug")
            plan["document"] = Document.objects.get(slug=plan["document"])
            self.upsert(Plan, {"slug": slug}, plan)
        for metric in data["metrics"]:
            slug = metric.pop("slug")
            self.upsert(Metric, {"slug": slug}, metric)

    # -- 指标说明 ------------------------------------------------------------

    METADATA_FIELDS = {
        "definition": "description",
        "scope": "scope",
        "agency": "agency",
        "frequency": "frequency",
        "method": "assessment_method",
    }

    def load_metadata(self, data):
        """Fill each metric's 指标说明; an administrator's edits stay unless `reset`."""
        defaults = data.get("defaults", {})
        entries = data.get("metrics", {})
        for metric in Metric.objects.all():
            entry = dict(entries.get(metric.slug) or {})
            entry.setdefault("agency", defaults.get("agency", ""))
            entry.setdefault("frequency", defaults.get("frequency", ""))
            entry.setdefault("method", defaults.get("method", {}).get(metric.kind, ""))
            changed = []
            for key, field_name in self.METADATA_FIELDS.items():
                value = " ".join(str(entry.get(key) or "").split())
                if value and getattr(metric, field_name) != value:
                    if self.reset or not getattr(metric, field_name):
                        setattr(metric, field_name, value)
                        changed.append(field_name)
            if slug := entry.get("increment_of"):
                stock = Metric.objects.get(slug=slug)
                if metric.increment_of_id != stock.pk and (
                    self.reset or not metric.increment_of_id
                ):
                    metric.increment_of = stock
                    changed.append("increment_of")
            if changed:
                metric.save(update_fields=changed)
                self.report.count("updated", Metric, metric.pk)

    # -- a document ----------------------------------------------------------

    def load_document(self, data):
        document = Document.objects.get(slug=data["document"])
        plan = Plan.objects.get(slug=data["plan"]) if "plan" in data else None
        if "district" in data:
            district = data["district"]
            self.upsert(
                Subject,
                {"slug": district["slug"]},
                {"name": district["name"], "kind": Subject.Kind.DISTRICT},
            )
        for chain in data.get("chains", []):
            self.load_chain(chain)
        for locality in data.get("localities", []):
            self.load_locality(locality)
        for park in data.get("parks", []):
            self.load_park(park)
        for table in data.get("target_tables", []):
            self.load_target_table(plan, document, table)
        for total in data.get("stated_totals", []):
            self.load_stated_total(plan, document, total)
        for statement in data.get("statements", []):
            self.load_statement(document, statement)
        for actual in data.get("actuals", []):
            self.load_actual(document, actual)
        for project in data.get("projects", []):
            self.load_project(plan, project)

    def load_chain(self, row):
        slug = row.pop("slug")
        row.setdefault("note", "")
        row["order"] = row["number"]
        self.upsert(Chain, {"slug": slug}, row)

    def load_locality(self, row):
        slug = row.pop("slug")
        row.setdefault("note", "")
        row["order"] = row["number"]
        self.upsert(Locality, {"slug": slug}, row)

    def load_park(self, row):
        slug = row.pop("slug")
        row["managed_by"] = Locality.objects.get(slug=row.pop("locality"))
        row["area_ha"] = number(row["area_ha"])
        row.setdefault("note", "")
        row.setdefault("named", True)
        self.upsert(Park, {"slug": slug}, row)

    def load_target_table(self, plan, document, table):
        for order, row in enumerate(self.target_rows(table), start=1):
            metric = Metric.objects.get(slug=row["metric"])
            counted_in = (
                Metric.objects.get(slug=row["counted_in"]) if row.get("counted_in") else None
            )
            subject = self.subject(row["subject"])
            if counted_in is not None:
                # A figure printed in another metric's column is a target of its own metric;
                # a target recorded earlier under the column's metric is that same figure.
                for stale in Target.objects.filter(plan=plan, subject=subject, metric=counted_in):
                    stale._change_reason = f"{CHANGE_REASON}：口径为{metric.name}"
                    stale.delete()
            self.upsert(
                Target,
                {"plan": plan, "subject": subject, "metric": metric},
                {
                    "counted_in": counted_in,
                    "category": row.get("category", ""),
                    "baseline_year": row.get("baseline_year", plan.base_year),
                    "baseline_value": number(row["baseline"]),
                    "target_year": row.get("target_year", plan.target_year),
                    "target_value": number(row["target"]),
                    "growth_printed": str(row.get("growth") or ""),
                    "headline": bool(table.get("headline")),
                    "order": order,
                    "document": document,
                    "source": table["source"],
                    "note": row.get("note", ""),
                },
            )

    @staticmethod
    def target_rows(table):
        """Rows of a target table; a wide row lists (baseline, target) per metric."""
        if "metrics" not in table:
            yield from table["rows"]
            return
        growth = table.get("growth", {})
        measured_as = table.get("measured_as", {})
        for subject, values in table["rows"].items():
            if len(values) != 2 * len(table["metrics"]):
                raise ValueError(
                    f"{table['source']} {subject}：应有 {2 * len(table['metrics'])} 个数"
                )
            for i, metric in enumerate(table["metrics"]):
                actual_metric = measured_as.get(subject, {}).get(metric)
                yield {
                    "subject": subject,
                    "metric": actual_metric or metric,
                    "counted_in": metric if actual_metric else None,
                    "baseline": values[2 * i],
                    "target": values[2 * i + 1],
                    "growth": growth.get(subject, {}).get(metric, ""),
                    "note": table.get("notes", {}).get(subject, {}).get(metric, ""),
                }

    def load_stated_total(self, plan, document, total):
        for row in total["values"]:
            self.upsert(
                StatedTotal,
                {
                    "document": document,
                    "source": total["source"],
                    "metric": Metric.objects.get(slug=row["metric"]),
                    "scope": total["scope"],
                    "role": row["role"],
                    "year": row["year"],
                },
                {"plan": plan, "value": number(row["value"]), "note": total.get("note", "")},
            )

    def load_statement(self, document, statement):
        subject = self.subject(statement["subject"])
        for year, figures in statement["figures"].items():
            for metric_slug, value in figures.items():
                self.upsert(
                    Statement,
                    {
                        "document": document,
                        "source": statement["source"],
                        "subject": subject,
                        "metric": Metric.objects.get(slug=metric_slug),
                        "year": int(year),
                    },
                    {
                        "value": number(value),
                        "printed": statement.get("printed", ""),
                        "note": statement.get("note", ""),
                    },
                )

    def load_actual(self, document, row):
        actual = self.upsert(
            Actual,
            {
                "subject": self.subject(row["subject"]),
                "metric": Metric.objects.get(slug=row["metric"]),
                "year": row["year"],
                "period": row.get("period", Actual.Period.YEAR),
                "month": row.get("month"),
                "quarter": row.get("quarter"),
            },
            {
                "value": number(row["value"]),
                "period_text": row.get("period_text", ""),
                "stated_growth": number(row.get("stated_growth")),
                "note": row.get("note", ""),
                "document": document,
                "source": row["source"],
                # Published source figures need no review by the dashboard's staff.
                "state": Actual.State.APPROVED,
            },
        )
        stated = number(row.get("stated_growth"))
        if stated is not None and actual.stated_growth is None:
            # A database loaded before 同比 was recorded gets it without a --reset.
            actual.stated_growth = stated
            actual._change_reason = CHANGE_REASON
            actual.save(update_fields=["stated_growth"])

    def load_project(self, plan, row):
        project = self.upsert(
            Project,
            {"plan": plan, "number": row["number"]},
            {"name": row["name"], "responsible_units": row["responsible_units"]},
        )
        for measure in row["measures"]:
            saved = self.upsert(
                Measure,
                {"project": project, "number": measure["number"]},
                {
                    "title": measure["title"],
                    "text": measure["text"],
                    "source": f"三、工作措施（{row['number']}）{measure['number']}",
                },
            )
            self.link_figures(saved, measure.get("figures", []))

    def link_figures(self, measure, slugs):
        """The figures a measure moves; links an administrator set stay unless `reset`."""
        if not slugs or (measure.metrics.exists() and not self.reset):
            return
        metrics = list(Metric.objects.filter(slug__in=slugs))
        if missing := set(slugs) - {m.slug for m in metrics}:
            raise ValueError(f"举措{measure.number}所列指标不存在：{'、'.join(sorted(missing))}")
        measure.metrics.set(metrics)


def read_fixture(name, directory=FIXTURES_DIR):
    with open(Path(directory) / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@data_version.changes_data
@transaction.atomic
def load_documents(reset=False, directory=FIXTURES_DIR):
    """Load every fixture file; returns a LoadReport. All or nothing."""
    loader = Loader(reset=reset)
    catalog = read_fixture(CATALOG, directory)
    loader.load_catalog(catalog)
    if catalog.get("metadata"):
        loader.load_metadata(read_fixture(catalog["metadata"], directory))
    for name in catalog["files"]:
        loader.load_document(read_fixture(name, directory))
    if "english" in catalog:
        loader.load_english(read_fixture(catalog["english"], directory))
    return loader.report
