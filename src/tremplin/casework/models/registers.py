"""Registers around the files: emergency accesses, communications to partners, destructions
at the end of retention, confidentiality incidents (Law 25)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.crypto import EncryptedTextField
from tremplin.core.fields import actor, author
from tremplin.core.models import PublicModel, TimeStampedModel

from .persons import Consent, Person


class EmergencyAccess(TimeStampedModel):
    """ "Bris de verre": a time-limited access to a file outside one's caseload, with a reason."""

    user = author()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emergency_accesses")
    # Encrypted: the reason often names the situation ("crise", "santé mentale").
    reason = EncryptedTextField(_("raison"), max_length=1000)
    expires_at = models.DateTimeField(_("expire le"))
    reviewed_by = actor(on_delete=models.PROTECT)
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
    recorded_by = author()

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
    recorded_by = author()

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
