"""Plans, figures and the subjects they are about.

One shape serves the whole district: a *subject* (the district, a chain, a locality,
a park) has *targets* set by a plan (baseline and target for a metric) and *actuals*
year by year. Chains, localities and parks extend Subject by multi-table inheritance,
so every foreign key below is a real, checked key and the admin can follow it.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.engine import kinds, periods, progress

# The language a long piece of output (the report workbook) is written in, read once for it:
# Django keeps the active language in a thread- and task-local that takes microseconds to read,
# and a report at scale asks for it half a million times (every name, unit and locator).
PINNED_LANGUAGE = ContextVar("pinned_language", default=None)


@contextmanager
def language_pinned():
    """Within the block, `active_language()` answers the language active at its start
    without asking Django again (the block must not change the language)."""
    token = PINNED_LANGUAGE.set((translation.get_language(),))
    try:
        yield
    finally:
        PINNED_LANGUAGE.reset(token)


def active_language():
    """`translation.get_language()`, read once per `language_pinned` block."""
    pinned = PINNED_LANGUAGE.get()
    return pinned[0] if pinned is not None else translation.get_language()


def page_language():
    """The language of the page being rendered (Chinese outside a request)."""
    return active_language() or settings.LANGUAGE_CODE


# A value read when it is shown, in the language of that page: names inside a sentence built
# once (`progress.Text`), e.g. in_page_language(lambda: metric.display_name).
in_page_language = lazy(lambda read: read(), str)


def translated(text):
    """One of the engine's sentences (`progress.Text`) in the active language; other text as
    it is (an empty value as an empty string)."""
    if isinstance(text, progress.Text):
        return text.translate(translation.gettext)
    return "" if text is None else str(text)


def english_page():
    """Whether the page being rendered is in English (names then come from fixtures/english.yaml)."""
    return (active_language() or "").startswith("en")


class Document(models.Model):
    """A source document whose figures the dashboard carries."""

    slug = models.SlugField(_("code"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issuer = models.CharField(_("issuing authority"), max_length=100, blank=True)
    issued = models.DateField(_("date issued"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["issued", "slug"]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        """The title in the page's language (English from fixtures/english.yaml when it has one)."""
        return self.title_en if self.title_en and english_page() else self.title


class PlanQuerySet(models.QuerySet):
    def with_document(self):
        """Plans with their source document, in base-year order."""
        return self.select_related("document").order_by("base_year", "slug")

    def with_targets(self):
        """Plans that set at least one target, in base-year order (what a plan selector offers)."""
        return (
            self.annotate(target_count=models.Count("targets"))
            .filter(target_count__gt=0)
            .order_by("base_year", "slug")
        )

    def covering(self, year):
        """Plans with targets whose period holds `year` (after the base year, up to the target)."""
        return self.with_targets().filter(base_year__lt=year, target_year__gte=year)

    def for_year(self, year):
        """The plan pages follow by default: the one whose period holds `year` (where two do,
        the one setting the most targets), else the latest; None when no plan has targets."""
        if year is not None:
            current = self.covering(year).order_by("-target_count", "slug").first()
            if current is not None:
                return current
        return self.with_targets().order_by("-target_year", "-base_year", "slug").first()


class Plan(models.Model):
    """A plan that sets baselines and targets; the next plan is new data, not new code."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    short_name_en = models.CharField(_("English short name"), max_length=100, blank=True)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    base_year = models.PositiveSmallIntegerField(_("base year"))
    target_year = models.PositiveSmallIntegerField(_("target year"))
    document = models.ForeignKey(
        Document,
        verbose_name=_("document of the indicators"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["base_year", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_year__gt=models.F("base_year")),
                name="indicators_plan_target_after_base",
            )
        ]

    def __str__(self):
        return self.display_short_name

    @property
    def display_name(self):
        """The name in the page's language (English from fixtures/english.yaml when it has one)."""
        return self.name_en if self.name_en and english_page() else self.name

    @property
    def display_short_name(self):
        return self.short_name_en if self.short_name_en and english_page() else self.short_name

    def clean(self):
        if self.base_year and self.target_year and self.target_year <= self.base_year:
            raise ValidationError({"target_year": "目标年份必须晚于基期年份。"})


