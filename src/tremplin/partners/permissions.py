"""Who sees and changes partners and funding.

The coordination edits everything. Organizers read agreements and funding (they support the
projects funded), without partners' internal notes. A partner user reads the agreements its
organization is party to, the funding tables and totals of those agreements, and the detail
of its own commitments only. Workers, housing managers and researchers have no access.
"""

from tremplin.accounts.roles import Role, membership_of


def _role(user):
    if not user.is_authenticated or not user.is_active:
        return None
    membership = getattr(user, "membership", None)
    return membership.role if membership else None


def can_read_funding(user) -> bool:
    m = membership_of(user)
    return m is not None and m.can_read_funding


def can_edit_funding(user) -> bool:
    m = membership_of(user)
    return m is not None and m.can_edit_funding


def is_partner_user(user) -> bool:
    return _role(user) == Role.PARTNER


def user_partner_ids(user) -> set[int]:
    """The user's organizations and the bodies under them (cached per request on the user)."""
    if not hasattr(user, "_partner_ids"):
        from .models import Partner

        own = set(user.partner_organizations.values_list("id", flat=True))
        children = set(Partner.objects.filter(parent_id__in=own).values_list("id", flat=True))
        user._partner_ids = own | children
    return user._partner_ids


def can_see_commitment_detail(user, commitment) -> bool:
    role = _role(user)
    if role in {Role.COORDINATION, Role.ORGANIZER}:
        return True
    return role == Role.PARTNER and commitment.partner_id in user_partner_ids(user)


def can_see_partner_notes(user) -> bool:
    """A partner's own record's internal notes: the coordination's ("Visibles par la
    coordination seulement"), unlike a commitment's note, which its partner reads too."""
    return _role(user) == Role.COORDINATION


def can_see_internal_notes(user, partner_id: int) -> bool:
    role = _role(user)
    if role == Role.COORDINATION:
        return True
    return role == Role.PARTNER and partner_id in user_partner_ids(user)
