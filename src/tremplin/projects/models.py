"""Collective work: projects by and for tenants, their activities, accompaniments of housing
providers by organizers, and tenant associations.

Participation is counted from activities, never typed as a total. Territories and local teams
of a project are derived from its sites (``project_refresh_places``), kept on the project so that
lists filter without joining through every building.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import actor, optional_link
from tremplin.core.models import CodeList, PublicModel
from tremplin.housing.models import Building, Clientele, HousingProvider
from tremplin.territories.models import LocalTeam, Scope, Territory


class ProjectKind(models.TextChoices):
    TENANT_ASSOCIATION = "association", _("Association de locataires")
    COMMON_SPACES = "common_spaces", _("Espaces communs")
    LEISURE = "leisure", _("Loisirs et vie communautaire")
    HEALTH = "health", _("Atelier ou conférence de prévention et promotion de la santé")
    REFERRAL = "referral", _("Référence vers des ressources")
    COURTESY_VISITS = "courtesy", _("Visites de courtoisie")
    BARTER_ROOM = "barter", _("Local de troc")
    EMPLOYABILITY = "employability", _("Employabilité")
    FOOD_SECURITY = "food", _("Sécurité alimentaire")
    TRAINING = "training", _("Formation")
    LAB = "lab", _("Laboratoire d'innovation")
    CONCERTATION = "concertation", _("Concertation")
    OTHER = "other", _("Autre")


class Status(models.TextChoices):
    IDEA = "idea", _("Idée")
    PREPARATION = "preparation", _("En préparation")
    UNDER_WAY = "under_way", _("En cours")
    COMPLETED = "completed", _("Terminé")
    ABANDONED = "abandoned", _("Abandonné")


# Statuses in which a project has actually run (and counts as "under way" over its dates).
RUNNING_STATUSES = (Status.UNDER_WAY, Status.COMPLETED)


class Determinant(CodeList):
    """A social determinant of health acted on (seeded: éducation, préemployabilité, …)."""

    class Meta(CodeList.Meta):
        verbose_name = _("déterminant de la santé")
        verbose_name_plural = _("déterminants de la santé")


class Project(PublicModel):
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=ProjectKind.choices)
    scope = models.CharField(_("portée"), max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="projects", verbose_name=_("immeubles")
    )
    providers = models.ManyToManyField(
        HousingProvider,
        blank=True,
        related_name="projects",
        verbose_name=_("organismes d'habitation"),
    )
    # Derived from the sites by services.project_refresh_places (a regional project may have none).
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="projects", editable=False
    )
    local_teams = models.ManyToManyField(
        LocalTeam, blank=True, related_name="projects", editable=False
    )
    determinants = models.ManyToManyField(
        Determinant, blank=True, related_name="projects", verbose_name=_("déterminants de la santé")
    )
    target_groups = models.ManyToManyField(
        Clientele, blank=True, related_name="projects", verbose_name=_("clientèles visées")
    )
    all_tenants = models.BooleanField(_("tous les locataires"), default=False)
    lead_organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_projects",
        verbose_name=_("organisateur·trice responsable"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="projects",
        verbose_name=_("autres intervenant·es"),
    )
    tenants_on_committee = models.PositiveIntegerField(
        _("locataires au comité du projet"), default=0
    )
    initiated_by_tenants = models.BooleanField(_("projet lancé par des locataires"), default=False)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.IDEA
    )
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    expected_results = models.TextField(_("résultats attendus"), blank=True)
    observed_results = models.TextField(_("résultats observés"), blank=True)
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)
    # Folded title + summary + places, for accent-insensitive full-text search.
    search_key = models.TextField(default="", editable=False)
    # The territories' names, as the list shows them without a query for each page's places.
    territory_names = models.CharField(max_length=500, default="", editable=False)
    # Summary of the activities, kept by services.project_refresh_counts whenever activities
    # change: lists sort and total them at province scale without scanning activities.
    activity_count = models.PositiveIntegerField(default=0, editable=False)
    participant_sum = models.PositiveIntegerField(default=0, editable=False)
    tenant_sum = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        indexes = [
            models.Index(fields=["status", "start_date", "end_date"]),
            models.Index(fields=["kind"]),
            # One per sort of the list (filters.SORTS, same columns and directions): a page
            # is read from the index, even far down the list, instead of sorting every project.
            models.Index(fields=["-start_date", "title", "id"], name="project_sort_start_desc"),
            models.Index(fields=["start_date", "title", "id"], name="project_sort_start"),
            models.Index(fields=["title", "-start_date", "id"], name="project_sort_title"),
            models.Index(
                fields=["-participant_sum", "title", "id"], name="project_sort_participants"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La fin du projet précède son début.")
        if self.status in RUNNING_STATUSES and not self.start_date:
            errors["start_date"] = _("Un projet en cours ou terminé a une date de début.")
        if self.status == Status.COMPLETED and not self.end_date:
            errors["end_date"] = _("Un projet terminé a une date de fin.")
        if errors:
            raise ValidationError(errors)


class ProjectPartner(models.Model):
    """A partner involved in a project, and its role there (once per project)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partner_roles")
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="project_roles",
        verbose_name=_("partenaire"),
    )
    role = models.CharField(_("rôle"), max_length=200, blank=True)

    class Meta:
        ordering = ["partner__name"]
        verbose_name = _("partenaire du projet")
        verbose_name_plural = _("partenaires du projet")
        constraints = [
            models.UniqueConstraint(fields=["project", "partner"], name="project_partner_once")
        ]

    def __str__(self):
        return f"{self.partner} ({self.role})"


