"""Localities (annex 1) and industrial parks (annex 2) of the action plan."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import Subject

# 1 公顷 = 15 亩: the plan's 亩均论英雄 measure ranks parks by output per mu.
MU_PER_HECTARE = Decimal(15)
WAN_PER_YI = Decimal(10000)  # 1 亿元 = 10,000 万元


def output_per_mu(output_yi, area_ha):
    """亩均产出 in 万元/亩: output (亿元) × 10,000 ÷ (area in 公顷 × 15 亩); None if unknown.

    The one calculation the park list, the park page and the report's park sheet all use.
    """
    if output_yi is None or not area_ha:
        return None
    return float(Decimal(output_yi) * WAN_PER_YI / (Decimal(area_ha) * MU_PER_HECTARE))


class Locality(Subject):
    """The development zone or one of the nine towns, as annex 1 breaks the indicators down."""

    class Type(models.TextChoices):
        ZONE = "zone", _("development zone")
        TOWN = "town", _("town")

    number = models.PositiveSmallIntegerField(_("number in annex 1"), unique=True)
    type = models.CharField(_("type"), max_length=6, choices=Type.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["number"]

    def save(self, *args, **kwargs):
        self.kind = Subject.Kind.LOCALITY
        super().save(*args, **kwargs)


class ParkQuerySet(models.QuerySet):
    # Park fields that annex 2's 合计 row totals: metric slug → field.
    TOTALLED_FIELDS = {"park-area": "area_ha", "park-firms": "firm_count"}

    def attribute_values(self):
        """{metric slug: [each park's value]} for the fields annex 2 totals (read as plain
        values: a park as a model row is a subject joined to its park, two thousand at scale)."""
        rows = list(self.values_list(*self.TOTALLED_FIELDS.values()))
        return {slug: [row[i] for row in rows] for i, slug in enumerate(self.TOTALLED_FIELDS)}

    def managers(self):
        """{park pk: managing locality pk}."""
        return dict(self.values_list("pk", "managed_by_id"))


class Park(Subject):
    """An industrial park of annex 2 under its managing locality."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        CITY = "city", _("municipal")
        DISTRICT = "district", _("district level")
        BELOW = "below", _("below district level")

    number = models.PositiveSmallIntegerField(
        _("number in annex 2"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Leave empty for rows the annex does not number."),
    )
    managed_by = models.ForeignKey(
        Locality, verbose_name=_("managed by"), on_delete=models.PROTECT, related_name="parks"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    area_ha = models.DecimalField(
        _("area (hectares)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    firm_count = models.PositiveIntegerField(
        _("firms above designated size"), null=True, blank=True
    )
    industry = models.CharField(_("leading industries"), max_length=200, blank=True)
    representative_firms = models.CharField(_("representative firms"), max_length=300, blank=True)
    named = models.BooleanField(
        _("named in the annex"),
        default=True,
        help_text=_("One row of 双街镇 in annex 2 names no park."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = _("industrial park")
        verbose_name_plural = _("industrial parks")
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area_ha__isnull=True) | models.Q(area_ha__gt=0),
                name="parks_park_area_positive",
            )
        ]

    def save(self, *args, **kwargs):
        self.kind = Subject.Kind.PARK
        super().save(*args, **kwargs)

    @property
    def area_mu(self):
        return None if self.area_ha is None else self.area_ha * MU_PER_HECTARE
