"""Writes on case files: validated with ``full_clean()`` in a transaction, and audited.

Callers get the objects through ``selectors`` (scope, 404); the services check the write
scope again (defense in depth) and the rules of the file: no follow-up without an active
follow-up consent, no intervention or referral once that consent is withdrawn (what exists is
kept for the retention period), no communication without an active sharing consent naming the
recipient. Audit entries name the person (``subject``) and hold identifiers and field names,
never the content of notes.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action
from tremplin.core.formatting import date_iso
from tremplin.core.text import fold

from . import permissions
from .models import (
    Communication,
    Consent,
    ConsentKind,
    EmergencyAccess,
    FollowUp,
    FollowUpStatus,
    Intervention,
    Person,
    Referral,
    Resource,
    WorkerBar,
)

EMERGENCY_ACCESS_HOURS = 4
EMERGENCY_REASON_MIN_LENGTH = 20
COMMUNICATION_MAX_LENGTH = 2000


def _withdrawn_message(consent: Consent) -> str:
    return _(
        "Le consentement au suivi a été retiré le %(date)s : aucune nouvelle inscription n'est "
        "possible. Les données existantes sont conservées pendant la durée de conservation."
    ) % {"date": date_iso(consent.withdrawn_on)}


def _require_write(user, follow_up: FollowUp) -> None:
    if not permissions.follow_ups_in_scope(user, write=True).filter(pk=follow_up.pk).exists():
        raise Http404


def _require_person_write(user, person: Person) -> None:
    if not permissions.persons_in_scope(user, write=True).filter(pk=person.pk).exists():
        raise Http404


def log_refusal(user, obj, action: str, error, *, person=None, request=None) -> None:
    """Log a refused write (bad input): which fields, never their content."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        fields = sorted(error.error_dict)
    elif isinstance(error, dict):
        fields = sorted(error)
    else:
        fields = ["__all__"]
    log_action(obj, action, user=user, request=request, subject=person, data={"fields": fields})


# --------------------------------------------------------------------------- derived fields


def follow_up_refresh(follow_up_ids) -> int:
    """Recompute last intervention date, next step date (that of the latest intervention) and
    intervention count of some follow-ups, in one UPDATE."""
    latest = Intervention.objects.filter(follow_up=OuterRef("pk")).order_by("-occurred_on", "-id")
    counts = (
        Intervention.objects.filter(follow_up=OuterRef("pk"))
        .order_by()
        .values("follow_up")
        .annotate(n=Count("id"))
        .values("n")
    )
    return FollowUp.objects.filter(pk__in=list(follow_up_ids)).update(
        last_intervention_on=Subquery(latest.values("occurred_on")[:1]),
        next_step_on=Subquery(latest.values("next_step_on")[:1]),
        intervention_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)),
    )


# --------------------------------------------------------------------------- persons


def _person_derive(person: Person) -> None:
    person.name_key = fold(f"{person.last_name} {person.first_name}")[:210]
    if person.building_id:
        municipality = person.building.municipality
        person.municipality = municipality
        person.territory_id = municipality.mrc.territory_id
    if person.birth_date and not person.birth_year:
        person.birth_year = person.birth_date.year


def _check_workers(user, person: Person | None, workers) -> list:
    workers = list(workers)
    if not workers:
        raise ValidationError({"workers": _("Assignez au moins un·e intervenant·e.")})
    allowed = set(permissions.assignable_workers(user).values_list("pk", flat=True))
    if any(w.pk not in allowed for w in workers):
        raise ValidationError(
            {"workers": _("Vous ne pouvez assigner que vous-même ou les membres de votre équipe.")}
        )
    if person is not None and person.pk:
        barred = set(person.bars.values_list("worker_id", flat=True))
        if any(w.pk in barred for w in workers):
            raise ValidationError(
                {
                    "workers": _(
                        "La personne a refusé que cet·te intervenant·e consulte son dossier."
                    )
                }
            )
    return workers