class ProjectFunding(models.Model):
    """Money allocated to a project from a commitment of an agreement (one line per commitment).

    The allocations from a commitment never add up to more than it holds
    (``funding_links.check_allocation``, called by ``services.project_funding_set``).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding")
    commitment = models.ForeignKey(
        "partners.Commitment",
        on_delete=models.PROTECT,
        related_name="project_funding",
        verbose_name=_("engagement"),
    )
    amount = models.DecimalField(
        _("montant imputé"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("financement du projet")
        verbose_name_plural = _("financements du projet")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "commitment"], name="project_funding_once_per_commitment"
            )
        ]

    def __str__(self):
        return f"{self.project} ← {self.commitment} {self.amount}"


class ProjectActivity(PublicModel):
    """A dated session or step of a project, with who took part."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date"))
    title = models.CharField(_("activité"), max_length=200)
    participants = models.PositiveIntegerField(_("participant·es"), default=0)
    tenants = models.PositiveIntegerField(_("dont locataires"), default=0)
    seniors = models.PositiveIntegerField(_("dont aîné·es"), null=True, blank=True)
    youth = models.PositiveIntegerField(_("dont jeunes (12-35 ans)"), null=True, blank=True)
    families = models.PositiveIntegerField(_("dont familles"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    logged_by = actor()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        indexes = [models.Index(fields=["project", "date"])]

    def __str__(self):
        return f"{self.date} {self.title}"

    def clean(self):
        errors = {}
        if (
            self.tenants is not None
            and self.participants is not None
            and self.tenants > self.participants
        ):
            errors["tenants"] = _("Il ne peut y avoir plus de locataires que de participant·es.")
        for name in ("seniors", "youth", "families"):
            value = getattr(self, name)
            if value is not None and self.participants is not None and value > self.participants:
                errors[name] = _("Ce nombre dépasse celui des participant·es.")
        project = self.project if self.project_id else None
        if project and self.date:
            if project.start_date and self.date < project.start_date:
                errors["date"] = _("L'activité est datée avant le début du projet (%(start)s).") % {
                    "start": project.start_date.isoformat()
                }
            elif project.end_date and self.date > project.end_date:
                errors["date"] = _("L'activité est datée après la fin du projet (%(end)s).") % {
                    "end": project.end_date.isoformat()
                }
        if self.date and self.date > dt.date.today():
            errors["date"] = _(
                "Une activité ne peut pas être inscrite à l'avance : sa date est dans le futur."
            )
        if errors:
            raise ValidationError(errors)


class AccompanimentTheme(models.TextChoices):
    QUALITY_OF_LIFE = "quality_of_life", _("Qualité de vie des milieux")
    COMMON_SPACES = "common_spaces", _("Espaces communs")
    PARTICIPATION = "participation", _("Participation des locataires")
    ASSOCIATION = "association", _("Association de locataires")
    MRC_CONCERTATION = "mrc_concertation", _("Concertation dans la MRC")
    SERVICES = "services", _("Accès aux services")
    COHABITATION = "cohabitation", _("Vivre-ensemble")
    OTHER = "other", _("Autre")


class Accompaniment(PublicModel):
    """An organizer accompanying a housing provider (or a tenant association) over a period."""

    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name=_("organisateur·trice"),
    )
    provider = models.ForeignKey(
        HousingProvider,
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name=_("organisme d'habitation"),
    )
    association = optional_link(
        "TenantAssociation",
        _("association de locataires"),
        on_delete=models.SET_NULL,
        related_name="accompaniments",
    )
    themes = models.JSONField(_("thèmes"), default=list, blank=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    contacts = models.CharField(_("personnes rencontrées"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("accompagnement")
        verbose_name_plural = _("accompagnements")
        indexes = [models.Index(fields=["start_date", "end_date"])]

    def __str__(self):
        return f"{self.provider} ({self.start_date})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin de l'accompagnement précède son début.")})
        unknown = set(self.themes or []) - set(AccompanimentTheme.values)
        if unknown:
            raise ValidationError({"themes": _("Thème inconnu.")})


class AccompanimentHours(models.Model):
    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.CASCADE, related_name="hours")
    month = models.DateField(_("mois"))  # first day of the month
    hours = models.DecimalField(
        _("heures"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["accompaniment", "month"], name="hours_once_a_month")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.hours} h"


