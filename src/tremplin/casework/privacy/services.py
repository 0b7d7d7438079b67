"""Writes of the privacy officer: reviews of flags, the incident register, rectification.

Each validates with ``full_clean()`` inside ``transaction.atomic()`` and leaves a journal entry
that names fields, never their values.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.models import AuditEntry
from tremplin.audit.services import log_action, save_audited
from tremplin.core.text import fold

from ..models import ConfidentialityIncident, EmergencyAccess, Person
from ..reasons import checked_reason
from .selectors import BULK_BLOCKED, BULK_REVIEWED, EMERGENCY_REVIEWED, require_privacy_officer

# Identity fields the privacy officer may rectify at the person's request. A change of
# building is a move, recorded by the worker in the file (it changes territory and scope).
RECTIFIABLE_FIELDS = (
    "first_name",
    "last_name",
    "birth_year",
    "birth_date",
    "phone",
    "preferred_language",
    "household",
    "unit",
)


def emergency_access_review(*, user, access: EmergencyAccess, request=None) -> EmergencyAccess:
    """Mark an emergency access as reviewed by the privacy officer (once; later calls do
    nothing)."""
    require_privacy_officer(user)
    with transaction.atomic():
        access = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
        if access.reviewed_at is not None:
            return access
        access.reviewed_by = user
        access.reviewed_at = timezone.now()
        access.full_clean()
        access.save(update_fields=["reviewed_by", "reviewed_at", "updated_at"])
        log_action(
            access,
            EMERGENCY_REVIEWED,
            user=user,
            request=request,
            data={"user": access.user.username},
            subject=access.person,
        )
    return access


def bulk_block_review(*, user, entry: AuditEntry, request=None) -> AuditEntry | None:
    """Record that the officer reviewed a bulk-read block. The blocked entry itself is never
    changed: the review is a new journal entry naming it. None when already reviewed."""
    require_privacy_officer(user)
    if entry.action != BULK_BLOCKED:
        raise ValidationError(_("Cette entrée n'est pas un blocage de lecture massive."))
    with transaction.atomic():
        already = AuditEntry.objects.filter(
            action=BULK_REVIEWED, object_type="audit.auditentry", object_id=str(entry.pk)
        ).exists()
        if already:
            return None
        return log_action(
            entry,
            BULK_REVIEWED,
            user=user,
            request=request,
            data={"blocked_user": entry.username},
        )


def incident_save(
    *, user, incident: ConfidentialityIncident, changed: list[str] | None = None, request=None
) -> ConfidentialityIncident:
    """Create or update an entry of the confidentiality-incident register."""
    require_privacy_officer(user)
    with transaction.atomic():
        if incident.pk is None:
            incident.recorded_by = user
        return save_audited(
            incident,
            "casework.incident",
            user=user,
            request=request,
            data={"fields": sorted(changed or [])},
        )


def person_rectify(*, user, person: Person, changes: dict, reason: str, request=None) -> list[str]:
    """Correct identity fields of ``person`` at their request; returns the fields changed.

    The journal keeps the field names and the officer's reason, never the old or new values.
    """
    require_privacy_officer(user)
    if person.anonymized_at:
        raise ValidationError(
            _("Cette personne a été anonymisée : il n'y a plus rien à rectifier.")
        )
    reason = checked_reason(reason, _("Indiquez la raison de la rectification."))
    unknown = set(changes) - set(RECTIFIABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Ces champs ne peuvent pas être rectifiés ici."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        changed = []
        for name, value in changes.items():
            if getattr(person, name) != value:
                setattr(person, name, value)
                changed.append(name)
        if not changed:
            return []
        # Same folding as the workers' search: "last first".
        person.name_key = fold(f"{person.last_name} {person.first_name}")[:210]
        person.full_clean()
        person.save(update_fields=[*changed, "name_key", "updated_at"])
        log_action(
            person,
            "casework.person.rectified",
            user=user,
            request=request,
            data={"fields": sorted(changed), "reason": reason},
            subject=person,
        )
    return sorted(changed)
