"""Writes on case files: validated with ``full_clean()`` in a transaction, and audited.

Callers get the objects through ``selectors`` (scope, 404); the services check the write
scope again (defense in depth) and the rules of the file: no follow-up without an active
follow-up consent, no intervention or referral once that consent is withdrawn (what exists is
kept for the retention period), no communication without an active sharing consent naming the
recipient. Audit entries name the person (``subject``) and hold identifiers and field names,
never the content of notes.

One module a part of the file (``persons``, ``followups``, ``sharing``, ``resources``);
import the services from here.
"""

from .common import log_refusal
from .followups import (
    follow_up_assign,
    follow_up_close,
    follow_up_open,
    follow_up_refresh,
    intervention_add,
    intervention_edit,
    referral_add,
    referral_update,
)
from .persons import consent_record, consent_withdraw, person_create, person_update, worker_bar
from .resources import resource_save
from .sharing import (
    COMMUNICATION_MAX_LENGTH,
    EMERGENCY_ACCESS_HOURS,
    EMERGENCY_REASON_MIN_LENGTH,
    communication_record,
    emergency_access_request,
)

__all__ = [
    "COMMUNICATION_MAX_LENGTH",
    "EMERGENCY_ACCESS_HOURS",
    "EMERGENCY_REASON_MIN_LENGTH",
    "communication_record",
    "consent_record",
    "consent_withdraw",
    "emergency_access_request",
    "follow_up_assign",
    "follow_up_close",
    "follow_up_open",
    "follow_up_refresh",
    "intervention_add",
    "intervention_edit",
    "log_refusal",
    "person_create",
    "person_update",
    "referral_add",
    "referral_update",
    "resource_save",
    "worker_bar",
]
