"""Writes on a person's file: its creation (person, follow-up consent and first follow-up at
once), rectification, consents and their withdrawal, the workers the person bars."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action, save_audited
from tremplin.core.text import fold

from .. import permissions
from ..models import Consent, ConsentKind, FollowUp, Person, WorkerBar
from .common import require_person_write
from .followups import check_workers, follow_up_save_new


def _person_derive(person: Person) -> None:
    person.name_key = fold(f"{person.last_name} {person.first_name}")[:210]
    if person.building_id:
        municipality = person.building.municipality
        person.municipality = municipality
        person.territory_id = municipality.mrc.territory_id
    if person.birth_date and not person.birth_year:
        person.birth_year = person.birth_date.year


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
    workers = check_workers(user, None, workers)
    _person_derive(person)
    person.created_by = user
    person.notice_acknowledged_at = timezone.now()
    person.notice_acknowledged_by = user
    save_audited(person, "casework.person", user=user, request=request, subject=person)
    consent.kind = ConsentKind.FOLLOW_UP
    _consent_save(user, person, consent, request=request)
    follow_up.person = person
    follow_up.consent = consent
    follow_up_save_new(user, follow_up, workers, request=request)
    return person


@transaction.atomic
def person_update(*, user, person: Person, changed: list[str], request=None) -> Person:
    """Rectify a person's identity or contact details (Law 25 right to rectification)."""
    require_person_write(user, person)
    _person_derive(person)
    return save_audited(
        person,
        "casework.person",
        user=user,
        request=request,
        subject=person,
        data={"fields": sorted(changed)},
    )


# --------------------------------------------------------------------------- consents


def _consent_save(user, person: Person, consent: Consent, *, request=None) -> Consent:
    consent.person = person
    consent.recorded_by = user
    # Only a sharing consent names an organization.
    consent.organization = (
        consent.organization.strip() if consent.kind == ConsentKind.SHARING else ""
    )
    return save_audited(
        consent,
        "casework.consent",
        verb="create",
        user=user,
        request=request,
        subject=person,
        data={"kind": consent.kind},
    )


@transaction.atomic
def consent_record(*, user, person: Person, consent: Consent, request=None) -> Consent:
    """Record a consent given by the person (follow-up, sharing with a named organization,
    research use of de-identified data)."""
    require_person_write(user, person)
    return _consent_save(user, person, consent, request=request)


@transaction.atomic
def consent_withdraw(*, user, consent: Consent, withdrawn_on: dt.date, request=None) -> Consent:
    """Record the withdrawal of a consent. Nothing is deleted: existing data is kept for the
    retention period; new interventions, referrals or communications under it are refused."""
    require_person_write(user, consent.person)
    if consent.withdrawn_on:
        raise ValidationError(_("Ce consentement a déjà été retiré."))
    if withdrawn_on > timezone.localdate():
        raise ValidationError(
            {"withdrawn_on": _("Le retrait ne peut pas être daté dans le futur.")}
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = user
    return save_audited(
        consent,
        "casework.consent",
        verb="withdraw",
        user=user,
        request=request,
        subject=consent.person,
        data={"kind": consent.kind},
    )


# --------------------------------------------------------------------------- bars


@transaction.atomic
def worker_bar(*, user, person: Person, worker, request=None) -> WorkerBar:
    """Record that the person refuses that ``worker`` see their file: from now on that worker
    gets 404 on it, cannot be assigned to it and cannot get emergency access to it. Their
    existing assignments stay visible to their supervisor, who reassigns the follow-up."""
    require_person_write(user, person)
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
