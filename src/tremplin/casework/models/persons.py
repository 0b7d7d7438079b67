"""Who a file is about: the person, the workers they bar, their consents."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.crypto import EncryptedTextField
from tremplin.core.fields import actor, author, optional_link
from tremplin.core.models import PublicModel, TimeStampedModel
from tremplin.territories.models import Municipality, Territory

from .common import too_long


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
    building = optional_link("housing.Building", _("immeuble"), on_delete=models.SET_NULL)
    unit = models.CharField(_("logement"), max_length=20, blank=True)
    # Where the person lives, for scope and statistics: from the building, else chosen.
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("territoire")
    )
    municipality = optional_link(Municipality, _("municipalité"))
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
    notice_acknowledged_by = actor(on_delete=models.PROTECT)
    created_by = actor(on_delete=models.PROTECT)
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
        if errors := too_long(self, ["safe_contact_notes"]):
            raise ValidationError(errors)


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
    recorded_by = author()
    withdrawn_on = models.DateField(_("retiré le"), null=True, blank=True)
    withdrawal_recorded_by = actor(on_delete=models.PROTECT)

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
