"""Who reads and changes collective work.

Projects, accompaniments and tenant associations describe collective action, not individuals:
every program role reads them. The coordination changes all; an organizer changes what is in
their territories (a project with no site — a regional one — when they lead it); others read.
"""

from tremplin.accounts.roles import Role, has_role, membership_of


def can_read(user) -> bool:
    return membership_of(user) is not None


def can_create(user) -> bool:
    return has_role(user, Role.COORDINATION, Role.ORGANIZER)


def can_edit_project(user, project) -> bool:
    m = membership_of(user)
    if m is None:
        return False
    if m.role == Role.COORDINATION:
        return True
    if m.role != Role.ORGANIZER:
        return False
    project_territories = {t.pk for t in project.territories.all()}
    if not project_territories:
        return project.lead_organizer_id == user.pk
    return bool(project_territories & m.territory_ids())


def can_edit_provider_work(user, provider) -> bool:
    """Accompaniments and associations of a provider: coordination, or an organizer of its territory."""
    m = membership_of(user)
    if m is None:
        return False
    if m.role == Role.COORDINATION:
        return True
    return m.role == Role.ORGANIZER and provider.municipality.mrc.territory_id in m.territory_ids()
