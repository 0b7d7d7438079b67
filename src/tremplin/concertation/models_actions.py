"""Action items decided at a meeting (``ActionItem``), kept apart from ``models.py`` for size;
``models.py`` imports them, so ``concertation.models.ActionItem`` is the name to use."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import optional_link
from tremplin.core.formatting import date_long
from tremplin.core.models import PublicModel


class ActionStatus(models.TextChoices):
    OPEN = "open", _("À faire")
    DONE = "done", _("Réalisé")
    DROPPED = "dropped", _("Abandonné")


class ActionItem(PublicModel):
    """Who does what by when, decided at a meeting. It is "carried over": every later meeting
    of the committee lists it until it is closed (done or dropped, on ``closed_on``)."""

    meeting = models.ForeignKey(
        "concertation.Meeting", on_delete=models.CASCADE, related_name="action_items"
    )
    description = models.CharField(_("action"), max_length=500)
    owner = optional_link(
        "concertation.CommitteeMembership",
        _("responsable (membre)"),
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    owner_name = models.CharField(_("responsable (autre)"), max_length=150, blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_on = models.DateField(_("réglé le"), null=True, blank=True)
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.description

    @property
    def owner_label(self) -> str:
        if self.owner_id:
            return self.owner.person_name
        return self.owner_name

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == ActionStatus.OPEN
            and self.due_date is not None
            and self.due_date < dt.date.today()
        )

    def clean(self):
        errors = {}
        meeting = self.meeting if self.meeting_id else None
        if not self.owner_id and not (self.owner_name or "").strip():
            errors["owner_name"] = _(
                "Indiquez qui est responsable : un membre du comité ou une autre personne."
            )
        if meeting is not None:
            if self.due_date and self.due_date < meeting.date:
                errors["due_date"] = _(
                    "L'échéance précède la rencontre où l'action a été décidée (le %(date)s)."
                ) % {"date": date_long(meeting.date)}
            if self.owner_id and self.owner.committee_id != meeting.committee_id:
                errors["owner"] = _("Cette personne n'est pas membre de ce comité.")
            if self.closed_on and self.closed_on < meeting.date:
                errors["closed_on"] = _(
                    "Une action ne peut être réglée avant la rencontre où elle a été décidée "
                    "(le %(date)s)."
                ) % {"date": date_long(meeting.date)}
        if self.status == ActionStatus.OPEN and self.closed_on:
            errors["closed_on"] = _("Une action à faire n'a pas de date de règlement.")
        if self.status != ActionStatus.OPEN and not self.closed_on:
            errors["closed_on"] = _("Indiquez la date où l'action a été réglée.")
        if self.closed_on and self.closed_on > dt.date.today():
            errors["closed_on"] = _("La date de règlement ne peut pas être dans le futur.")
        if errors:
            raise ValidationError(errors)
