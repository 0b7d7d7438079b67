"""Who works on surveys.

Questionnaires are shared across the region: the coordination and every organizer read them,
use them in campaigns and export them; the coordination and the questionnaire's author change
them. Campaigns belong to their sites' territories: the coordination manages all of them, an
organizer those with a site in their territories (results, paper entry, exports, themes).
Volunteers' contact details are read only by the organizers of the volunteer's site territory.
Every other role gets a 404 on every staff page. Answer pages are public (open campaigns only).
"""

from tremplin.accounts.roles import Role, has_role, membership_of


def is_survey_staff(user) -> bool:
    """Coordination or organizer: reads questionnaires, creates questionnaires and campaigns."""
    return has_role(user, Role.COORDINATION, Role.ORGANIZER)


def can_edit_questionnaire(user, questionnaire) -> bool:
    m = membership_of(user)
    if m is None:
        return False
    if m.role == Role.COORDINATION:
        return True
    return m.role == Role.ORGANIZER and questionnaire.created_by_id == user.pk


def territory_ids(user) -> set[int] | None:
    """The territories a user manages campaigns in; None means all (coordination)."""
    m = membership_of(user)
    if m is None:
        return set()
    if m.role == Role.COORDINATION:
        return None
    if m.role == Role.ORGANIZER:
        return m.territory_ids()
    return set()


def can_manage_campaign(user, campaign) -> bool:
    scope = territory_ids(user)
    if scope is None:
        return True
    if not scope:
        return False
    return bool(scope & {t.pk for t in campaign.territories.all()})


def volunteer_territories(user) -> set[int]:
    """Territories whose volunteers the user may read: an organizer's own, nobody else's."""
    m = membership_of(user)
    if m is None or m.role != Role.ORGANIZER:
        return set()
    return m.territory_ids()
