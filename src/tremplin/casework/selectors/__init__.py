"""Reads of case files, always given the user: the object, or ``Http404``.

Every getter goes through ``permissions.follow_ups_in_scope`` / ``persons_in_scope``. When the
object exists but is out of the user's scope (another worker's file, a forged form field, a
coordinator trying a URL), the 404 is logged as ``casework.forbidden_attempt`` with the person
concerned, for the privacy officer.

Opening a file (``open_person_file``, ``record_read``) is logged as a read and counted against
the bulk-reading limit: more than ``TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT`` (default 60) distinct
persons' files opened or exported by one user within an hour raises ``BulkReadBlockedError``, which
the views turn into a 429 page, and is logged as ``casework.bulk_read.blocked`` (unless a lift of
the bar by a supervisor or the privacy officer is running: ``limits``).
"""

from .access import (
    DEFAULT_HOURLY_FILE_LIMIT,
    FILE_READ_ACTIONS,
    PERSON_PATH,
    BulkReadBlockedError,
    active_emergency_access,
    deny,
    get_consent_for_user,
    get_follow_up_for_user,
    get_intervention_for_user,
    get_person_for_user,
    get_referral_for_user,
    guard_bulk_read,
    hourly_file_limit,
    lifted_files,
    parse_uuid,
    record_read,
)
from .caseload import (
    caseload,
    emergency_access_matches,
    emergency_accesses_of,
    open_follow_ups_for_entry,
    persons_in_caseload,
    with_workers,
    workers_for_bar,
)
from .files import (
    FILE_INTERVENTIONS,
    INTERVENTIONS_PER_PAGE,
    InterventionPage,
    PersonFile,
    interventions_page,
    open_person_file,
)
from .resources import get_resource_for_edit, resource_choices, resources_for_user

__all__ = [
    "DEFAULT_HOURLY_FILE_LIMIT",
    "FILE_INTERVENTIONS",
    "INTERVENTIONS_PER_PAGE",
    "InterventionPage",
    "FILE_READ_ACTIONS",
    "PERSON_PATH",
    "BulkReadBlockedError",
    "PersonFile",
    "active_emergency_access",
    "caseload",
    "deny",
    "emergency_access_matches",
    "emergency_accesses_of",
    "get_consent_for_user",
    "get_follow_up_for_user",
    "get_intervention_for_user",
    "get_person_for_user",
    "get_referral_for_user",
    "get_resource_for_edit",
    "guard_bulk_read",
    "hourly_file_limit",
    "interventions_page",
    "lifted_files",
    "open_follow_ups_for_entry",
    "open_person_file",
    "parse_uuid",
    "persons_in_caseload",
    "record_read",
    "resource_choices",
    "resources_for_user",
    "with_workers",
    "workers_for_bar",
]
