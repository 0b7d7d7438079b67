"""Writes that reach beyond the file's own team: communications to a partner (under a sharing
consent) and emergency access (« bris de verre »)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action, save_audited
from tremplin.core.formatting import date_iso
from tremplin.core.text import fold

from .. import permissions
from ..models import Communication, Consent, ConsentKind, EmergencyAccess, Person
from .common import require_person_write

EMERGENCY_ACCESS_HOURS = 4
EMERGENCY_REASON_MIN_LENGTH = 20
COMMUNICATION_MAX_LENGTH = 2000


@transaction.atomic
def communication_record(
    *, user, person: Person, consent: Consent, what: str, why: str, shared_on: dt.date,
    recipient: str = "", request=None,
) -> Communication:  # fmt: skip
    """Register information shared with a partner organization. Requires a sharing consent
    of this person naming that organization, in force on the day it was shared."""
    require_person_write(user, person)
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
    return save_audited(
        communication,
        "casework.communication",
        verb="create",
        user=user,
        request=request,
        subject=person,
        data={"consent": str(consent.public_id), "recipient": consent.organization},
    )


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
