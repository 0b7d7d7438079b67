"""Stored indicator values (a summary table refreshed when records change) and the highlights
reports' editable parts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import actor, optional_link
from tremplin.core.models import PublicModel


class IndicatorFact(models.Model):
    """One indicator's value for a period, an area and (optionally) a breakdown item.

    Written only by ``engine.refresh``, which replaces a group's rows for a period at once.
    """

    indicator = models.CharField(max_length=60)
    period = models.CharField(max_length=24)  # Period.key: "fy2008", "cy2008"
    area = models.CharField(max_length=24)  # Area.key: "all", "region:1", "territory:4"
    breakdown = models.CharField(max_length=30, blank=True, default="")
    item = models.CharField(max_length=80, blank=True, default="")
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "area", "indicator", "breakdown", "item"],
                name="indicatorfact_unique",
            )
        ]
        indexes = [models.Index(fields=["indicator", "period", "breakdown"])]

    def __str__(self):
        return f"{self.indicator} {self.period} {self.area} {self.breakdown}={self.item}"


class FactBatch(models.Model):
    """When a group's values for a period were computed (from data as of ``computed_at``)."""

    group = models.CharField(max_length=30)
    period = models.CharField(max_length=24)
    computed_at = models.DateTimeField()
    breakdowns = models.BooleanField(default=True)  # False: totals only

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "period"], name="factbatch_unique")]

    def __str__(self):
        return f"{self.group} {self.period} {self.computed_at:%Y-%m-%d %H:%M}"


class SourceChange(models.Model):
    """The last time a record that a group counts was written (set after each commit): for
    one period (``Period.key``) or every period (``""``), and one source model ("app.Model")
    or any (``""``)."""

    group = models.CharField(max_length=30)
    period = models.CharField(max_length=24, blank=True, default="")
    source = models.CharField(max_length=60, blank=True, default="")
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "period", "source"], name="sourcechange_unique"
            )
        ]

    def __str__(self):
        return f"{self.group} {self.period or '*'} {self.source or '*'} {self.changed_at:%Y-%m-%d %H:%M}"


class HighlightsReport(PublicModel):
    """A highlights report (Faits saillants): its period and area, and the texts editors write.

    Figures are never stored here: they are computed when the report is shown or exported.
    """

    title = models.CharField(_("titre"), max_length=300)
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    territory = optional_link("territories.Territory", _("territoire"))
    agreement = optional_link("partners.Agreement", _("entente"))
    context = models.TextField(_("mise en contexte"), blank=True)
    achievements_intro = models.TextField(_("présentation des réalisations"), blank=True)
    # Public ids of the projects chosen as examples, in the editor's order.
    example_order = models.JSONField(default=list, blank=True)
    # Free-text examples (achievements that are not projects), one per line.
    extra_examples = models.TextField(_("autres exemples de réalisations"), blank=True)
    updated_by = actor()
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("faits saillants")
        verbose_name_plural = _("faits saillants")

    def __str__(self):
        return self.title