@transaction.atomic
def person_create(
    *,
    user,
    person: Person,
    consent: Consent,
    follow_up: FollowUp,
    workers,
    notice_acknowledged: bool,
    request=None,
) -> Person:
    """Create a file: the person, their follow-up consent and their first follow-up at once.

    The collection notice (purposes, rights, retention) must have been presented and
    acknowledged. Because the first follow-up is created with the person, the file is in
    the creator's scope from the start (permissions: a file is visible through its follow-ups).
    """
    if not permissions.is_caseworker(user):
        raise Http404
    if not notice_acknowledged:
        raise ValidationError(
            {
                "notice_acknowledged": _(
                    "Présentez l'avis de collecte à la personne et cochez la case avant de "
                    "créer le dossier."
                )
            }
        )
    workers = _check_workers(user, None, workers)
    now = timezone.now()
    _person_derive(person)
    person.created_by = user
    person.notice_acknowledged_at = now
    person.notice_acknowledged_by = user
    person.full_clean()
    person.save()
    consent.person = person
    consent.kind = ConsentKind.FOLLOW_UP
    consent.organization = ""
    consent.recorded_by = user
    consent.full_clean()
    consent.save()
    follow_up.person = person
    follow_up.consent = consent
    _follow_up_save_new(user, follow_up, workers)
    log_action(person, "casework.person.create", user=user, request=request, subject=person)
    log_action(
        consent,
        "casework.consent.create",
        user=user,
        request=request,
        subject=person,
        data={"kind": consent.kind},
    )
    log_action(
        follow_up,
        "casework.follow_up.create",
        user=user,
        request=request,
        subject=person,
        data={"workers": [w.username for w in workers]},
    )
    return person


@transaction.atomic
def person_update(*, user, person: Person, changed: list[str], request=None) -> Person:
    """Rectify a person's identity or contact details (Law 25 right to rectification)."""
    _require_person_write(user, person)
    _person_derive(person)
    person.full_clean()
    person.save()
    log_action(
        person,
        "casework.person.update",
        user=user,
        request=request,
        subject=person,
        data={"fields": sorted(changed)},
    )
    return person


# --------------------------------------------------------------------------- consents


