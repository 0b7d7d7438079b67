"""Pages of case files and of the resource directory. Thin: reads through selectors, writes
through services.

Every case page is for workers and supervisors only, within their scope (``permissions``);
anyone else gets a 404 (logged as ``casework.forbidden_attempt`` when the object exists).
Case pages are never cached by the browser (``Cache-Control: no-store``) and answer 429
when the user has opened too many distinct files within the hour.

One module a part of the file (``caseload``, ``persons``, ``followups``, ``interventions``,
``referrals``, ``resources``; what they share in ``common``); ``urls_casework`` takes the
views from here.
"""

from .caseload import caseload, emergency_access
from .common import casework_page
from .followups import follow_up_assign, follow_up_close, follow_up_open
from .interventions import follow_up_interventions, intervention_create, intervention_edit
from .persons import (
    communication_create,
    consent_create,
    consent_withdraw,
    person_create,
    person_detail,
    person_edit,
    worker_bar,
)
from .referrals import referral_create, referral_update
from .resources import resource_create, resource_edit, resource_list

__all__ = [
    "casework_page",
    "caseload",
    "communication_create",
    "consent_create",
    "consent_withdraw",
    "emergency_access",
    "follow_up_assign",
    "follow_up_close",
    "follow_up_interventions",
    "follow_up_open",
    "intervention_create",
    "intervention_edit",
    "person_create",
    "person_detail",
    "person_edit",
    "referral_create",
    "referral_update",
    "resource_create",
    "resource_edit",
    "resource_list",
    "worker_bar",
]
