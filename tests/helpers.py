"""Small readers the tests share: figures re-read from the database as plain numbers."""

from decimal import Decimal

from indicators.models import Actual, Plan, StatedTotal, Statement, Target

ACTION_PLAN = "doubling-2021-2025"
FOURTEENTH = "industry-14th-fyp"


def num(value):
    """A Decimal from the database as the document prints it: 330, 4.3, 0.5."""
    if value is None:
        return None
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def target(subject, metric, plan=ACTION_PLAN):
    t = Target.objects.get(plan__slug=plan, subject__slug=subject, metric__slug=metric)
    return num(t.baseline_value), num(t.target_value)


def actual(subject, metric, year):
    return num(Actual.objects.get(subject__slug=subject, metric__slug=metric, year=year).value)


def statement(source, subject, metric, year):
    s = Statement.objects.get(source=source, subject__slug=subject, metric__slug=metric, year=year)
    return num(s.value)


def stated_total(source, metric, role, year):
    return num(
        StatedTotal.objects.get(source=source, metric__slug=metric, role=role, year=year).value
    )


def plan(slug=ACTION_PLAN):
    return Plan.objects.get(slug=slug)
