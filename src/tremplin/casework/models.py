"""Individual support of tenants: persons, consents, follow-ups, interventions, referrals.

Health and social information about identifiable people (Law 25, LRSSS). Minimal by design:
no health-card number, no diagnosis field. Free text is encrypted at rest
(``EncryptedTextField``); every read and write goes through selectors and services that log it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.crypto import EncryptedTextField
from tremplin.core.models import PublicModel, TimeStampedModel
from tremplin.territories.models import Municipality, Territory

# Free text is capped before encryption: a note is a note, not a document.
NOTE_MAX_LENGTH = 5000


class Household(models.TextChoices):
    ALONE = "alone", _("Vit seul·e")
    COUPLE = "couple", _("En couple")
    WITH_CHILDREN = "with_children", _("Avec enfants")
    SINGLE_PARENT = "single_parent", _("Famille monoparentale")
    WITH_OTHERS = "with_others", _("Avec d'autres adultes")
    UNKNOWN = "unknown", _("Inconnu")


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("Anglais")
    OTHER = "other", _("Autre")


class Person(PublicModel):
    """A tenant supported individually. Reached only through their follow-ups."""

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    # Accent- and case-folded "last first" for the worker's search within their own caseload.
    name_key = models.CharField(max_length=210, editable=False, db_index=True)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"), null=True, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    building = models.ForeignKey(
        "housing.Building",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("immeuble"),
    )
    unit = models.CharField(_("logement"), max_length=20, blank=True)
    # Where the person lives, for scope and statistics: from the building, else chosen.
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("territoire")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipalité"),
    )
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("langue préférée"), max_length=8, choices=Language.choices, default=Language.FRENCH
    )
    household = models.CharField(
        _("ménage"), max_length=16, choices=Household.choices, default=Household.UNKNOWN
    )
    safe_contact_notes = EncryptedTextField(
        _("comment joindre la personne en sécurité"), blank=True
    )
    notice_acknowledged_at = models.DateTimeField(
        _("avis de collecte présenté le"), null=True, blank=True
    )
    notice_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by the retention command: names and contact details are gone, counts remain.
    anonymized_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")

    def __str__(self):
        if self.anonymized_at:
            return str(_("Personne anonymisée"))
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        this_year = timezone.localdate().year
        if self.birth_year is not None and not (this_year - 120 <= self.birth_year <= this_year):
            raise ValidationError(
                {
                    "birth_year": _("L'année de naissance doit être entre %(a)s et %(b)s.")
                    % {"a": this_year - 120, "b": this_year}
                }
            )
        if self.birth_date:
            if self.birth_date > timezone.localdate():
                raise ValidationError(
                    {"birth_date": _("La date de naissance ne peut pas être dans le futur.")}
                )
            if self.birth_year and self.birth_year != self.birth_date.year:
                raise ValidationError(
                    {"birth_year": _("L'année ne correspond pas à la date de naissance.")}
                )
        if len(self.safe_contact_notes or "") > NOTE_MAX_LENGTH:
            raise ValidationError(
                {
                    "safe_contact_notes": _("Ce texte dépasse %(n)s caractères.")
                    % {"n": NOTE_MAX_LENGTH}
                }
            )


class WorkerBar(TimeStampedModel):
    """A person's refusal that a named worker see their file: that worker then gets 404."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="bars")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "worker"], name="casework_bar_unique")
        ]


class ConsentKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Suivi individuel")
    SHARING = "sharing", _("Communication à un organisme partenaire")
    RESEARCH = "research", _("Recherche (données dépersonnalisées)")


class ConsentMode(models.TextChoices):
    VERBAL = "verbal", _("Verbal")
    WRITTEN = "written", _("Écrit")


