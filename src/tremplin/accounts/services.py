"""Writes on accounts: giving a user a role keeps their Django group and staff flag in step."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Membership
from .roles import Role

User = get_user_model()


@transaction.atomic
def membership_set(
    *, user, role: str, territories=(), organization: str = "", supervisor=None
) -> Membership:
    """Give ``user`` exactly one role, its territories, and the matching group.

    Only the coordination may use the Django admin, so ``is_staff`` follows the role.
    """
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    membership, _created = Membership.objects.update_or_create(
        user=user, defaults={"role": role, "organization": organization, "supervisor": supervisor}
    )
    membership.territories.set(territories)
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.set([group])
    user.is_staff = role == Role.COORDINATION
    user.is_superuser = False
    user.save(update_fields=["is_staff", "is_superuser"])
    return membership
