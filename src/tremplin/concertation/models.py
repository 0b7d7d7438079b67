"""Committees and their meetings: who sits where for which organization, when they meet, what
was decided and who does what by when.

- ``Committee``: the regional partners' committee, an agreement's management committee, a local
  team (ÉLÉ, one ``territories.LocalTeam``) or a working group; its territory covered is the
  local team's (for an ÉLÉ) or the territories listed (none: the whole region).
- ``CommitteeMembership``: a seat held over time (from/to dates, both inclusive) by a person
  named in full, who needs no user account (tenants sit on these tables), for an organization
  or as a tenant.
- ``Meeting``: a dated meeting with ordered ``AgendaItem`` rows, ``Attendance`` of the members
  active that day, minutes and ordered ``Decision`` rows.
- ``ActionItem``: decided at a meeting; it carries over to the later meetings of the committee
  until it is done or dropped (``closed_on``).

Meeting times are wall-clock times in Québec (no time zone arithmetic: a meeting at 13 h 30 is
at 13 h 30 for everyone around the table).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import actor, optional_link
from tremplin.core.formatting import date_long
from tremplin.core.models import PublicModel
from tremplin.territories.models import LocalTeam, Region, Territory


class CommitteeKind(models.TextChoices):
    PARTNERS = "partners", _("Comité des partenaires régionaux")
    AGREEMENT = "agreement", _("Comité de gestion d'une entente")
    LOCAL_TEAM = "local_team", _("Équipe locale élargie (ÉLÉ)")
    WORKING_GROUP = "working_group", _("Groupe de travail")


class Committee(PublicModel):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=CommitteeKind.choices)
    # Required (forms and services validate it); the column allows NULL only for bulk inserts
    # written before it existed. Migration 0003 filled it for the committees already there.
    region = models.ForeignKey(
        Region,
        null=True,
        on_delete=models.PROTECT,
        related_name="committees",
        verbose_name=_("région"),
        error_messages={"blank": _("Choisissez la région du comité.")},
    )
    local_team = optional_link(LocalTeam, _("équipe locale élargie"), related_name="committees")
    # Territory covered by a committee other than an ÉLÉ (an ÉLÉ covers its local team's
    # municipalities). None listed: the whole region.
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="committees", verbose_name=_("territoires couverts")
    )
    agreement = optional_link(
        "partners.Agreement",
        _("entente gérée"),
        on_delete=models.SET_NULL,
        related_name="committees",
    )
    mandate = models.TextField(_("mandat"), blank=True)
    objectives = models.TextField(_("objectifs"), blank=True)
    start_date = models.DateField(_("actif depuis le"))
    end_date = models.DateField(_("actif jusqu'au"), null=True, blank=True)
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("comité")
        verbose_name_plural = _("comités")

    def __str__(self):
        return self.name

    @property
    def is_local_team(self) -> bool:
        return self.kind == CommitteeKind.LOCAL_TEAM

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La fin du comité précède son début.")
        if self.kind == CommitteeKind.LOCAL_TEAM and not self.local_team_id:
            errors["local_team"] = _("Choisissez l'équipe locale élargie que ce comité anime.")
        if self.kind != CommitteeKind.LOCAL_TEAM and self.local_team_id:
            errors["local_team"] = _(
                "Seule une équipe locale élargie (ÉLÉ) est liée à une équipe locale."
            )
        elif self.local_team_id and self.region_id and self.local_team.region_id != self.region_id:
            errors["region"] = _("Cette équipe locale est dans la région %(region)s.") % {
                "region": self.local_team.region.name
            }
        if self.pk and self.start_date:
            # Moving the start (or the end) must not strand meetings outside the period.
            meetings = Meeting.objects.filter(committee_id=self.pk)
            first = meetings.filter(date__lt=self.start_date).order_by("date").first()
            if first is not None:
                errors["start_date"] = _(
                    "Une rencontre du comité a eu lieu avant cette date (le %(date)s)."
                ) % {"date": date_long(first.date)}
            if self.end_date:
                last = meetings.filter(date__gt=self.end_date).order_by("-date").first()
                if last is not None:
                    errors["end_date"] = _(
                        "Une rencontre du comité est prévue après cette date (le %(date)s)."
                    ) % {"date": date_long(last.date)}
        if errors:
            raise ValidationError(errors)


class OrganizationKind(models.TextChoices):
    PARTNER = "partner", _("Partenaire")
    PROVIDER = "provider", _("Organisme d'habitation")
    ASSOCIATION = "association", _("Association de locataires")
    COMMUNITY = "community", _("Organisme communautaire ou autre organisation")
    TENANT = "tenant", _("Locataire (sans organisation)")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Présidence")
    SECRETARY = "secretary", _("Secrétariat")
    MEMBER = "member", _("Membre")
    OBSERVER = "observer", _("Observateur·trice")


# Which field names the organization for each kind (the others stay empty).
ORGANIZATION_FIELDS = {
    OrganizationKind.PARTNER: "partner",
    OrganizationKind.PROVIDER: "provider",
    OrganizationKind.ASSOCIATION: "association",
    OrganizationKind.COMMUNITY: "community_organization",
}


def _outside_committee(committee, day, before: str, after: str) -> str:
    """The error when ``day`` falls outside the committee's period ("" when it does not, or
    when there is no committee or day yet): ``before`` or ``after``, given the date passed."""
    if committee is None or not day:
        return ""
    if day < committee.start_date:
        return before % {"date": date_long(committee.start_date)}
    if committee.end_date and day > committee.end_date:
        return after % {"date": date_long(committee.end_date)}
    return ""


class CommitteeMembership(PublicModel):
    """A seat on a committee from ``start_date`` to ``end_date`` (inclusive; open-ended if
    empty). The same person may hold several seats over time (another role, another
    organization): each is a row."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person_name = models.CharField(_("nom de la personne"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_memberships",
        verbose_name=_("compte Tremplin"),
    )
    organization_kind = models.CharField(
        _("représente"), max_length=12, choices=OrganizationKind.choices
    )
    partner = optional_link(
        "partners.Partner", _("partenaire"), related_name="committee_memberships"
    )
    provider = optional_link(
        "housing.HousingProvider", _("organisme d'habitation"), related_name="committee_memberships"
    )
    association = optional_link(
        "projects.TenantAssociation",
        _("association de locataires"),
        related_name="committee_memberships",
    )
    community_organization = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(
        _("rôle"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    start_date = models.DateField(_("membre depuis le"))
    end_date = models.DateField(_("membre jusqu'au"), null=True, blank=True)
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["person_name", "start_date"]
        verbose_name = _("membre d'un comité")
        verbose_name_plural = _("membres des comités")
        indexes = [models.Index(fields=["committee", "start_date", "end_date"])]

    def __str__(self):
        return self.person_name

    @property
    def organization_name(self) -> str:
        """The organization represented, as people read it ("" for a tenant)."""
        if self.organization_kind == OrganizationKind.PARTNER and self.partner_id:
            return self.partner.name
        if self.organization_kind == OrganizationKind.PROVIDER and self.provider_id:
            return self.provider.name
        if self.organization_kind == OrganizationKind.ASSOCIATION and self.association_id:
            return self.association.name
        if self.organization_kind == OrganizationKind.COMMUNITY:
            return self.community_organization
        return ""

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La fin du mandat précède son début.")
        outside = _outside_committee(
            self.committee if self.committee_id else None,
            self.start_date,
            _("Le mandat commence avant la création du comité (le %(date)s)."),
            _("Le mandat commence après la fin du comité (le %(date)s)."),
        )
        if outside:
            errors["start_date"] = outside
        required = {
            OrganizationKind.PARTNER: (
                self.partner_id,
                _("Choisissez le partenaire que la personne représente."),
            ),
            OrganizationKind.PROVIDER: (
                self.provider_id,
                _("Choisissez l'organisme d'habitation que la personne représente."),
            ),
            OrganizationKind.ASSOCIATION: (
                self.association_id,
                _("Choisissez l'association de locataires que la personne représente."),
            ),
            OrganizationKind.COMMUNITY: (
                (self.community_organization or "").strip(),
                _("Donnez le nom de l'organisation que la personne représente."),
            ),
        }
        if self.organization_kind in required:
            value, message = required[self.organization_kind]
            if not value:
                errors[ORGANIZATION_FIELDS[self.organization_kind]] = message
        if self.pk and (self.start_date or self.end_date):
            # A mandate cannot be shortened past a meeting whose attendance names the member.
            outside = Q()
            if self.start_date:
                outside |= Q(meeting__date__lt=self.start_date)
            if self.end_date:
                outside |= Q(meeting__date__gt=self.end_date)
            recorded = (
                Attendance.objects.filter(member_id=self.pk)
                .filter(outside)
                .select_related("meeting")
                .first()
            )
            if recorded is not None:
                errors["end_date" if self.end_date else "start_date"] = _(
                    "La présence de cette personne est notée à la rencontre du %(date)s : "
                    "son mandat doit couvrir cette date."
                ) % {"date": date_long(recorded.meeting.date)}
        if errors:
            raise ValidationError(errors)

    def clear_other_organizations(self) -> None:
        """Keep only the organization that matches ``organization_kind``."""
        keep = ORGANIZATION_FIELDS.get(self.organization_kind)
        for name in ("partner", "provider", "association"):
            if name != keep:
                setattr(self, name, None)
        if keep != "community_organization":
            self.community_organization = ""


def active_on(day: dt.date, prefix: str = "") -> Q:
    """Memberships active on ``day`` (from/to dates inclusive), optionally through a relation."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


class Meeting(PublicModel):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("heure de début"))
    end_time = models.TimeField(_("heure de fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    video_link = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)
    guests = models.CharField(_("personnes invitées"), max_length=500, blank=True)
    minutes = models.TextField(_("compte rendu"), blank=True)
    # A cancelled meeting stays in the committee's history; it counts in no attendance figure.
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True, editable=False)
    cancelled_by = actor(_("annulée par"), editable=False)
    cancellation_reason = models.CharField(_("motif de l'annulation"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("donnée fictive de démonstration"), default=False)

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("rencontre")
        verbose_name_plural = _("rencontres")
        indexes = [models.Index(fields=["committee", "date", "start_time"])]

    def __str__(self):
        return f"{self.committee} – {self.date.isoformat()}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def clean(self):
        errors = {}
        if self.cancelled_at and not (self.cancellation_reason or "").strip():
            errors["cancellation_reason"] = _("Indiquez le motif de l'annulation.")
        outside = _outside_committee(
            self.committee if self.committee_id else None,
            self.date,
            _("La rencontre est datée avant la création du comité (le %(date)s)."),
            _("La rencontre est datée après la fin du comité (le %(date)s)."),
        )
        if outside:
            errors["date"] = outside
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("L'heure de fin doit suivre l'heure de début.")
        if not (self.place or "").strip() and not (self.video_link or "").strip():
            errors["place"] = _("Indiquez un lieu ou un lien de visioconférence.")
        if self.pk and self.date:
            # Attendance and action items already recorded must stay consistent with the date.
            recorded = (
                Attendance.objects.filter(meeting_id=self.pk)
                .exclude(active_on(self.date, "member__"))
                .select_related("member")
                .first()
            )
            if recorded is not None:
                errors["date"] = _(
                    "%(name)s, dont la présence est notée, n'était pas membre du comité à "
                    "cette date."
                ) % {"name": recorded.member.person_name}
            elif (
                self.date > dt.date.today()
                and Attendance.objects.filter(meeting_id=self.pk).exists()
            ):
                errors["date"] = _(
                    "Les présences de cette rencontre sont notées : elle ne peut pas être "
                    "reportée dans le futur."
                )
            elif ActionItem.objects.filter(meeting_id=self.pk, due_date__lt=self.date).exists():
                errors["date"] = _(
                    "Un suivi décidé à cette rencontre a une échéance antérieure à cette date."
                )
        if errors:
            raise ValidationError(errors)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("n°"))
    title = models.CharField(_("point"), max_length=300)
    presenter = models.CharField(_("présenté par"), max_length=150, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")

    def __str__(self):
        return f"{self.position}. {self.title}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField(_("n°"))
    text = models.TextField(_("décision"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")

    def __str__(self):
        return f"{self.position}. {self.text[:60]}"


CANCELLED_ATTENDANCE = _(
    "Cette rencontre a été annulée : on n'y note pas de présences. Rétablissez-la d'abord si "
    "elle a finalement eu lieu."
)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    EXCUSED = "excused", _("Excusé·e")
    ABSENT = "absent", _("Absent·e")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        CommitteeMembership, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("présence"), max_length=8, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.member} – {self.get_status_display()}"

    def clean(self):
        if not (self.meeting_id and self.member_id):
            return
        if self.meeting.is_cancelled:
            raise ValidationError(CANCELLED_ATTENDANCE)
        if self.member.committee_id != self.meeting.committee_id:
            raise ValidationError(_("Cette personne n'est pas membre de ce comité."))
        if not self.member.is_active_on(self.meeting.date):
            raise ValidationError(
                _("%(name)s n'était pas membre du comité le %(date)s.")
                % {"name": self.member.person_name, "date": date_long(self.meeting.date)}
            )
        if self.meeting.date > dt.date.today():
            raise ValidationError(
                _("Les présences se notent le jour de la rencontre ou après, pas à l'avance.")
            )


# Action items live in their own module (size); imported here for every caller.
from .models_actions import ActionItem, ActionStatus  # noqa: E402, F401
