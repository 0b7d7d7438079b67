"""Forms of case files. Choices (follow-ups, workers, consents) are limited to the user's
scope; a forged value naming an object outside it is resolved by the selectors (404, logged),
not silently accepted.

One module a part of the file (``persons``, ``followups``, ``resources``; shared fields in
``fields``); import the forms from here.
"""

from .followups import (
    CaseloadSearchForm,
    FollowUpAssignForm,
    FollowUpCloseForm,
    FollowUpOpenForm,
    InterventionForm,
    ReferralForm,
    ReferralOutcomeForm,
)
from .persons import (
    CommunicationForm,
    ConsentForm,
    ConsentWithdrawForm,
    EmergencyAccessForm,
    PersonCreateForm,
    PersonForm,
    WorkerBarForm,
)
from .resources import ResourceFilter, ResourceForm

__all__ = [
    "CaseloadSearchForm",
    "CommunicationForm",
    "ConsentForm",
    "ConsentWithdrawForm",
    "EmergencyAccessForm",
    "FollowUpAssignForm",
    "FollowUpCloseForm",
    "FollowUpOpenForm",
    "InterventionForm",
    "PersonCreateForm",
    "PersonForm",
    "ReferralForm",
    "ReferralOutcomeForm",
    "ResourceFilter",
    "ResourceForm",
    "WorkerBarForm",
]
