"""The nine industry chains of the action plan (annex 3 and section 二)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

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
        ADVANTAGE = "advantage", _("grow the advantage chains")
        EMERGING = "emerging", _("strengthen the emerging chains")
        TRADITIONAL = "traditional", _("upgrade the traditional chains")

    number = models.PositiveSmallIntegerField(_("number in annex 3"), unique=True)
    group = models.CharField(_("category"), max_length=12, choices=Group.choices)
    leader = models.CharField(
        _("chain leader"),
        max_length=40,
        blank=True,
        help_text=_("Leave empty where annex 3 leaves it empty; never guess."),
    )
    focus = models.CharField(_("development focus"), max_length=200, blank=True)
    responsible_unit = models.CharField(
        _("unit of the deputy chain leader"), max_length=100, blank=True
    )
    leading_firms = models.CharField(_("leading firms of the chain"), max_length=300, blank=True)
    key_firms = models.CharField(_("key firms named in the text"), max_length=300, blank=True)
    direction_text = models.TextField(_("direction of development in the text"), blank=True)
    doubling = models.BooleanField(_("doubling chain (table 2)"), default=False)
    note = models.TextField(_("note"), blank=True)

    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")
        ordering = ["number"]

    def save(self, *args, **kwargs):
        self.kind = Subject.Kind.CHAIN
        super().save(*args, **kwargs)
