"""Campaigns: a questionnaire version run in chosen sites between two dates."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import actor, optional_link
from tremplin.core.models import PublicModel
from tremplin.housing.models import Building, HousingProvider
from tremplin.territories.models import Territory

from .questionnaires import QuestionnaireVersion


class Campaign(PublicModel):
    """A questionnaire version run in chosen sites between two dates."""

    title = models.CharField(_("titre"), max_length=200)
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("version du questionnaire"),
    )
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("fermeture"))
    allows_contact = models.BooleanField(
        _("les répondant·es peuvent laisser leurs coordonnées pour s'impliquer"),
        default=False,
        help_text=_(
            "Sinon, les réponses sont entièrement anonymes. Les coordonnées sont conservées à "
            "part des réponses, sans lien avec elles."
        ),
    )
    # Derived from the sites (services.campaign_refresh): scope of organizers.
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="survey_campaigns", editable=False
    )
    created_by = actor()
    # Kept by services.site_refresh_results: lists show it without counting answers.
    response_count = models.PositiveIntegerField(default=0, editable=False)
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("campagne d'enquête")
        verbose_name_plural = _("campagnes d'enquête")

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": _("La fermeture doit suivre l'ouverture (ou être le même jour).")}
            )

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    def status_on(self, day) -> str:
        if day < self.opens_on:
            return "upcoming"
        if day > self.closes_on:
            return "closed"
        return "open"


class CampaignSite(PublicModel):
    """A building or a housing provider where a campaign collects answers; ``code`` is the
    short, unguessable part of its public answer link."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sites")
    building = optional_link(Building, related_name="survey_sites")
    provider = optional_link(HousingProvider, related_name="survey_sites")
    code = models.CharField(max_length=16, unique=True)
    label = models.CharField(_("site"), max_length=300)
    territory = optional_link(Territory, on_delete=models.SET_NULL)
    goal = models.PositiveIntegerField(_("objectif (réponses)"), default=0)
    # Kept by services.site_refresh_results.
    response_count = models.PositiveIntegerField(default=0, editable=False)
    tablet_count = models.PositiveIntegerField(default=0, editable=False)
    paper_count = models.PositiveIntegerField(default=0, editable=False)

    @property
    def online_count(self) -> int:
        return self.response_count - self.tablet_count - self.paper_count

    class Meta:
        ordering = ["campaign", "label", "id"]
        verbose_name = _("site d'une campagne")
        verbose_name_plural = _("sites d'une campagne")
        constraints = [
            models.CheckConstraint(
                condition=(Q(building__isnull=False) & Q(provider__isnull=True))
                | (Q(building__isnull=True) & Q(provider__isnull=False)),
                name="surveys_site_building_or_provider",
            ),
            models.UniqueConstraint(
                fields=["campaign", "building"], name="surveys_site_unique_building"
            ),
            models.UniqueConstraint(
                fields=["campaign", "provider"], name="surveys_site_unique_provider"
            ),
        ]

    def __str__(self):
        return self.label
