"""Who sees the evaluation pages and which indicators.

- The dashboard and its exports: coordination, organizers, supervisors, the privacy officer,
  partners and researchers (aggregates only; every one of them reads program results).
  Workers and housing managers: 404.
- Individual-support indicators: only roles that read case statistics (``can_read_case_stats``),
  always from aggregates, counts from 1 to 4 suppressed.
- Funding indicators: only roles that read funding (``can_read_funding``); spending, not to
  partners (the partners app shows them totals, never what each other partner spent).
- The records behind a number: through each app's own selectors, so a viewer sees only the
  records their role already shows them.
- Highlights reports: read by those who see the dashboard; edited by the coordination.
"""

from django.http import Http404

from tremplin.accounts.roles import Role

from .catalogue import CASE_STATS, FUNDING, SPENDING, Indicator

DASHBOARD_ROLES = {
    Role.COORDINATION,
    Role.ORGANIZER,
    Role.SUPERVISOR,
    Role.PRIVACY_OFFICER,
    Role.PARTNER,
    Role.RESEARCHER,
}


def _membership(user):
    return getattr(user, "membership", None) if user.is_authenticated else None


def can_read_evaluation(user) -> bool:
    membership = _membership(user)
    return membership is not None and membership.role in DASHBOARD_ROLES


def require_evaluation(user) -> None:
    if not can_read_evaluation(user):
        raise Http404


def can_edit_reports(user) -> bool:
    membership = _membership(user)
    return membership is not None and membership.role == Role.COORDINATION


def may_see_indicator(user, indicator: Indicator) -> bool:
    if not can_read_evaluation(user):
        return False
    membership = user.membership
    if indicator.audience == CASE_STATS:
        return membership.can_read_case_stats
    if indicator.audience == FUNDING:
        return membership.can_read_funding
    if indicator.audience == SPENDING:
        return membership.can_read_funding and membership.role != Role.PARTNER
    return True