class AssociationStatus(models.TextChoices):
    FORMING = "forming", _("En formation")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class TenantAssociation(PublicModel):
    name = models.CharField(_("nom"), max_length=200)
    provider = models.ForeignKey(
        HousingProvider,
        on_delete=models.PROTECT,
        related_name="tenant_associations",
        verbose_name=_("organisme d'habitation"),
    )
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="tenant_associations", verbose_name=_("immeubles")
    )
    founded_on = models.DateField(_("fondée le"), null=True, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=AssociationStatus.choices,
        default=AssociationStatus.FORMING,
    )
    members = models.PositiveIntegerField(_("membres"), default=0)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("association de locataires")
        verbose_name_plural = _("associations de locataires")

    def __str__(self):
        return self.name


class BoardMember(models.Model):
    """A seat on an association's board: a name and a role, no personal contact details."""

    association = models.ForeignKey(
        TenantAssociation, on_delete=models.CASCADE, related_name="board"
    )
    name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("rôle"), max_length=80)

    class Meta:
        ordering = ["role", "name"]

    def __str__(self):
        return f"{self.name} ({self.role})"


class AssociationMeeting(models.Model):
    association = models.ForeignKey(
        TenantAssociation, on_delete=models.CASCADE, related_name="meetings"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=80, default="Assemblée")
    attendance = models.PositiveIntegerField(_("présences"), null=True, blank=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date} {self.kind}"


def attachment_path(instance, filename):
    # Never the uploaded name: a random name with the extension of the checked type.
    return f"projects/{instance.project.public_id}/{instance.public_id}.{instance.extension}"


class ProjectAttachment(PublicModel):
    MAX_BYTES = 8 * 1024 * 1024
    TYPES = {
        "image/jpeg": "jpg",
        "image/png": "png",
        "image/webp": "webp",
        "application/pdf": "pdf",
    }

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(upload_to=attachment_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def extension(self) -> str:
        return self.TYPES.get(self.content_type, "bin")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
