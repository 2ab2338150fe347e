"""Actuals get a real period: a full year, 1—N月累计, a quarter, or the document's own words.

Rows flagged `partial` before are moved to their period: "1-10月" becomes 1—10月累计; a
period the document names otherwise ("2021-2025年累计", "截至报告时") is kept word for word.
"""

import re

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce

MONTHS = re.compile(r"^1\s*[-—–~至]\s*(\d{1,2})\s*月(份)?(累计)?$")


def partial_to_period(apps, schema_editor):
    Actual = apps.get_model("indicators", "Actual")
    for actual in Actual.objects.filter(partial=True):
        match = MONTHS.match(actual.period_text.strip())
        if match and 1 <= int(match.group(1)) <= 11:
            actual.period, actual.month = "months", int(match.group(1))
        else:
            actual.period = "other"
        actual.save(update_fields=["period", "month"])


def period_to_partial(apps, schema_editor):
    Actual = apps.get_model("indicators", "Actual")
    Actual.objects.exclude(period="year").update(partial=True)


def fields():
    return [
        (
            "period",
            models.CharField(
                choices=[
                    ("year", "whole year"),
                    ("months", "January to month N, cumulative"),
                    ("quarter", "quarter"),
                    ("other", "other (as the document words it)"),
                ],
                default="year",
                help_text=(
                    "Only whole-year figures judge progress; cumulative and quarterly figures "
                    "give year-on-year growth and the full-year estimate."
                ),
                max_length=10,
                verbose_name="period",
            ),
        ),
        (
            "month",
            models.PositiveSmallIntegerField(
                blank=True,
                help_text="N of a January–month N cumulative figure, 1 to 11.",
                null=True,
                verbose_name="cumulative to month",
            ),
        ),
        (
            "quarter",
            models.PositiveSmallIntegerField(
                blank=True,
                help_text="The quarter of a quarterly figure, 1 to 4.",
                null=True,
                verbose_name="quarter",
            ),
        ),
        (
            "stated_growth",
            models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Recorded as printed when the document gives only the rate, in %, e.g. -0.3.",
                max_digits=8,
                null=True,
                verbose_name="year-on-year growth as stated",
            ),
        ),
    ]


def model_operations(model_name):
    ops = [
        migrations.RenameField(model_name, "period", "period_text"),
        migrations.AlterField(
            model_name=model_name,
            name="period_text",
            field=models.CharField(
                blank=True,
                help_text="The document's own words for the period, e.g. “1-10月份”, “2021-2025年累计”.",
                max_length=30,
                verbose_name="period as printed",
            ),
        ),
    ]
    ops += [migrations.AddField(model_name, name, field) for name, field in fields()]
    return ops


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_data_version"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="actual", name="indicators_actual_one_per_year"),
        *model_operations("actual"),
        *model_operations("historicalactual"),
        migrations.RunPython(partial_to_period, period_to_partial),
        migrations.RemoveField(model_name="actual", name="partial"),
        migrations.RemoveField(model_name="historicalactual", name="partial"),
        migrations.AlterModelOptions(
            name="actual",
            options={
                "ordering": ["subject__kind", "subject__order", "metric__order", "year", "month"],
                "permissions": [
                    ("submit_actual", "Can submit annual actuals for review"),
                    ("review_actual", "Can approve, return or reopen annual actuals"),
                    ("enter_any_subject", "Can enter annual actuals of every subject"),
                ],
                "verbose_name": "annual actual",
                "verbose_name_plural": "annual actuals",
            },
        ),
        migrations.AddConstraint(
            model_name="actual",
            constraint=models.UniqueConstraint(
                F("subject"),
                F("metric"),
                F("year"),
                F("period"),
                Coalesce("month", 0),
                Coalesce("quarter", 0),
                name="indicators_actual_one_per_period",
            ),
        ),
        migrations.AddConstraint(
            model_name="actual",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("month__gte", 1),
                        ("month__lte", 11),
                        ("period", "months"),
                        ("quarter__isnull", True),
                    ),
                    models.Q(
                        ("month__isnull", True),
                        ("period", "quarter"),
                        ("quarter__gte", 1),
                        ("quarter__lte", 4),
                    ),
                    models.Q(
                        ("month__isnull", True),
                        ("period__in", ["year", "other"]),
                        ("quarter__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="indicators_actual_period_fields",
            ),
        ),
    ]
