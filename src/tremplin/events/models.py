"""Events that reach people: regional forums and gatherings, information tours, workshops,
conferences. Each event has one or several stops (a tour has many), people register on a public
page without an account, and attendance is recorded by name at the door or as counts afterwards.

Reach (people and housing providers reached) is computed from attendance by ``reach.py``,
never typed as a total.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import actor, optional_link
from tremplin.core.models import PublicModel
from tremplin.territories.models import Municipality, Scope


class EventKind(models.TextChoices):
    FORUM = "forum", _("Forum ou rassemblement régional")
    TOUR = "tour", _("Tournée d'information")
    WORKSHOP = "workshop", _("Atelier")
    CONFERENCE = "conference", _("Conférence")
    TRAINING = "training", _("Formation")
    CELEBRATION = "celebration", _("Fête")
    OTHER = "other", _("Autre")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    CANCELLED = "cancelled", _("Annulé")
    HELD = "held", _("Tenu")


# Events whose attendance counts in reach (a cancelled event reached nobody; a draft is a plan).
COUNTED_STATUSES = (EventStatus.PUBLISHED, EventStatus.HELD)
MAX_CAPACITY = 100_000


class Event(PublicModel):
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=EventKind.choices)
    scope = models.CharField(_("portée"), max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    status = models.CharField(
        _("statut"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    description = models.TextField(
        _("description publique"),
        blank=True,
        help_text=_(
            "Texte affiché sur la page publique. Séparez les paragraphes par une ligne vide ; "
            "les adresses web deviennent des liens."
        ),
    )
    target_audience = models.CharField(_("public visé"), max_length=300, blank=True)
    organizing_committee = models.CharField(
        _("comité organisateur"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : Comité des partenaires régionaux."),
    )
    # The committee (concertation) that organizes the event, when it is one of Tremplin's: its
    # page lists the event. ``organizing_committee`` stays the name shown on the public page.
    committee = optional_link(
        "concertation.Committee",
        _("comité de concertation"),
        on_delete=models.SET_NULL,
        related_name="events",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organized_events",
        verbose_name=_("équipe organisatrice"),
    )
    public_contact = models.CharField(
        _("pour information"),
        max_length=200,
        blank=True,
        help_text=_("Courriel ou téléphone affiché sur la page publique."),
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("Laissez vide s'il n'y a pas de limite. Au-delà : liste d'attente."),
    )
    registration_open = models.BooleanField(_("inscriptions en ligne ouvertes"), default=True)
    # Derived from the stops by services.event_refresh_dates (lists sort without a join).
    starts_at = models.DateTimeField(_("début"), null=True, blank=True, editable=False)
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True, editable=False)
    # Set the first time the event is published: from then on it has a public page, even once
    # cancelled or held (people who registered must be able to see that it was cancelled).
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Folded title and places, for accent-insensitive search (services.event_refresh).
    search_key = models.TextField(default="", editable=False)
    # Incremented on every change, for the iCalendar SEQUENCE (calendars update their copy).
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_by = actor(editable=False)
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.status != EventStatus.DRAFT

    def clean(self):
        self.title = (self.title or "").strip()


class EventStop(PublicModel):
    """Where and when the event takes place: one stop, or one per town for a tour."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="stops")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(
        _("lieu"), max_length=200, help_text=_("Par exemple : salle communautaire, hôtel de ville.")
    )
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="event_stops",
        verbose_name=_("municipalité"),
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        indexes = [models.Index(fields=["event", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self):
        return f"{self.municipality.name} – {self.place}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("La fin doit suivre le début.")})
        if self.starts_at and self.ends_at and (self.ends_at - self.starts_at).days >= 14:
            raise ValidationError(
                {"ends_at": _("Une étape dure moins de deux semaines : vérifiez les dates.")}
            )


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Place confirmée")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


class RegistrationSource(models.TextChoices):
    ONLINE = "online", _("En ligne")
    STAFF = "staff", _("Par l'équipe")
    WALK_IN = "walk_in", _("Sur place")


_NON_DIGITS = re.compile(r"\D")
PHONE_EXTENSION = re.compile(r"\s*(?:poste|p\.|ext\.?|x)\s*(\d{1,6})\s*$", re.IGNORECASE)


def contact_key(email: str, phone: str) -> str:
    """What identifies a person's registration: the e-mail (case-insensitive), else the phone
    digits. Registering twice with the same one finds the same registration."""
    email = (email or "").strip().lower()
    if email:
        return email
    digits = _NON_DIGITS.sub("", PHONE_EXTENSION.sub("", phone or ""))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return f"tel:{digits}" if digits else ""


class Registration(PublicModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    stop = models.ForeignKey(
        EventStop,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("étape"),
    )
    name = models.CharField(_("nom"), max_length=120)
    organization = models.CharField(_("organisme ou immeuble"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    contact_key = models.CharField(max_length=254, editable=False, default="")
    accessibility_needs = models.TextField(_("besoins d'accessibilité"), blank=True)
    is_tenant = models.BooleanField(_("locataire"), default=False)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    source = models.CharField(
        _("provenance"),
        max_length=8,
        choices=RegistrationSource.choices,
        default=RegistrationSource.ONLINE,
    )
    # The housing provider the person came from, set by the staff (counts in reach).
    provider = optional_link(
        "housing.HousingProvider",
        _("organisme d'habitation"),
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    language = models.CharField(max_length=8, default="fr", editable=False)
    checked_in_at = models.DateTimeField(_("présence notée le"), null=True, blank=True)
    checked_in_by = actor(editable=False)
    promoted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Last confirmation e-mail: registering again resends it, at most once in a while.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            # One active registration per person and event: the same e-mail (or phone)
            # registering again finds it instead of taking a second seat.
            models.UniqueConstraint(
                fields=["event", "contact_key"],
                condition=Q(status__in=["confirmed", "waitlisted"]) & ~Q(contact_key=""),
                name="registration_once_per_contact",
                violation_error_message=_(
                    "Une autre inscription active à cet événement utilise déjà ce courriel ou "
                    "ce téléphone."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"]),
            models.Index(fields=["stop", "checked_in_at"]),
        ]

    def __str__(self):
        return f"{self.name} – {self.event}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def clean(self):
        self.name = (self.name or "").strip()
        self.email = (self.email or "").strip()
        self.phone = (self.phone or "").strip()
        self.contact_key = contact_key(self.email, self.phone)
        if self.stop_id and self.event_id and self.stop.event_id != self.event_id:
            raise ValidationError({"stop": _("Cette étape n'appartient pas à cet événement.")})


NOT_NEGATIVE = MinValueValidator(0, message=_("Un nombre de personnes ne peut pas être négatif."))


class StopAttendance(models.Model):
    """Attendance counted after the fact at one stop, when names were not taken.

    When it exists, its counts replace the check-ins of that stop in reach.
    """

    stop = models.OneToOneField(EventStop, on_delete=models.CASCADE, related_name="attendance")
    tenants = models.PositiveIntegerField(_("locataires"), default=0, validators=[NOT_NEGATIVE])
    provider_staff = models.PositiveIntegerField(
        _("personnel et administrateurs d'organismes d'habitation"),
        default=0,
        validators=[NOT_NEGATIVE],
    )
    partners = models.PositiveIntegerField(
        _("partenaires et organismes communautaires"), default=0, validators=[NOT_NEGATIVE]
    )
    others = models.PositiveIntegerField(
        _("autres personnes"), default=0, validators=[NOT_NEGATIVE]
    )
    providers = models.ManyToManyField(
        "housing.HousingProvider",
        blank=True,
        related_name="event_attendances",
        verbose_name=_("organismes d'habitation représentés"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = actor(editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    CATEGORIES = ("tenants", "provider_staff", "partners", "others")

    class Meta:
        verbose_name = _("présences comptées")
        verbose_name_plural = _("présences comptées")

    def __str__(self):
        return f"{self.stop}: {self.people}"

    @property
    def people(self) -> int:
        return sum(getattr(self, name) or 0 for name in self.CATEGORIES)

    def clean(self):
        if self.people > MAX_CAPACITY:
            raise ValidationError(
                _("Plus de %(max)s personnes à une étape : vérifiez les nombres.")
                % {"max": MAX_CAPACITY}
            )
