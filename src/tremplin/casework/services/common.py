"""What the services of case files share: the write scope checked again, the audit of writes
and of refused writes, the rule that nothing new goes into a closed or withdrawn follow-up."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action
from tremplin.core.formatting import date_iso

from .. import permissions
from ..models import Consent, FollowUp, FollowUpStatus, Person


def require_write(user, follow_up: FollowUp) -> None:
    if not permissions.follow_ups_in_scope(user, write=True).filter(pk=follow_up.pk).exists():
        raise Http404


def require_person_write(user, person: Person) -> None:
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


def _withdrawn_message(consent: Consent) -> str:
    return _(
        "Le consentement au suivi a été retiré le %(date)s : aucune nouvelle inscription n'est "
        "possible. Les données existantes sont conservées pendant la durée de conservation."
    ) % {"date": date_iso(consent.withdrawn_on)}


def check_can_add(follow_up: FollowUp) -> None:
    """Nothing new in a closed follow-up, or once its consent is withdrawn."""
    if follow_up.status != FollowUpStatus.OPEN:
        raise ValidationError(
            _("Ce suivi est fermé : ouvrez un nouveau suivi pour inscrire une intervention.")
        )
    if not follow_up.consent.is_active:
        raise ValidationError(_withdrawn_message(follow_up.consent))
