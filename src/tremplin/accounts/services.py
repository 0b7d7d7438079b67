"""Writes on accounts: roles (with their Django group and staff flag) and two-factor devices."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.audit.services import log_action

from .models import Membership
from .roles import Role

User = get_user_model()
# The name of a device set up on the set-up page (the admin and the demo loader show it).
DEVICE_NAME = "Application d'authentification"


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


# --- two-factor authentication (TOTP) ------------------------------------------------------


def two_factor_begin(*, user) -> TOTPDevice:
    """The unconfirmed TOTP device whose secret the set-up page shows (created once, so that
    reloading the page keeps the QR code the person may already have scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, user, device: TOTPDevice, request=None) -> TOTPDevice:
    """Make ``device`` (whose code was just accepted) the user's one TOTP device. Audited."""
    if device.user_id != user.pk:
        raise PermissionDenied
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    log_action(user, "accounts.two_factor.enrol", user=user, request=request)
    return device


@transaction.atomic
def two_factor_reset(*, user, target, request=None) -> int:
    """Remove ``target``'s TOTP devices (lost or replaced phone); returns how many. Audited.

    Only the coordination may do it. Sessions verified with the old device lose their
    verification at once (the device is gone), and ``target`` sets up a new device at the
    next sign-in.
    """
    membership = getattr(user, "membership", None)
    if membership is None or not membership.can_use_admin:
        raise PermissionDenied
    count, _by_model = TOTPDevice.objects.filter(user=target).delete()
    log_action(
        target, "accounts.two_factor.reset", user=user, request=request, data={"devices": count}
    )
    return count
