"""Who may use the privacy pages. Everyone else, signed in or not, gets a 404."""

from tremplin.accounts.roles import Role


def _membership(user):
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


def is_privacy_officer(user) -> bool:
    """The journal, the registers, access requests and rectification: the privacy officer."""
    membership = _membership(user)
    return bool(membership and membership.is_privacy_officer)


def can_export_research(user) -> bool:
    """The de-identified research export: researchers, and the privacy officer who vets it."""
    membership = _membership(user)
    return bool(membership and membership.role in {Role.RESEARCHER, Role.PRIVACY_OFFICER})


# Counts for evaluation: the coordination (the issue: "the coordination sees only counts"),
# supervisors for their territories, and the privacy officer. Workers see their own files,
# not statistics; other roles see nothing of case files, not even counts.
STATS_ROLES = {Role.COORDINATION, Role.SUPERVISOR, Role.PRIVACY_OFFICER}


def can_read_stats(user) -> bool:
    membership = _membership(user)
    return bool(membership and membership.role in STATS_ROLES)


def stats_territory_ids(user) -> set[int] | None:
    """Territories whose counts ``user`` sees; None for the whole region."""
    membership = _membership(user)
    if membership.role == Role.SUPERVISOR:
        return membership.territory_ids()
    return None
