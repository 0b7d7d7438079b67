"""A person's follow-ups and what is written in them: interventions and referrals."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.crypto import EncryptedTextField
from tremplin.core.fields import author
from tremplin.core.models import PublicModel
from tremplin.territories.models import Territory

from .common import too_long
from .persons import Consent, Person
from .resources import Resource


class Reason(models.TextChoices):
    ISOLATION = "isolation", _("Isolement")
    MENTAL_HEALTH = "mental_health", _("Santé mentale")
    HOUSING_LOSS = "housing_loss", _("Risque de perte du logement")
    UNSANITARY = "unsanitary", _("Insalubrité ou accumulation")
    NEIGHBOURS = "neighbours", _("Conflit de voisinage")
    FOOD = "food", _("Insécurité alimentaire")
    SERVICES = "services", _("Accès aux services")
    OTHER = "other", _("Autre")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    CLOSED = "closed", _("Fermé")


class Outcome(models.TextChoices):
    KEPT = "kept", _("A conservé son logement")
    MOVED_BETTER = "moved_better", _("A déménagé dans un logement mieux adapté")
    LOST = "lost", _("A perdu son logement")
    OTHER = "other", _("Autre")
    UNKNOWN = "unknown", _("Inconnu")


class FollowUp(PublicModel):
    """One episode of individual support for a person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="follow_ups")
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="casework_follow_ups",
        verbose_name=_("intervenant·es"),
    )
    # Copied from the person when the follow-up opens, for scope and statistics by territory.
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("territoire")
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("consentement")
    )
    started_on = models.DateField(_("début"))
    # Stored as a comma-separated list of Reason values ("isolation,food"): small, portable,
    # counted by the statistics without a join.
    reasons = models.CharField(_("motifs"), max_length=200)
    goals = EncryptedTextField(_("objectifs"), blank=True)
    status = models.CharField(
        _("statut"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    closed_on = models.DateField(_("fin"), null=True, blank=True)
    outcome = models.CharField(
        _("stabilité résidentielle à la fermeture"),
        max_length=16,
        choices=Outcome.choices,
        blank=True,
    )
    # Kept up to date by the services when interventions change: the caseload lists overdue
    # next steps without reading interventions.
    last_intervention_on = models.DateField(null=True, blank=True)
    next_step_on = models.DateField(null=True, blank=True, db_index=True)
    intervention_count = models.PositiveIntegerField(default=0)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        indexes = [models.Index(fields=["status", "closed_on"], name="casework_fu_status_closed")]

    def __str__(self):
        return str(_("Suivi du %(date)s") % {"date": self.started_on})

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.reasons.split(",") if r]

    def reason_labels(self) -> list[str]:
        labels = dict(Reason.choices)
        return [str(labels.get(r, r)) for r in self.reason_list]

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.started_on and self.started_on > today:
            errors["started_on"] = _("Un suivi ne peut pas commencer dans le futur.")
        unknown = set(self.reason_list) - set(Reason.values)
        if not self.reason_list:
            errors["reasons"] = _("Choisissez au moins un motif.")
        elif unknown:
            errors["reasons"] = _("Motif inconnu.")
        if self.status == FollowUpStatus.CLOSED:
            if not self.closed_on:
                errors["closed_on"] = _("Indiquez la date de fermeture.")
            if not self.outcome:
                errors["outcome"] = _("Indiquez la situation résidentielle à la fermeture.")
        if self.closed_on and self.started_on and self.closed_on < self.started_on:
            errors["closed_on"] = _("La fermeture ne peut pas précéder le début du suivi.")
        if self.closed_on and self.closed_on > today:
            errors["closed_on"] = _("La fermeture ne peut pas être dans le futur.")
        errors.update(too_long(self, ["goals"]))
        if errors:
            raise ValidationError(errors)


class InterventionType(models.TextChoices):
    """The activities of the Cadre de référence sur le soutien communautaire (2007, 2022)."""

    INTAKE = "intake", _("Accueil et évaluation des besoins")
    INFORMATION = "information", _("Information et référence")
    ACCOMPANIMENT = "accompaniment", _("Accompagnement vers les services")
    CONFLICT = "conflict", _("Gestion des conflits (voisinage, propriétaire)")
    CRISIS = "crisis", _("Intervention en situation de crise")
    LEASE = "lease", _("Soutien au bail (loyer, renouvellement, arrérages)")
    COMMITTEES = "committees", _("Soutien aux comités de locataires")
    COMMUNITY = "community", _("Activités communautaires")


class InterventionMode(models.TextChoices):
    HOME_VISIT = "home_visit", _("Visite à domicile")
    COURTESY_VISIT = "courtesy_visit", _("Visite de courtoisie")
    PHONE = "phone", _("Appel téléphonique")
    OFFICE = "office", _("Rencontre au bureau")
    OUTSIDE = "outside", _("Accompagnement à l'extérieur")
    OTHER = "other", _("Autre")


class Intervention(PublicModel):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="interventions")
    occurred_on = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=16, choices=InterventionType.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=InterventionMode.choices)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    next_step = EncryptedTextField(_("prochaine étape"), blank=True)
    next_step_on = models.DateField(_("date de la prochaine étape"), null=True, blank=True)
    created_by = author()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        indexes = [
            models.Index(fields=["follow_up", "occurred_on"], name="casework_int_fu_date"),
            # The indicators count a year's interventions by type and follow-up (territory):
            # read from the index alone after a write (evaluation, #19).
            models.Index(
                fields=["occurred_on", "type", "follow_up"], name="casework_int_date_type"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} ({self.occurred_on})"

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.occurred_on and self.occurred_on > today:
            errors["occurred_on"] = _("Une intervention ne peut pas être datée dans le futur.")
        follow_up = getattr(self, "follow_up", None) if self.follow_up_id else None
        if follow_up and self.occurred_on and self.occurred_on < follow_up.started_on:
            errors["occurred_on"] = _(
                "L'intervention ne peut pas précéder le début du suivi (%(date)s)."
            ) % {"date": follow_up.started_on}
        if self.duration_minutes is not None and self.duration_minutes > 24 * 60:
            errors["duration_minutes"] = _("Une intervention dure au plus 24 heures.")
        errors.update(too_long(self, ["note", "next_step"]))
        if self.next_step_on and self.occurred_on and self.next_step_on < self.occurred_on:
            errors["next_step_on"] = _("La prochaine étape ne peut pas précéder l'intervention.")
        if errors:
            raise ValidationError(errors)


class ReferralOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Acceptée")
    WAITING = "waiting", _("En attente")
    REFUSED = "refused", _("Refusée")
    UNKNOWN = "unknown", _("Inconnu")


class Referral(PublicModel):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="referrals")
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("ressource")
    )
    referred_on = models.DateField(_("date"))
    reason = EncryptedTextField(_("motif"), blank=True)
    outcome = models.CharField(
        _("résultat"),
        max_length=16,
        choices=ReferralOutcome.choices,
        default=ReferralOutcome.UNKNOWN,
    )
    created_by = author()

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("référence")
        verbose_name_plural = _("références")

    def __str__(self):
        return f"{self.resource} ({self.referred_on})"

    def clean(self):
        errors = {}
        if self.referred_on and self.referred_on > timezone.localdate():
            errors["referred_on"] = _("Une référence ne peut pas être datée dans le futur.")
        follow_up = getattr(self, "follow_up", None) if self.follow_up_id else None
        if follow_up and self.referred_on and self.referred_on < follow_up.started_on:
            errors["referred_on"] = _("La référence ne peut pas précéder le début du suivi.")
        errors.update(too_long(self, ["reason"]))
        if errors:
            raise ValidationError(errors)
