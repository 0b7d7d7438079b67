"""Individual support of tenants: persons, consents, follow-ups, interventions, referrals.

Health and social information about identifiable people (Law 25, LRSSS). Minimal by design:
no health-card number, no diagnosis field. Free text is encrypted at rest
(``EncryptedTextField``); every read and write goes through selectors and services that log it.

One module a part of the file (``persons``, ``followups``, ``resources``, ``registers``), all
in the ``casework`` app (same label, same migrations); import them from here.
``BulkReadLift`` (``limits/models.py``) is imported here so that Django registers it.
"""

# Registered with the app from its own module (the bulk-read limit's lifts).
from ..limits.models import BulkReadLift
from .common import NOTE_MAX_LENGTH
from .followups import (
    FollowUp,
    FollowUpStatus,
    Intervention,
    InterventionMode,
    InterventionType,
    Outcome,
    Reason,
    Referral,
    ReferralOutcome,
)
from .persons import Consent, ConsentKind, ConsentMode, Household, Language, Person, WorkerBar
from .registers import (
    Communication,
    ConfidentialityIncident,
    DestructionRecord,
    EmergencyAccess,
    IncidentStatus,
)
from .resources import Resource, ResourceCategory

__all__ = [
    "NOTE_MAX_LENGTH",
    "BulkReadLift",
    "Communication",
    "ConfidentialityIncident",
    "Consent",
    "ConsentKind",
    "ConsentMode",
    "DestructionRecord",
    "EmergencyAccess",
    "FollowUp",
    "FollowUpStatus",
    "Household",
    "IncidentStatus",
    "Intervention",
    "InterventionMode",
    "InterventionType",
    "Language",
    "Outcome",
    "Person",
    "Reason",
    "Referral",
    "ReferralOutcome",
    "Resource",
    "ResourceCategory",
    "WorkerBar",
]
