"""Writes on follow-ups and what is written in them: open, close, assign; interventions and
referrals; the follow-up's derived fields kept up to date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action
from tremplin.core.formatting import date_iso

from .. import permissions
from ..models import ConsentKind, FollowUp, FollowUpStatus, Intervention, Person, Referral
from .common import check_can_add, require_person_write, require_write

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


# --------------------------------------------------------------------------- follow-ups


def check_workers(user, person: Person | None, workers) -> list:
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


def follow_up_save_new(user, follow_up: FollowUp, workers, *, request=None) -> None:
    """Save a new follow-up under its person's active follow-up consent, assigned to
    ``workers`` (checked by ``check_workers``), and log it."""
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
    log_action(
        follow_up,
        "casework.follow_up.create",
        user=user,
        request=request,
        subject=follow_up.person,
        data={"workers": [w.username for w in workers]},
    )


@transaction.atomic
def follow_up_open(*, user, person: Person, follow_up: FollowUp, workers, request=None) -> FollowUp:
    """Open a new follow-up for a person already in the user's scope; refused without an
    active follow-up consent."""
    require_person_write(user, person)
    workers = check_workers(user, person, workers)
    follow_up.person = person
    follow_up_save_new(user, follow_up, workers, request=request)
    return follow_up


@transaction.atomic
def follow_up_close(
    *, user, follow_up: FollowUp, closed_on: dt.date, outcome: str, request=None
) -> FollowUp:
    """Close a follow-up with its outcome on residential stability."""
    require_write(user, follow_up)
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
    require_write(user, follow_up)
    workers = check_workers(user, follow_up.person, workers)
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


@transaction.atomic
def intervention_add(*, user, intervention: Intervention, request=None) -> Intervention:
    """Add an intervention to an open follow-up whose consent is still active.

    Refused when dated in the future or before the follow-up's start, or with a note or next
    step longer than ``NOTE_MAX_LENGTH`` characters (model validation).
    """
    follow_up = intervention.follow_up
    require_write(user, follow_up)
    check_can_add(follow_up)
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
    require_write(user, follow_up)
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
    require_write(user, follow_up)
    check_can_add(follow_up)
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
    require_write(user, referral.follow_up)
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
