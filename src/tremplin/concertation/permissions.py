"""Who reads and manages committees (and, through them, their members, meetings and action items).

- Coordination: reads and manages every committee.
- Organizer: manages the committees of their territories — an ÉLÉ whose local team covers a
  municipality of one of their territories, or a working group listing one of their
  territories — and reads the regional committees (those with no territory: the partners'
  committee, an agreement's management committee, a regional working group). Committees of
  other territories do not exist for them (404).
- Partner: reads the committees they sit on: a seat (past or present) held in their name (the
  seat's Tremplin account) or for their organization or a body under it.
- Every other role, and users without a role: nothing (404).

"Manage" covers the committee itself, its memberships, meetings, agenda, attendance, minutes,
decisions and action items. The querysets of the same rules are in ``selectors.py``.
"""

from tremplin.accounts.roles import Role, membership_of

from .models import Committee, CommitteeKind


def role_of(user) -> str | None:
    m = membership_of(user)
    return m.role if m is not None else None


def can_use(user) -> bool:
    """May open the committee pages at all (the list may still be empty for a partner)."""
    return role_of(user) in {Role.COORDINATION, Role.ORGANIZER, Role.PARTNER}


def can_create(user) -> bool:
    return role_of(user) in {Role.COORDINATION, Role.ORGANIZER}


def creatable_kinds(user) -> list[str]:
    """An organizer creates the committees of their territories: ÉLÉ and working groups."""
    role = role_of(user)
    if role == Role.COORDINATION:
        return list(CommitteeKind.values)
    if role == Role.ORGANIZER:
        return [CommitteeKind.LOCAL_TEAM, CommitteeKind.WORKING_GROUP]
    return []


def committee_territory_ids(committee: Committee) -> set[int]:
    """The territories a committee covers; empty for a regional committee."""
    if not hasattr(committee, "_territory_ids"):
        if committee.kind == CommitteeKind.LOCAL_TEAM and committee.local_team_id:
            from tremplin.territories.models import Territory

            ids = set(
                Territory.objects.filter(
                    mrcs__municipalities__local_teams=committee.local_team_id
                ).values_list("id", flat=True)
            )
        elif committee.pk:
            ids = {t.pk for t in committee.territories.all()}
        else:
            ids = set()
        committee._territory_ids = ids
    return committee._territory_ids


def is_regional(committee: Committee) -> bool:
    return committee.kind != CommitteeKind.LOCAL_TEAM and not committee_territory_ids(committee)


def sits_on(user, committee: Committee) -> bool:
    """The user holds (or held) a seat, in their name or for their organization."""
    from tremplin.partners.permissions import user_partner_ids

    seats = committee.memberships.all()
    if seats.filter(user=user).exists():
        return True
    partner_ids = user_partner_ids(user)
    return bool(partner_ids) and seats.filter(partner_id__in=partner_ids).exists()


def can_read_committee(user, committee: Committee) -> bool:
    role = role_of(user)
    if role == Role.COORDINATION:
        return True
    if role == Role.ORGANIZER:
        return is_regional(committee) or bool(
            committee_territory_ids(committee) & user.membership.territory_ids()
        )
    if role == Role.PARTNER:
        return sits_on(user, committee)
    return False


def can_manage_committee(user, committee: Committee) -> bool:
    role = role_of(user)
    if role == Role.COORDINATION:
        return True
    if role == Role.ORGANIZER:
        return bool(committee_territory_ids(committee) & user.membership.territory_ids())
    return False
