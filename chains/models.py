"""The nine industry chains of the action plan (annex 3 and section 二)."""

from django.db import models

from indicators.models import Subject

# The metric a chain's output is tracked under (its share of the district's output on the overview).
CHAIN_OUTPUT = "chain-output"


class ChainQuerySet(models.QuerySet):
    def doubling(self):
        """The four chains table 2 sets out to double."""
        return self.filter(doubling=True)


class Chain(Subject):
    """An industry chain: a subject with its group, leader and responsible unit."""

    class Group(models.TextChoices):
        ADVANTAGE = "advantage", "做大优势产业链"
        EMERGING = "emerging", "做强新兴产业链"
        TRADITIONAL = "traditional", "做优传统产业链"

    number = models.PositiveSmallIntegerField("附件3序号", unique=True)
    group = models.CharField("类别", max_length=12, choices=Group.choices)
    leader = models.CharField(
        "链长", max_length=40, blank=True, help_text="附件3此格为空时留空，不推测。"
    )
    focus = models.CharField("发展重点", max_length=200, blank=True)
    responsible_unit = models.CharField("副链长责任单位", max_length=100, blank=True)
    leading_firms = models.CharField("产业链龙头企业", max_length=300, blank=True)
    key_firms = models.CharField("正文所列重点企业", max_length=300, blank=True)
    direction_text = models.TextField("正文发展方向", blank=True)
    doubling = models.BooleanField("链上倍增（表2）", default=False)
    note = models.TextField("备注", blank=True)

    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = "产业链"
        verbose_name_plural = "产业链"
        ordering = ["number"]

    def save(self, *args, **kwargs):
        self.kind = Subject.Kind.CHAIN
        super().save(*args, **kwargs)
