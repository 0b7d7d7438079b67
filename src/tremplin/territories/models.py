"""Region → Territory (local health network) → MRC → Municipality, and local teams (ÉLÉ)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import PublicModel


class Region(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)  # "12"
    name = models.CharField(_("nom"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self):
        return f"{self.code} – {self.name}"


class Scope(models.TextChoices):
    """Whether a project or an event is local (in territories) or regional (the whole region)."""

    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Régional")


class Place(models.Model):
    """A named place of the hierarchy below the region, listed by name."""

    name = models.CharField(_("nom"), max_length=120)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Territory(Place):
    """A local health network (RLS; in 2008, a CSSS territory)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="territories")
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)

    class Meta(Place.Meta):
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")


class Mrc(Place):
    """A regional county municipality, or an equivalent territory such as the city of Lévis."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="mrcs")
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="mrcs")
    code = models.CharField(_("code géographique"), max_length=8, unique=True)

    class Meta(Place.Meta):
        verbose_name = _("MRC")
        verbose_name_plural = _("MRC")


class Municipality(Place):
    mrc = models.ForeignKey(Mrc, on_delete=models.PROTECT, related_name="municipalities")
    code = models.CharField(_("code géographique"), max_length=8, unique=True)
    # Folded name (no accents, lower case) for matching imports and search.
    name_key = models.CharField(max_length=120, db_index=True, editable=False)

    class Meta(Place.Meta):
        verbose_name = _("municipalité")
        verbose_name_plural = _("municipalités")

    def save(self, *args, **kwargs):
        from tremplin.core.text import fold

        self.name_key = fold(self.name)
        super().save(*args, **kwargs)


class LocalTeam(PublicModel):
    """An Équipe locale élargie (ÉLÉ): a local concertation table covering some municipalities."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_teams")
    name = models.CharField(_("nom"), max_length=160)
    municipalities = models.ManyToManyField(Municipality, related_name="local_teams", blank=True)
    founded_on = models.DateField(_("créée le"), null=True, blank=True)
    is_fictitious = models.BooleanField(
        _("fictive (données de démonstration)"),
        default=False,
        help_text=_("Nom plausible mais inventé, à remplacer par le vrai nom."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("équipe locale élargie (ÉLÉ)")
        verbose_name_plural = _("équipes locales élargies (ÉLÉ)")

    def __str__(self):
        return self.name
