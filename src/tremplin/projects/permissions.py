"""Who reads and changes collective work.

Projects, accompaniments and tenant associations describe collective action, not individuals:
every program role reads them. The coordination changes all; an organizer changes what is in
their territories (a project with no site — a regional one — when they lead it); others read.
"""

from tremplin.accounts.roles import Role


def _membership(user):
    if not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "membership", None)


def can_read(user) -> bool:
    return _membership(user) is not None


def can_create(user) -> bool:
    m = _membership(user)
    return m is not None and m.role in {Role.COORDINATION, Role.ORGANIZER}


def can_edit_project(user, project) -> bool:
    m = _membership(user)
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
    m = _membership(user)
    if m is None:
        return False
    if m.role == Role.COORDINATION:
        return True
    return m.role == Role.ORGANIZER and provider.municipality.mrc.territory_id in m.territory_ids()
