"""Localities (annex 1) and industrial parks (annex 2) of the action plan."""

from decimal import Decimal

from django.db import models

from indicators.models import Subject

# 1 公顷 = 15 亩: the plan's 亩均论英雄 measure ranks parks by output per mu.
MU_PER_HECTARE = Decimal(15)


class Locality(Subject):
    """The development zone or one of the ten towns, as annex 1 breaks the indicators down."""

    class Type(models.TextChoices):
        ZONE = "zone", "开发区"
        TOWN = "town", "镇"

    number = models.PositiveSmallIntegerField("附件1序号", unique=True)
    type = models.CharField("类型", max_length=6, choices=Type.choices)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "属地"
        verbose_name_plural = "属地"
        ordering = ["number"]

    def save(self, *args, **kwargs):
        self.kind = Subject.Kind.LOCALITY
        super().save(*args, **kwargs)


class ParkQuerySet(models.QuerySet):
    # Park fields that annex 2's 合计 row totals: metric slug → field.
    TOTALLED_FIELDS = {"park-area": "area_ha", "park-firms": "firm_count"}

    def attribute_values(self):
        """{metric slug: [each park's value]} for the fields annex 2 totals."""
        parks = list(self.only(*self.TOTALLED_FIELDS.values()))
        return {slug: [getattr(p, f) for p in parks] for slug, f in self.TOTALLED_FIELDS.items()}

    def managers(self):
        """{park pk: managing locality pk}."""
        return dict(self.values_list("pk", "managed_by_id"))


class Park(Subject):
    """An industrial park of annex 2 under its managing locality."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        CITY = "city", "市级"
        DISTRICT = "district", "区级"
        BELOW = "below", "区以下"

    number = models.PositiveSmallIntegerField(
        "附件2序号", null=True, blank=True, unique=True, help_text="原表无序号的行留空。"
    )
    managed_by = models.ForeignKey(
        Locality, verbose_name="管理归属", on_delete=models.PROTECT, related_name="parks"
    )
    level = models.CharField("级别", max_length=10, choices=Level.choices, blank=True)
    area_ha = models.DecimalField(
        "占地面积（公顷）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    firm_count = models.PositiveIntegerField("规上企业（个）", null=True, blank=True)
    industry = models.CharField("主导产业", max_length=200, blank=True)
    representative_firms = models.CharField("代表性企业", max_length=300, blank=True)
    named = models.BooleanField(
        "原表列有园区名称", default=True, help_text="附件2中双街镇有一行没有园区名称。"
    )
    note = models.TextField("备注", blank=True)

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = "工业园区"
        verbose_name_plural = "工业园区"
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