@transaction.atomic
def consent_record(*, user, person: Person, consent: Consent, request=None) -> Consent:
    """Record a consent given by the person (follow-up, sharing with a named organization,
    research use of de-identified data)."""
    _require_person_write(user, person)
    consent.person = person
    consent.recorded_by = user
    if consent.kind != ConsentKind.SHARING:
        consent.organization = ""
    consent.organization = consent.organization.strip()
    consent.full_clean()
    consent.save()
    log_action(
        consent,
        "casework.consent.create",
        user=user,
        request=request,
        subject=person,
        data={"kind": consent.kind},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, user, consent: Consent, withdrawn_on: dt.date, request=None) -> Consent:
    """Record the withdrawal of a consent. Nothing is deleted: existing data is kept for the
    retention period; new interventions, referrals or communications under it are refused."""
    _require_person_write(user, consent.person)
    if consent.withdrawn_on:
        raise ValidationError(_("Ce consentement a déjà été retiré."))
    if withdrawn_on > timezone.localdate():
        raise ValidationError(
            {"withdrawn_on": _("Le retrait ne peut pas être daté dans le futur.")}
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = user
    consent.full_clean()
    consent.save()
    log_action(
        consent,
        "casework.consent.withdraw",
        user=user,
        request=request,
        subject=consent.person,
        data={"kind": consent.kind},
    )
    return consent


# --------------------------------------------------------------------------- follow-ups


def _follow_up_save_new(user, follow_up: FollowUp, workers) -> None:
    consent = follow_up.consent
    if (
        consent is None
        or consent.person_id != follow_up.person_id
        or consent.kind != ConsentKind.FOLLOW_UP
        or not consent.is_active
    ):
        raise ValidationError(
            {
                "consent": _(
                    "Aucun suivi ne peut être ouvert sans un consentement au suivi actif de "
                    "la personne."
                )
            }
        )
    if follow_up.started_on and follow_up.started_on < consent.given_on:
        raise ValidationError(
            {
                "started_on": _("Le suivi ne peut pas commencer avant le consentement (%(date)s).")
                % {"date": date_iso(consent.given_on)}
            }
        )
    follow_up.territory_id = follow_up.person.territory_id
    follow_up.status = FollowUpStatus.OPEN
    follow_up.closed_on = None
    follow_up.outcome = ""
    follow_up.is_demo = follow_up.person.is_demo
    follow_up.full_clean()
    follow_up.save()
    follow_up.workers.set(workers)


@transaction.atomic
def follow_up_open(*, user, person: Person, follow_up: FollowUp, workers, request=None) -> FollowUp:
    """Open a new follow-up for a person already in the user's scope; refused without an
    active follow-up consent."""
    _require_person_write(user, person)
    workers = _check_workers(user, person, workers)
    follow_up.person = person
    _follow_up_save_new(user, follow_up, workers)
    log_action(
        follow_up,
        "casework.follow_up.create",
        user=user,
        request=request,
        subject=person,
        data={"workers": [w.username for w in workers]},
    )
    return follow_up


@transaction.atomic
def follow_up_close(
    *, user, follow_up: FollowUp, closed_on: dt.date, outcome: str, request=None
) -> FollowUp:
    """Close a follow-up with its outcome on residential stability."""
    _require_write(user, follow_up)
    if follow_up.status == FollowUpStatus.CLOSED:
        raise ValidationError(_("Ce suivi est déjà fermé."))
    if follow_up.last_intervention_on and closed_on and closed_on < follow_up.last_intervention_on:
        raise ValidationError(
            {
                "closed_on": _(
                    "La fermeture ne peut pas précéder la dernière intervention (%(date)s)."
                )
                % {"date": date_iso(follow_up.last_intervention_on)}
            }
        )
    follow_up.status = FollowUpStatus.CLOSED
    follow_up.closed_on = closed_on
    follow_up.outcome = outcome
    follow_up.full_clean()
    follow_up.save()
    log_action(
        follow_up,
        "casework.follow_up.close",
        user=user,
        request=request,
        subject=follow_up.person,
        data={"outcome": outcome},
    )
    return follow_up


@transaction.atomic
def follow_up_assign(*, user, follow_up: FollowUp, workers, request=None) -> FollowUp:
    """A supervisor (re)assigns a follow-up to workers of their team."""
    if not permissions.is_supervisor(user):
        raise Http404
    _require_write(user, follow_up)
    workers = _check_workers(user, follow_up.person, workers)
    follow_up.workers.set(workers)
    log_action(
        follow_up,
        "casework.follow_up.assign",
        user=user,
        request=request,
        subject=follow_up.person,
        data={"workers": [w.username for w in workers]},
    )
    return follow_up


# --------------------------------------------------------------------------- interventions


def _check_can_add(follow_up: FollowUp) -> None:
    if follow_up.status != FollowUpStatus.OPEN:
        raise ValidationError(
            _("Ce suivi est fermé : ouvrez un nouveau suivi pour inscrire une intervention.")
        )
    if not follow_up.consent.is_active:
        raise ValidationError(_withdrawn_message(follow_up.consent))


@transaction.atomic
def intervention_add(*, user, intervention: Intervention, request=None) -> Intervention:
    """Add an intervention to an open follow-up whose consent is still active.

    Refused when dated in the future or before the follow-up's start, or with a note or next
    step longer than ``NOTE_MAX_LENGTH`` characters (model validation).
    """
    follow_up = intervention.follow_up
    _require_write(user, follow_up)
    _check_can_add(follow_up)
    intervention.created_by = user
    intervention.full_clean()
    intervention.save()
    follow_up_refresh([follow_up.pk])
    log_action(
        intervention,
        "casework.intervention.create",
        user=user,
        request=request,
        subject=follow_up.person,
        data={"follow_up": str(follow_up.public_id), "type": intervention.type},
    )
    return intervention


@transaction.atomic
def intervention_edit(
    *, user, intervention: Intervention, changed: list[str], request=None
) -> Intervention:
    """Correct an intervention (allowed after a withdrawal: rectification, not new data)."""
    follow_up = intervention.follow_up
    _require_write(user, follow_up)
    if (
        follow_up.closed_on
        and intervention.occurred_on
        and intervention.occurred_on > follow_up.closed_on
    ):
        raise ValidationError(
            {"occurred_on": _("L'intervention ne peut pas suivre la fermeture du suivi.")}
        )
    intervention.full_clean()
    intervention.save()
    follow_up_refresh([follow_up.pk])
    log_action(
        intervention,
        "casework.intervention.update",
        user=user,
        request=request,
        subject=follow_up.person,
        data={"follow_up": str(follow_up.public_id), "fields": sorted(changed)},
    )
    return intervention


# --------------------------------------------------------------------------- referrals


@transaction.atomic
def referral_add(*, user, referral: Referral, request=None) -> Referral:
    follow_up = referral.follow_up
    _require_write(user, follow_up)
    _check_can_add(follow_up)
    if not referral.resource.is_active:
        raise ValidationError({"resource": _("Cette ressource n'est plus active.")})
    referral.created_by = user
    referral.full_clean()
    referral.save()
    log_action(
        referral,
        "casework.referral.create",
        user=user,
        request=request,
        subject=follow_up.person,
        data={
            "follow_up": str(follow_up.public_id),
            "resource": str(referral.resource.public_id),
            "outcome": referral.outcome,
        },
    )
    return referral


@transaction.atomic
def referral_update(*, user, referral: Referral, changed: list[str], request=None) -> Referral:
    """Record how a referral turned out (accepted, waiting, refused, unknown)."""
    _require_write(user, referral.follow_up)
    referral.full_clean()
    referral.save()
    log_action(
        referral,
        "casework.referral.update",
        user=user,
        request=request,
        subject=referral.follow_up.person,
        data={"fields": sorted(changed), "outcome": referral.outcome},
    )
    return referral


# --------------------------------------------------------------------------- communications


@transaction.atomic
def communication_record(
    *, user, person: Person, consent: Consent, what: str, why: str, shared_on: dt.date,
    recipient: str = "", request=None,
) -> Communication:  # fmt: skip
    """Register information shared with a partner organization. Requires a sharing consent
    of this person naming that organization, in force on the day it was shared."""
    _require_person_write(user, person)
    errors = {}
    if consent.person_id != person.pk or consent.kind != ConsentKind.SHARING:
        raise ValidationError(
            {"consent": _("Choisissez un consentement à la communication de cette personne.")}
        )
    recipient = (recipient or consent.organization).strip()
    if fold(recipient) != fold(consent.organization):
        errors["consent"] = _("Ce consentement ne vise pas l'organisme %(name)s.") % {
            "name": recipient
        }
    if shared_on > timezone.localdate():
        errors["shared_on"] = _("Une communication ne peut pas être datée dans le futur.")
    elif shared_on < consent.given_on or (
        consent.withdrawn_on and shared_on >= consent.withdrawn_on
    ):
        errors["consent"] = _(
            "Le consentement à la communication n'était pas en vigueur à cette date "
            "(donné le %(given)s%(withdrawn)s)."
        ) % {
            "given": date_iso(consent.given_on),
            "withdrawn": _(", retiré le %(date)s") % {"date": date_iso(consent.withdrawn_on)}
            if consent.withdrawn_on
            else "",
        }
    for name, value in (("what", what), ("why", why)):
        if not (value or "").strip():
            errors[name] = _("Ce champ est obligatoire.")
        elif len(value) > COMMUNICATION_MAX_LENGTH:
            errors[name] = _("Ce texte dépasse %(n)s caractères.") % {"n": COMMUNICATION_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    communication = Communication(
        person=person,
        consent=consent,
        recipient=consent.organization,
        what=what.strip(),
        why=why.strip(),
        shared_on=shared_on,
        recorded_by=user,
    )
    communication.full_clean()
    communication.save()
    log_action(
        communication,
        "casework.communication.create",
        user=user,
        request=request,
        subject=person,
        data={"consent": str(consent.public_id), "recipient": consent.organization},
    )
    return communication


# --------------------------------------------------------------------------- bars


@transaction.atomic
def worker_bar(*, user, person: Person, worker, request=None) -> WorkerBar:
    """Record that the person refuses that ``worker`` see their file: from now on that worker
    gets 404 on it, cannot be assigned to it and cannot get emergency access to it. Their
    existing assignments stay visible to their supervisor, who reassigns the follow-up."""
    _require_person_write(user, person)
    m = permissions.membership(worker)
    if m is None or not m.can_read_casework:
        raise ValidationError({"worker": _("Choisissez un·e intervenant·e ou un·e superviseur·e.")})
    if WorkerBar.objects.filter(person=person, worker=worker).exists():
        raise ValidationError({"worker": _("Cette personne a déjà refusé cet·te intervenant·e.")})
    bar = WorkerBar.objects.create(person=person, worker=worker, recorded_by=user)
    log_action(
        person,
        "casework.worker_bar.create",
        user=user,
        request=request,
        subject=person,
        data={"worker": worker.username},
    )
    return bar


# --------------------------------------------------------------------------- emergency access


def emergency_access_request(
    *, user, matches: list[Person], reason: str, request=None
) -> EmergencyAccess:
    """ "Bris de verre": a time-limited (4 hours), read-only access to one file outside the
    user's load, with a written reason; logged and flagged for the privacy officer.

    ``matches`` are the persons that matched what the requester gave
    (``selectors.emergency_access_matches``): exactly one is required.
    """
    if not permissions.can_request_emergency_access(user):
        raise Http404
    reason = (reason or "").strip()
    error = None
    if len(reason) < EMERGENCY_REASON_MIN_LENGTH:
        error = ValidationError(
            {
                "reason": _("Expliquez la raison de l'accès d'urgence (au moins %(n)s caractères).")
                % {"n": EMERGENCY_REASON_MIN_LENGTH}
            }
        )
    elif len(reason) > 1000:
        error = ValidationError({"reason": _("Ce texte dépasse %(n)s caractères.") % {"n": 1000}})
    elif not matches:
        error = ValidationError(
            _(
                "Aucun dossier ne correspond exactement à ce nom et à cette année de "
                "naissance. Vérifiez l'orthographe ou communiquez avec votre superviseur·e."
            )
        )
    elif len(matches) > 1:
        error = ValidationError(
            _("Plusieurs dossiers correspondent : précisez l'immeuble de la personne.")
        )
    if error is not None:
        # Every request is flagged, granted or not: probing names is itself worth a look.
        log_action(
            None,
            "casework.emergency_access.refused",
            user=user,
            request=request,
            data={"matches": min(len(matches), 2), "flag": True},
        )
        raise error
    person = matches[0]
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            user=user,
            person=person,
            reason=reason,
            expires_at=timezone.now() + dt.timedelta(hours=EMERGENCY_ACCESS_HOURS),
        )
        log_action(
            person,
            "casework.emergency_access.create",
            user=user,
            request=request,
            subject=person,
            data={
                "expires_at": access.expires_at.isoformat(),
                "hours": EMERGENCY_ACCESS_HOURS,
                "flag": True,
            },
        )
    return access


# --------------------------------------------------------------------------- resources


@transaction.atomic
def resource_save(*, user, resource: Resource, request=None) -> Resource:
    """Create or change an entry of the resource directory (coordination, supervisors)."""
    if not permissions.can_edit_resources(user):
        raise Http404
    created = resource.pk is None
    resource.name_key = fold(resource.name)[:200]
    resource.full_clean()
    resource.save()
    log_action(
        resource,
        "casework.resource.create" if created else "casework.resource.update",
        user=user,
        request=request,
    )
    return resource
