"""The resource directory: services tenants can be referred to (not personal information)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import optional_link
from tremplin.core.models import PublicModel
from tremplin.territories.models import Municipality, Territory


class ResourceCategory(models.TextChoices):
    FOOD = "food", _("Aide alimentaire")
    MENTAL_HEALTH = "mental_health", _("Santé mentale")
    CLSC = "clsc", _("CLSC et services publics de santé")
    LEGAL = "legal", _("Aide juridique et droits")
    HOUSING = "housing", _("Logement")
    CRISIS = "crisis", _("Crise et prévention du suicide")
    SENIORS = "seniors", _("Aînés")
    ADDICTION = "addiction", _("Dépendances")
    EMPLOYMENT = "employment", _("Emploi et formation")
    OTHER = "other", _("Autre")


class Resource(PublicModel):
    """A community or public service tenants can be referred to. Everyone signed in reads it."""

    name = models.CharField(_("nom"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    category = models.CharField(_("catégorie"), max_length=16, choices=ResourceCategory.choices)
    # Empty territory: a regional service.
    territory = optional_link(Territory, _("territoire"))
    municipality = optional_link(Municipality, _("municipalité"))
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("actif"), default=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name_key"]
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")

    def __str__(self):
        return self.name
