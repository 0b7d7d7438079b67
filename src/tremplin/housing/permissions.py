"""Who may read and change the housing directory, object by object.

Every signed-in member of the program reads the directory (it describes organizations, not
tenants). Changes: the coordination everywhere; an organizer within their territories; a
housing manager only their own providers and those providers' buildings.
"""

from tremplin.accounts.roles import Role, has_role, membership_of


def can_read_directory(user) -> bool:
    """Any active signed-in member of the program."""
    return membership_of(user) is not None


def can_add_provider(user) -> bool:
    return has_role(user, Role.COORDINATION, Role.ORGANIZER)


def can_edit_provider(user, provider) -> bool:
    m = membership_of(user)
    if m is None:
        return False
    if m.role == Role.COORDINATION:
        return True
    if m.role == Role.ORGANIZER:
        return provider.municipality.mrc.territory_id in m.territory_ids()
    if m.role == Role.HOUSING_MANAGER:
        return provider.managers.filter(pk=user.pk).exists()
    return False


def can_import_directory(user) -> bool:
    m = membership_of(user)
    return m is not None and m.can_import_directory
