"""Partners, agreements (ententes spécifiques), commitments, top-ups and disbursements.

Money is stored exactly as ``Decimal`` (12 digits, 2 decimals), in Canadian dollars.
Fiscal years run April to March and are named by the calendar year they start in
(``2009`` is 2009-04-01 → 2010-03-31).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import optional_link
from tremplin.core.fiscal import (  # noqa: F401
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
)
from tremplin.core.models import PublicModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class PartnerKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministère")
    GOVERNMENT_AGENCY = "gov_agency", _("Organisme gouvernemental")
    HEALTH_AGENCY = "health_agency", _("Agence ou établissement régional de santé")
    LOCAL_HEALTH_NETWORK = "local_health", _("Réseau local de santé (CSSS)")
    ELECTED_CONFERENCE = "cre", _("Conférence régionale des élus")
    SCHOOL_BOARD = "school", _("Commission scolaire ou centre de services scolaire")
    YOUTH_FORUM = "youth_forum", _("Forum jeunesse")
    SENIORS_TABLE = "seniors_table", _("Table de concertation des aînés")
    MUNICIPALITY = "municipality", _("Municipalité")
    COMMUNITY_ORG = "community", _("Organisme communautaire")
    UNIVERSITY = "university", _("Université")
    TENANT_ASSOCIATION = "tenants", _("Association de locataires")
    OTHER = "other", _("Autre")


class Partner(PublicModel):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    short_name = models.CharField(_("nom court"), max_length=80, blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=PartnerKind.choices)
    parent = optional_link("self", _("partenaire parent"), related_name="children")
    website = models.URLField(_("site web"), blank=True)
    active = models.BooleanField(_("actif"), default=True)
    internal_notes = models.TextField(
        _("notes internes"), blank=True, help_text=_("Visibles par la coordination seulement.")
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="partner_organizations",
        verbose_name=_("comptes du partenaire"),
    )
    is_fictitious = models.BooleanField(_("fictif (démonstration)"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class PartnerContact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=150, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("personne-ressource")
        verbose_name_plural = _("personnes-ressources")

    def __str__(self):
        return self.name


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    IN_FORCE = "in_force", _("En vigueur")
    ENDED = "ended", _("Terminée")


class Agreement(PublicModel):
    slug = models.SlugField(_("identifiant court"), max_length=60, unique=True)
    title = models.CharField(_("titre"), max_length=400)
    short_title = models.CharField(_("titre court"), max_length=120)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    objectives = models.TextField(_("objectifs"), blank=True)
    target_clientele = models.TextField(_("clientèle visée"), blank=True)
    table_notes = models.TextField(
        _("notes du tableau de financement"),
        blank=True,
        help_text=_("Ex. : *CAS : Comité Chaudière-Appalaches santé"),
    )
    signatories = models.ManyToManyField(
        Partner, related_name="agreements", blank=True, verbose_name=_("partenaires signataires")
    )
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=AgreementStatus.choices,
        default=AgreementStatus.IN_FORCE,
    )
    is_fictitious = models.BooleanField(_("fictive (démonstration)"), default=False)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("entente")
        verbose_name_plural = _("ententes")

    def __str__(self):
        return self.short_title or self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin de l'entente précède son début.")})

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(fiscal_year_of(self.start_date), fiscal_year_of(self.end_date) + 1))

    def year_number(self, fiscal_year: int) -> int:
        """``An 1``, ``An 2``…: the rank of a fiscal year within the agreement."""
        return fiscal_year - fiscal_year_of(self.start_date) + 1

    def is_party(self, partner: Partner) -> bool:
        """A signatory, a body under a signatory (Emploi-Québec under its ministry), or a
        grouping whose members signed (the four school boards)."""
        ids = {p.pk for p in self.signatories.all()}
        if partner.pk in ids or (partner.parent_id and partner.parent_id in ids):
            return True
        return partner.children.filter(pk__in=ids).exists()


def agreement_document_path(instance, filename):
    # The uploaded name is never trusted: files are stored under a random name.
    return f"agreements/{instance.agreement.public_id}/{instance.public_id}.pdf"


class AgreementDocument(PublicModel):
    MAX_BYTES = 10 * 1024 * 1024

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier PDF"), upload_to=agreement_document_path)
    size = models.PositiveIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("document de l'entente")
        verbose_name_plural = _("documents de l'entente")

    def __str__(self):
        return self.title


class CommitmentKind(models.TextChoices):
    CASH = "cash", _("Contribution en argent")
    SERVICES = "services", _("Contribution en services")


class Commitment(PublicModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="commitments")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("partenaire")
    )
    purpose = models.CharField(_("engagement"), max_length=300)
    kind = models.CharField(_("nature"), max_length=10, choices=CommitmentKind.choices)
    initial_amount = models.DecimalField(
        _("investissement initial"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Laisser vide si la contribution n'est pas chiffrée."),
    )
    position = models.PositiveSmallIntegerField(_("ordre dans le tableau"), default=0)
    internal_note = models.TextField(
        _("note interne"),
        blank=True,
        help_text=_("Visible par la coordination et ce partenaire seulement."),
    )
    # Optimistic locking: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["agreement", "kind", "position", "id"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self):
        return f"{self.partner.display_name} – {self.purpose}"

    def clean(self):
        if self.agreement_id and self.partner_id and not self.agreement.is_party(self.partner):
            raise ValidationError(
                {
                    "partner": _(
                        "Ce partenaire n'est pas partie à l'entente : ajoutez-le d'abord aux signataires."
                    )
                }
            )


class TopUp(models.Model):
    """An increase of a commitment for one fiscal year (« investissement bonifié pour l'An 2 »)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="top_ups")
    fiscal_year = models.PositiveSmallIntegerField(_("exercice financier"))
    amount = models.DecimalField(
        _("montant"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    decided_on = models.DateField(_("décidé le"), null=True, blank=True)

    class Meta:
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "fiscal_year"], name="topup_one_per_year")
        ]
        verbose_name = _("bonification")
        verbose_name_plural = _("bonifications")

    def __str__(self):
        return f"{self.commitment} +{self.amount} ({self.label})"

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    def clean(self):
        agreement = self.commitment.agreement
        if self.fiscal_year is not None and self.fiscal_year not in agreement.fiscal_years:
            raise ValidationError(
                {
                    "fiscal_year": _(
                        "L'exercice %(year)s est hors de la période de l'entente (%(start)s au %(end)s)."
                    )
                    % {
                        "year": fiscal_year_label(self.fiscal_year),
                        "start": agreement.start_date.isoformat(),
                        "end": agreement.end_date.isoformat(),
                    }
                }
            )


class Disbursement(PublicModel):
    """Money actually paid, or services actually rendered, against a commitment.

    Projects link to disbursements from their own app (a project-funding table there), so
    this table needs no migration when projects arrive.
    """

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="disbursements"
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("montant"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("dépense")
        verbose_name_plural = _("dépenses")

    def __str__(self):
        return f"{self.date} {self.amount}"

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.date)


class AmountChange(models.Model):
    """History of every change to a commitment's amounts: who, when, what, before, after."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="amount_changes"
    )
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    field = models.CharField(max_length=40)  # "initial_amount" or "top_up:2009"
    before = models.DecimalField(**MONEY, null=True, blank=True)
    after = models.DecimalField(**MONEY, null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.field}: {self.before} → {self.after}"
        )