class Metric(models.Model):
    """A kind of figure: what is measured, in which unit, and how the plan grows it."""

    class Kind(models.TextChoices):
        AMOUNT = "amount", _("amount (compound growth)")
        COUNT = "count", _("count (increase per year)")
        SHARE = "share", _("share (percentage points per year)")
        RATE = "rate", _("growth rate (may be negative)")

    class Direction(models.TextChoices):
        UP = "up", _("higher is better")
        DOWN = "down", _("lower is better")

    class Accumulation(models.TextChoices):
        # 产值 of January–October is the sum of ten months; firms or a share at the end of
        # October are a level. The kind does not decide it: 亩均产值 and 园区面积 are amounts
        # that never add up over months, a count of 新增 firms does.
        FLOW = "flow", _("flow: adds up over the months (January to month N)")
        STOCK = "stock", _("stock or level: the value at the end of the period")

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("metric name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    unit_en = models.CharField(_("English unit"), max_length=20, blank=True)
    kind = models.CharField(_("growth convention"), max_length=10, choices=Kind.choices)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    accumulation = models.CharField(
        _("flow or stock"),
        max_length=5,
        choices=Accumulation.choices,
        default=Accumulation.STOCK,
        help_text=_(
            "A flow's January-to-month-N figure is a running total: it cannot exceed a later month's, and "
            "it gives a full-year estimate. A stock's is a level: neither applies."
        ),
    )
    description = models.TextField(_("definition"), blank=True)
    # 指标说明 (metadata), as Open SDG and DHIS2 publish it beside each figure.
    scope = models.TextField(
        _("statistical scope"),
        blank=True,
        help_text=_(
            "What is counted and how, e.g. above-scale industry, chain firms' output (not revenue)."
        ),
    )
    agency = models.CharField(
        _("data source"),
        max_length=200,
        blank=True,
        help_text=_("The source documents and the agency that compiles or supplies the figure."),
    )
    frequency = models.CharField(
        _("frequency"), max_length=60, blank=True, help_text=_("E.g. yearly, cumulative monthly.")
    )
    assessment_method = models.TextField(
        _("how the status is judged"),
        blank=True,
        help_text=_("How baseline, target and actuals decide the figure's status."),
    )
    increment_of = models.ForeignKey(
        "self",
        verbose_name=_("increase of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="increments",
        help_text=_(
            "For a count of new firms: the stock it adds to, to check one against the other."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        ordering = ["order", "slug"]

    def __str__(self):
        if english_page():
            return (
                f"{self.display_name} ({self.display_unit})"
                if self.display_unit
                else self.display_name
            )
        return f"{self.name}（{self.unit}）"

    @property
    def display_name(self):
        """The name in the page's language (English from fixtures/english.yaml when it has one)."""
        return self.name_en if self.name_en and english_page() else self.name

    @property
    def display_unit(self):
        return self.unit_en if english_page() and (self.unit_en or self.name_en) else self.unit

    @property
    def metric_kind(self):
        """The `indicators.engine.kinds.MetricKind` of this metric: its growth convention,
        decimals, Excel format and whether it adds up across subjects."""
        return kinds.of(self.kind)

    @property
    def adds_up(self):
        """Whether months add up to the year: a flow (产值, 新增企业) does; a stock or level
        (a count of firms, a share, 亩均产值, a park's area) does not."""
        return self.accumulation == self.Accumulation.FLOW

    def value_errors(self, value):
        """Chinese messages for a value this metric cannot hold; empty when it is fine."""
        errors = []
        if value is None:
            return ["请填写数值。"]
        value = Decimal(value)
        kind = self.metric_kind
        if not kind.negative and value < 0:
            errors.append(f"{self.name}不能为负数（填写的是 {value}）。")
        if kind.percent and not kind.negative and not (0 <= value <= 100):
            errors.append(f"{self.name}是百分比，须在 0 到 100 之间（填写的是 {value}）。")
        if kind.whole and value != value.to_integral_value():
            errors.append(f"{self.name}是{self.unit}数，须为整数（填写的是 {value}）。")
        return errors


class Subject(models.Model):
    """What a figure is about: the district, a chain, a locality or a park."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("district")
        CHAIN = "chain", _("industry chain")
        LOCALITY = "locality", _("locality")
        PARK = "park", _("park")

    kind = models.CharField(_("category"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    slug = models.SlugField(_("code"), unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["kind", "order", "name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The name in the page's language (English from fixtures/english.yaml when it has one)."""
        return self.name_en if self.name_en and english_page() else self.name


SOURCE_HELP = _("Where in the document, e.g. “表1”, “附件3 第1行”, “正文 二（一）”.")


class TargetQuerySet(models.QuerySet):
    def for_plan(self, plan):
        """Targets set by one plan."""
        return self.filter(plan=plan)

    def with_related(self):
        """Targets with plan, subject, metric and document loaded in one query."""
        return self.select_related("plan", "subject", "metric", "document")

    def headline(self):
        """The district's headline indicators (the action plan's table 1)."""
        return self.filter(headline=True).with_related().order_by("plan", "order")


class Target(models.Model):
    """A plan's baseline and target for one metric of one subject, as the document prints it."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.CASCADE, related_name="targets"
    )
    metric = models.ForeignKey(
        Metric, verbose_name=_("metric"), on_delete=models.PROTECT, related_name="targets"
    )
    category = models.CharField(_("indicator category"), max_length=20, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("base year"))
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Leave empty when the document gives no baseline."),
    )
    target_year = models.PositiveSmallIntegerField(_("target year"))
    target_value = models.DecimalField(_("target value"), max_digits=16, decimal_places=4)
    growth_printed = models.CharField(
        _("annual growth as printed"),
        max_length=30,
        blank=True,
        help_text=_("Copied as printed, e.g. “16%”, “40”, “11%以上”."),
    )
    headline = models.BooleanField(_("headline doubling indicator"), default=False)
    counted_in = models.ForeignKey(
        Metric,
        verbose_name=_("printed in the column of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Set when the document prints this target in another metric's column (and counts it "
            "in that column's total), like the IT chain's revenue in annex 3's output column. "
            "Actuals of that column measure something else and never assess this target."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    document = models.ForeignKey(
        Document, verbose_name=_("source document"), on_delete=models.PROTECT
    )
    source = models.CharField(_("source"), max_length=100, help_text=SOURCE_HELP)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("baseline and target")
        verbose_name_plural = _("baselines and targets")
        ordering = ["plan", "subject__kind", "subject__order", "order", "metric__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "subject", "metric"], name="indicators_target_one_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(target_year__gt=models.F("baseline_year")),
                name="indicators_target_year_after_baseline",
            ),
        ]

    def __str__(self):
        return f"{self.plan} · {self.subject} · {self.metric.name}"

    def clean(self):
        errors = {}
        if self.baseline_year and self.target_year and self.target_year <= self.baseline_year:
            errors["target_year"] = "目标年份必须晚于基期年份。"
        if self.metric_id:
            for field in ("baseline_value", "target_value"):
                value = getattr(self, field)
                if value is not None and (problems := self.metric.value_errors(value)):
                    errors[field] = problems
        if self.counted_in_id and self.counted_in_id == self.metric_id:
            errors["counted_in"] = "文件所列栏目与指标相同时无须填写。"
        if self.plan_id and self.subject_id and self.metric_id:
            clash = Target.objects.filter(plan=self.plan, subject=self.subject, metric=self.metric)
            if clash.exclude(pk=self.pk).exists():
                errors["metric"] = (
                    f"{self.plan}已为{self.subject}设定了“{self.metric.name}”的目标。"
                )
        if errors:
            raise ValidationError(errors)

    def growth_printed_meaning(self):
        """What the document's growth column holds for this target: table 1 prints "16%" for
        an amount, a yearly rate, but "400" for firms, the increase over the plan's years."""
        if not self.growth_printed:
            return ""
        if self.metric.metric_kind.convention is progress.Kind.COMPOUND:
            return "年均增速"
        span = self.target_year - self.baseline_year
        years = f"{'零一二三四五六七八九十'[span]}年" if 0 < span <= 10 else f"{span}年"
        if self.metric.metric_kind.convention is progress.Kind.POINTS:
            return f"{years}增加百分点"
        return f"{years}增加量"

    def figure(self):
        """The engine's view of this target; None when the document gives no baseline."""
        if self.baseline_value is None:
            return None
        return progress.Figure(
            baseline_year=self.baseline_year,
            baseline_value=self.baseline_value,
            target_year=self.target_year,
            target_value=self.target_value,
            kind=self.metric.metric_kind.convention,
            direction=progress.Direction(self.metric.direction),
        )


class ActualQuerySet(models.QuerySet):
    def published(self):
        """Actuals that have been approved and may appear on public pages and exports."""
        return self.filter(state=Actual.State.APPROVED)

    def for_year(self, year):
        """Actuals of one year."""
        return self.filter(year=year)

    def full_year(self):
        """Whole-year actuals, the only ones that decide a status."""
        return self.filter(period=Actual.Period.YEAR)

    def part_year(self):
        """Actuals for part of a year (1—N月累计, a quarter) or a period the document names."""
        return self.exclude(period=Actual.Period.YEAR)

    def with_related(self):
        """Actuals with subject, metric and document loaded."""
        return self.select_related("subject", "metric", "document")


def current_year():
    return timezone.localdate().year


class Actual(models.Model):
    """What a subject reached on a metric in a year: from a document, or entered by staff."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.CASCADE, related_name="actuals"
    )
    metric = models.ForeignKey(
        Metric, verbose_name=_("metric"), on_delete=models.PROTECT, related_name="actuals"
    )

    class Period(models.TextChoices):
        YEAR = periods.PeriodKind.YEAR.value, _("whole year")
        MONTHS = periods.PeriodKind.MONTHS.value, _("January to month N, cumulative")
        QUARTER = periods.PeriodKind.QUARTER.value, _("quarter")
        OTHER = periods.PeriodKind.OTHER.value, _("other (as the document words it)")

    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(
        _("period"),
        max_length=10,
        choices=Period.choices,
        default=Period.YEAR,
        help_text=_(
            "Only whole-year figures judge progress; cumulative and quarterly figures give "
            "year-on-year growth and the full-year estimate."
        ),
    )
    month = models.PositiveSmallIntegerField(
        _("cumulative to month"),
        null=True,
        blank=True,
        help_text=_("N of a January–month N cumulative figure, 1 to 11."),
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        help_text=_("The quarter of a quarterly figure, 1 to 4."),
    )
    period_text = models.CharField(
        _("period as printed"),
        max_length=30,
        blank=True,
        help_text=_("The document's own words for the period, e.g. “1-10月份”, “2021-2025年累计”."),
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    stated_growth = models.DecimalField(
        _("year-on-year growth as stated"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Recorded as printed when the document gives only the rate, in %, e.g. -0.3."),
    )
    note = models.TextField(_("note"), blank=True)
    document = models.ForeignKey(
        Document, verbose_name=_("source document"), on_delete=models.PROTECT, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=100, blank=True, help_text=SOURCE_HELP)
    state = models.CharField(
        _("review state"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by every save; a form carries the version it was opened with, so a second
    # person saving over a change they have not seen is told instead of overwriting it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = ActualQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual actual")
        verbose_name_plural = _("annual actuals")
        ordering = ["subject__kind", "subject__order", "metric__order", "year", "month"]
        constraints = [
            # One figure per subject, metric, year and period; month and quarter are empty
            # for the periods that have none, hence the COALESCE.
            models.UniqueConstraint(
                F("subject"),
                F("metric"),
                F("year"),
                F("period"),
                Coalesce("month", 0),
                Coalesce("quarter", 0),
                name="indicators_actual_one_per_period",
            ),
            models.CheckConstraint(
                condition=(
                    Q(period="months", month__gte=1, month__lte=11, quarter__isnull=True)
                    | Q(period="quarter", quarter__gte=1, quarter__lte=4, month__isnull=True)
                    | Q(period__in=["year", "other"], month__isnull=True, quarter__isnull=True)
                ),
                name="indicators_actual_period_fields",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1949) & Q(year__lte=2100),
                name="indicators_actual_year_plausible",
            ),
        ]
        indexes = [
            # Progress, the lists and the report read a figure's approved whole years, a
            # subject at a time: on PostgreSQL the columns they print are in the index too, so
            # the whole-year rows are read from it alone rather than from table pages shared
            # with twelve times as many monthly figures (SQLite keeps the index without them).
            models.Index(
                fields=["subject", "metric", "year"],
                include=["id", "state", "value", "document", "note", "source"],
                condition=Q(period="year"),
                name="indicators_actual_whole_year",
            ),
        ]
        permissions = [
            ("submit_actual", _("Can submit annual actuals for review")),
            ("review_actual", _("Can approve, return or reopen annual actuals")),
            ("enter_any_subject", _("Can enter annual actuals of every subject")),
        ]

    def __str__(self):
        return f"{self.subject} · {self.metric.name} · {self.period_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def partial(self):
        """Part of a year (or a period of the document's own): shown, never decides a status."""
        return self.period != self.Period.YEAR

    @property
    def period_label(self):
        """The year and its period as the office writes it: 2024年, 2025年1—10月."""
        return periods.year_label(
            self.year, self.period, self.month, self.quarter, self.period_text, page_language()
        )

    @property
    def period_name(self):
        """The period without its year, empty for a whole year: 1—10月, 第三季度."""
        if not self.partial:
            return ""
        return periods.label(
            self.period, self.month, self.quarter, self.period_text, page_language()
        )

    @property
    def period_key(self):
        """Sorts a subject's actuals by year, then by period within the year."""
        return (self.year, *periods.sort_key(self.period, self.month, self.quarter))

    def same_period(self, queryset):
        """The actuals of `queryset` for this actual's period (of whatever year)."""
        return queryset.filter(period=self.period, month=self.month, quarter=self.quarter)

    @property
    def is_locked(self):
        """Approved figures are locked; a reviewer must reopen one before it changes."""
        return self.state == self.State.APPROVED

    @staticmethod
    def year_bounds():
        """Years an actual may carry: from the earliest plan's base year to this year."""
        first = Plan.objects.order_by("base_year").values_list("base_year", flat=True).first()
        return (first or current_year()), current_year()

    def clean(self):
        errors = {}
        low, high = self.year_bounds()
        if self.year is not None and not (low <= self.year <= high):
            errors["year"] = f"年份须在 {low} 年至 {high} 年之间（填写的是 {self.year} 年）。"
        if self.metric_id and self.value is not None:
            if problems := self.metric.value_errors(self.value):
                errors["value"] = problems
        errors.update(self.period_errors())
        if not errors and self.subject_id and self.metric_id and self.year:
            if problem := self.cumulative_error():
                errors["value"] = problem
        if errors:
            raise ValidationError(errors)

    def period_errors(self):
        """Chinese messages for a period that does not hold together."""
        errors = {}
        if self.period == self.Period.MONTHS:
            if self.month is None:
                errors["month"] = "1—N月累计数须填写累计至几月（1 至 11）。"
            elif self.month == 12:
                errors["month"] = "1—12月累计即全年数据，请把统计期选为“全年”。"
            elif not 1 <= self.month <= 11:
                errors["month"] = f"累计月份须在 1 至 11 之间（填写的是 {self.month}）。"
        elif self.month is not None:
            errors["month"] = "只有 1—N月累计数填写累计月份，请清空。"
        if self.period == self.Period.QUARTER:
            if self.quarter is None:
                errors["quarter"] = "季度数据须填写第几季度（1 至 4）。"
            elif not 1 <= self.quarter <= 4:
                errors["quarter"] = f"季度须在 1 至 4 之间（填写的是 {self.quarter}）。"
        elif self.quarter is not None:
            errors["quarter"] = "只有季度数据填写季度，请清空。"
        if self.period == self.Period.OTHER and not self.period_text:
            errors["period_text"] = "其他统计期须照录原文，如“2021-2025年累计”。"
        return errors

    @property
    def months(self):
        """(first, last) month the period covers: 1—10月 (1, 10), 第三季度 (7, 9), 全年 (1, 12)."""
        return periods.months_covered(self.period, self.month, self.quarter)

    def cumulative_error(self):
        """For a flow (`Metric.accumulation`), a period cannot exceed one that holds its months:
        1—9月 ≤ 1—10月 ≤ 全年, and 第三季度 ≤ 1—9月. A stock's figures are levels: no rule."""
        if not self.metric.adds_up or self.months is None:
            return None
        siblings = (
            Actual.objects.filter(subject_id=self.subject_id, metric_id=self.metric_id)
            .filter(year=self.year)
            .exclude(period=self.Period.OTHER)
            .exclude(pk=self.pk)
        )
        unit = self.metric.unit
        for other in siblings:
            if periods.within(self.months, other.months):
                inner, outer = self, other
            elif periods.within(other.months, self.months):
                inner, outer = other, self
            else:
                continue
            if inner.value > outer.value:
                return (
                    f"{self.metric.name}是累计数，{inner.period_label}的 "
                    f"{inner.value.normalize():f} {unit} 不能大于{outer.period_label}的 "
                    f"{outer.value.normalize():f} {unit}，请核对。"
                )
        return None

    def validate_constraints(self, exclude=None):
        # The default message names no field; officials need to know which figure exists.
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            if self.period_errors():
                return  # clean() already says what is wrong with the period
            clash = Actual.objects.filter(
                subject_id=self.subject_id, metric_id=self.metric_id, year=self.year
            )
            if self.same_period(clash).exclude(pk=self.pk).exists():
                raise ValidationError(
                    f"{self.subject}的“{self.metric.name}”已有{self.period_label}的数值，"
                    "请直接修改该条记录。"
                ) from None
            raise error


class StatedTotal(models.Model):
    """A 合计 row as the document prints it; kept as stated, never recomputed."""

    class Role(models.TextChoices):
        BASELINE = "baseline", _("baseline")
        TARGET = "target", _("target")
        ACTUAL = "actual", _("actual")
        ATTRIBUTE = "attribute", _("profile")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, null=True, blank=True
    )
    metric = models.ForeignKey(Metric, verbose_name=_("metric"), on_delete=models.PROTECT)
    scope = models.CharField(_("scope of the total"), max_length=10, choices=Subject.Kind.choices)
    role = models.CharField(_("basis"), max_length=10, choices=Role.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    value = models.DecimalField(_("total"), max_digits=16, decimal_places=4)
    document = models.ForeignKey(
        Document, verbose_name=_("source document"), on_delete=models.PROTECT
    )
    source = models.CharField(_("source"), max_length=100, help_text=SOURCE_HELP)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stated total")
        verbose_name_plural = _("stated totals")
        ordering = ["document", "source", "metric__order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "source", "metric", "scope", "role", "year"],
                name="indicators_statedtotal_unique",
            )
        ]

    def __str__(self):
        year = f"{self.year}年" if self.year else ""
        return f"{self.source} {self.get_scope_display()}合计 · {year}{self.metric.name}"


class Statement(models.Model):
    """A figure printed somewhere else than the table the dashboard tracks it from.

    The chain paragraphs of section 二 restate annex 3, the report restates the plans'
    base; where two places disagree both are kept and the data-quality page says so.
    """

    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.CASCADE)
    metric = models.ForeignKey(Metric, verbose_name=_("metric"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    printed = models.CharField(_("wording in the document"), max_length=200, blank=True)
    document = models.ForeignKey(
        Document, verbose_name=_("source document"), on_delete=models.PROTECT
    )
    source = models.CharField(_("source"), max_length=100, help_text=SOURCE_HELP)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("other statement in a document")
        verbose_name_plural = _("other statements in documents")
        ordering = ["document", "subject__kind", "subject__order", "metric__order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "source", "subject", "metric", "year"],
                name="indicators_statement_unique",
            )
        ]

    def __str__(self):
        return f"{self.source}：{self.subject} {self.year}年{self.metric.name} {self.value}"


class Project(models.Model):
    """One of the five projects (工程) of the action plan's section 三."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="projects"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("project name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    responsible_units = models.CharField(_("responsible units"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="indicators_project_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        """The name in the page's language (English from fixtures/english.yaml when it has one)."""
        return self.name_en if self.name_en and english_page() else self.name

    @property
    def unit_list(self):
        return [u for u in self.responsible_units.split("、") if u]


class Measure(models.Model):
    """One of the twelve measures (举措), numbered through the plan."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="measures"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("measure title"), max_length=100)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    source = models.CharField(_("source"), max_length=100, help_text=SOURCE_HELP)
    # The figures the measure's own text names (measure 4: "国家级和市级企业技术中心达到100家"),
    # so the measures page and each figure's page point at each other.
    metrics = models.ManyToManyField(
        Metric,
        verbose_name=_("figures it moves"),
        related_name="measures",
        blank=True,
        help_text=_("The figures this measure's text names or is meant to raise."),
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="indicators_measure_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def display_title(self):
        """The title in the page's language (English from fixtures/english.yaml when it has one)."""
        return self.title_en if self.title_en and english_page() else self.title


class Assignment(models.Model):
    """A data-entry clerk's scope: the subjects whose figures this person enters.

    A locality's clerk also enters the figures of the parks it manages (Park.managed_by);
    `indicators.domain.permissions` draws that conclusion, so it is not stored twice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("data-entry clerk"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("subject entered"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    note = models.CharField(
        _("description"),
        max_length=100,
        blank=True,
        help_text=_("e.g. the clerk’s office or section."),
    )

    class Meta:
        verbose_name = _("data-entry scope")
        verbose_name_plural = _("data-entry scopes")
        ordering = ["user__username", "subject__kind", "subject__order"]
        constraints = [
            models.UniqueConstraint(fields=["user", "subject"], name="indicators_assignment_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.subject}"

    def validate_constraints(self, exclude=None):
        # The default message names no one; say which clerk and subject already match.
        try:
            super().validate_constraints(exclude)
        except ValidationError:
            raise ValidationError(f"{self.user}已负责{self.subject}的填报。") from None


class DataVersion(models.Model):
    """One row counting changes to published data: every approval, change, import or reload
    bumps it (indicators/domain/data_version.py), and cached pages are keyed on it."""

    number = models.PositiveBigIntegerField(_("version number"), default=0)
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M})"


class PendingImport(models.Model):
    """An uploaded spreadsheet between its preview and its confirmation.

    Kept in the database, not on one server's disk, so the preview and the confirmation may
    be answered by different app servers; `applied` is set once, atomically, so a double
    click or a repeated confirmation applies the file once.
    """

    token = models.CharField(_("token"), max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file content"))
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")

    def __str__(self):
        return f"{self.filename}（{self.user}）"
