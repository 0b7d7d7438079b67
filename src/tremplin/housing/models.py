"""The housing directory (Répertoire): housing providers, their buildings and contacts."""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import CodeList, PublicModel
from tremplin.core.text import fold
from tremplin.territories.models import Municipality

# Canada Post: letter-digit-letter digit-letter-digit; D, F, I, O, Q, U never used, W and Z
# never first. Québec codes start with G, H or J, but a provider may have an office elsewhere.
POSTAL_CODE_RE = re.compile(
    r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])\s?(\d[ABCEGHJ-NPRSTV-Z]\d)$"
)


def normalize_postal_code(value: str) -> str:
    """``g6v3z1`` → ``G6V 3Z1``; raises ValidationError when it is not a Canadian postal code."""
    cleaned = (value or "").strip().upper().replace("-", " ")
    cleaned = re.sub(r"\s+", " ", cleaned)
    match = POSTAL_CODE_RE.match(cleaned)
    if not match:
        raise ValidationError(
            _("« %(value)s » n'est pas un code postal canadien valide (format : A1A 1A1)."),
            code="postal_code",
            params={"value": value},
        )
    return f"{match.group(1)} {match.group(2)}"


def validate_postal_code(value: str) -> None:
    normalize_postal_code(value)


class ProviderKind(models.TextChoices):
    OMH = "omh", _("Office municipal d'habitation (OMH)")
    OH = "oh", _("Office d'habitation (OH)")
    COOP = "coop", _("Coopérative d'habitation")
    OSBL = "osbl", _("OSBL d'habitation")


KIND_SHORT = {
    ProviderKind.OMH: "OMH",
    ProviderKind.OH: "OH",
    ProviderKind.COOP: _("Coopérative"),
    ProviderKind.OSBL: "OSBL-H",
}


class Program(models.TextChoices):
    PUBLIC_HLM = "hlm_public", _("HLM public")
    PRIVATE_HLM = "hlm_private", _("HLM privé")
    ACCESLOGIS = "acceslogis", _("AccèsLogis Québec")
    PHAQ = "phaq", _("Programme d'habitation abordable Québec (PHAQ)")
    RENT_SUPPLEMENT = "psl", _("Supplément au loyer (PSL)")
    OTHER = "other", _("Autre")


class Clientele(CodeList):
    """A target group of a building (seeded by migration; codes are stable)."""

    class Meta(CodeList.Meta):
        verbose_name = _("clientèle")
        verbose_name_plural = _("clientèles")


class HousingProvider(PublicModel):
    kind = models.CharField(_("type"), max_length=8, choices=ProviderKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="housing_providers",
        verbose_name=_("municipalité"),
    )
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("code postal"), max_length=7, blank=True, validators=[validate_postal_code]
    )
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    notes = models.TextField(_("remarques"), blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_providers",
        verbose_name=_("gestionnaires (comptes)"),
    )
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)
    # Kept up to date by services: sorting and totals at province scale without aggregation.
    building_count = models.PositiveIntegerField(default=0, editable=False)
    unit_count = models.PositiveIntegerField(default=0, editable=False)
    # Folded (accent- and case-free) text of name, places and building addresses for search.
    search_key = models.TextField(default="", editable=False)
    name_key = models.CharField(max_length=200, default="", editable=False, db_index=True)

    class Meta:
        ordering = ["name_key"]
        verbose_name = _("organisme d'habitation")
        verbose_name_plural = _("organismes d'habitation")
        constraints = [
            models.UniqueConstraint(
                fields=["name_key", "municipality"], name="provider_unique_name"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "name_key"]),
            models.Index(fields=["unit_count"]),
        ]

    def __str__(self):
        return self.name

    @property
    def kind_short(self) -> str:
        return KIND_SHORT.get(self.kind, self.kind)

    def clean(self):
        if self.postal_code:
            self.postal_code = normalize_postal_code(self.postal_code)
        self.name = (self.name or "").strip()
        self.name_key = fold(self.name)


class Contact(models.Model):
    """A staff member of a housing provider (professional contact details only)."""

    provider = models.ForeignKey(HousingProvider, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("courriel"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("personne-ressource")
        verbose_name_plural = _("personnes-ressources")

    def __str__(self):
        return self.name


def _year_max():
    return dt.date.today().year + 5


class Building(PublicModel):
    provider = models.ForeignKey(
        HousingProvider,
        on_delete=models.CASCADE,
        related_name="buildings",
        verbose_name=_("organisme"),
    )
    name = models.CharField(_("nom de l'immeuble"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=200)
    postal_code = models.CharField(
        _("code postal"), max_length=7, validators=[validate_postal_code]
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("municipalité"),
    )
    units_studio = models.PositiveIntegerField(_("2 ½ et moins"), default=0)
    units_1br = models.PositiveIntegerField(_("3 ½ (1 chambre)"), default=0)
    units_2br = models.PositiveIntegerField(_("4 ½ (2 chambres)"), default=0)
    units_3br = models.PositiveIntegerField(_("5 ½ (3 chambres)"), default=0)
    units_4br_plus = models.PositiveIntegerField(_("6 ½ et plus"), default=0)
    total_units = models.PositiveIntegerField(_("logements"), default=0, editable=False)
    clienteles = models.ManyToManyField(
        Clientele, blank=True, related_name="buildings", verbose_name=_("clientèles")
    )
    program = models.CharField(
        _("programme"), max_length=16, choices=Program.choices, default=Program.PUBLIC_HLM
    )
    year_built = models.PositiveSmallIntegerField(
        _("année de construction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(_year_max)],
    )
    has_elevator = models.BooleanField(_("ascenseur"), default=False)
    adapted_units = models.PositiveIntegerField(_("logements adaptés"), default=0)
    has_common_room = models.BooleanField(_("salle communautaire"), default=False)
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    UNIT_FIELDS = ("units_studio", "units_1br", "units_2br", "units_3br", "units_4br_plus")

    class Meta:
        ordering = ["address"]
        verbose_name = _("immeuble")
        verbose_name_plural = _("immeubles")

    def __str__(self):
        return self.name or f"{self.address}, {self.municipality.name}"

    def clean(self):
        errors = {}
        if self.postal_code:
            try:
                self.postal_code = normalize_postal_code(self.postal_code)
            except ValidationError as exc:
                errors["postal_code"] = exc.messages
        self.total_units = sum(getattr(self, f) or 0 for f in self.UNIT_FIELDS)
        if self.adapted_units and self.adapted_units > self.total_units:
            errors["adapted_units"] = [
                _("Il ne peut y avoir plus de logements adaptés que de logements.")
            ]
        if self.provider_id and self.municipality_id:
            provider_region = self.provider.municipality.mrc.region_id
            if self.municipality.mrc.region_id != provider_region:
                errors["municipality"] = [
                    _("La municipalité de l'immeuble doit être dans la région de son organisme.")
                ]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.total_units = sum(getattr(self, f) or 0 for f in self.UNIT_FIELDS)
        super().save(*args, **kwargs)


def directory_print_path(instance, filename):
    return f"housing/prints/{instance.public_id}.pdf"


class DirectoryPrint(PublicModel):
    """A printable Répertoire too large to render during a request: made by a background job
    (``housing.printing``), downloadable by the person who asked for it only."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        RUNNING = "running", _("en préparation")
        DONE = "done", _("prêt")
        FAILED = "failed", _("échec")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The directory's filters (the query string's parameters) when it was asked for.
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    buildings = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=directory_print_path, blank=True)

    class Meta:
        ordering = ["-created_at"]