class Consent(PublicModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("objet"), max_length=16, choices=ConsentKind.choices)
    # For sharing: the named organization the information may go to.
    organization = models.CharField(_("organisme"), max_length=200, blank=True)
    mode = models.CharField(_("donné"), max_length=8, choices=ConsentMode.choices)
    given_on = models.DateField(_("date du consentement"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(_("retiré le"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["given_on", "id"]
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.given_on})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    def clean(self):
        today = timezone.localdate()
        if self.given_on and self.given_on > today:
            raise ValidationError(
                {"given_on": _("Un consentement ne peut pas être daté dans le futur.")}
            )
        if self.kind == ConsentKind.SHARING and not self.organization.strip():
            raise ValidationError(
                {"organization": _("Nommez l'organisme à qui l'information peut être communiquée.")}
            )
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            raise ValidationError(
                {"withdrawn_on": _("Le retrait ne peut pas précéder le consentement.")}
            )


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
        if len(self.goals or "") > NOTE_MAX_LENGTH:
            errors["goals"] = _("Ce texte dépasse %(n)s caractères.") % {"n": NOTE_MAX_LENGTH}
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

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
        for name in ("note", "next_step"):
            if len(getattr(self, name) or "") > NOTE_MAX_LENGTH:
                errors[name] = _("Ce texte dépasse %(n)s caractères.") % {"n": NOTE_MAX_LENGTH}
        if self.next_step_on and self.occurred_on and self.next_step_on < self.occurred_on:
            errors["next_step_on"] = _("La prochaine étape ne peut pas précéder l'intervention.")
        if errors:
            raise ValidationError(errors)


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
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("territoire"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipalité"),
    )
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

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
        if len(self.reason or "") > NOTE_MAX_LENGTH:
            errors["reason"] = _("Ce texte dépasse %(n)s caractères.") % {"n": NOTE_MAX_LENGTH}
        if errors:
            raise ValidationError(errors)


class EmergencyAccess(TimeStampedModel):
    """ "Bris de verre": a time-limited access to a file outside one's caseload, with a reason."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emergency_accesses")
    # Encrypted: the reason often names the situation ("crise", "santé mentale").
    reason = EncryptedTextField(_("raison"), max_length=1000)
    expires_at = models.DateTimeField(_("expire le"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "person", "expires_at"], name="casework_ea_lookup")]


class Communication(PublicModel):
    """Register of information from a file shared with a partner (with consent)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="communications")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="communications")
    recipient = models.CharField(_("destinataire"), max_length=200)
    # Encrypted like the notes: what was shared is itself information from the file.
    what = EncryptedTextField(_("information communiquée"), max_length=2000)
    why = EncryptedTextField(_("raison"), max_length=2000)
    shared_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-shared_on", "-id"]
        verbose_name = _("communication")
        verbose_name_plural = _("registre des communications")


class DestructionRecord(models.Model):
    """Register of follow-ups destroyed or anonymized at the end of retention. No personal data."""

    at = models.DateTimeField(auto_now_add=True)
    follow_up_public_id = models.UUIDField()
    closed_on = models.DateField()
    method = models.CharField(max_length=16)  # "destroyed" or "anonymized"
    interventions = models.PositiveIntegerField(default=0)
    referrals = models.PositiveIntegerField(default=0)
    run_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.method} {self.follow_up_public_id}"


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Ouvert")
    CLOSED = "closed", _("Fermé")


class ConfidentialityIncident(PublicModel):
    """Law 25 register of confidentiality incidents (art. 3.8 of the private-sector act)."""

    occurred_on = models.DateField(_("date de l'incident"), null=True, blank=True)
    discovered_on = models.DateField(_("date de la découverte"))
    description = models.TextField(_("description"), max_length=5000)
    information_involved = models.TextField(_("renseignements visés"), max_length=2000)
    persons_affected = models.PositiveIntegerField(_("nombre de personnes concernées"), default=0)
    serious_injury_risk = models.BooleanField(_("risque de préjudice sérieux"), default=False)
    reported_to_cai_on = models.DateField(
        _("déclaré à la Commission d'accès à l'information le"), null=True, blank=True
    )
    persons_notified_on = models.DateField(_("personnes avisées le"), null=True, blank=True)
    measures = models.TextField(_("mesures prises"), max_length=5000, blank=True)
    status = models.CharField(
        _("statut"), max_length=8, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-discovered_on", "-id"]
        verbose_name = _("incident de confidentialité")
        verbose_name_plural = _("registre des incidents de confidentialité")

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.discovered_on and self.discovered_on > today:
            errors["discovered_on"] = _("La découverte ne peut pas être dans le futur.")
        if self.occurred_on and self.discovered_on and self.occurred_on > self.discovered_on:
            errors["occurred_on"] = _("L'incident ne peut pas suivre sa découverte.")
        if errors:
            raise ValidationError(errors)


# Registered with the app from its own module (this one is long enough).
from .limits.models import BulkReadLift  # noqa: E402, F401
