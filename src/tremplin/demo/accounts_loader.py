"""Load the demo accounts (one per role, ``data/accounts.json``), their memberships and, for the
roles that require it, their two-factor device. An account is found again by its username."""

from collections import Counter

from django.apps import apps
from django.contrib.auth import get_user_model

from tremplin.accounts.services import membership_set
from tremplin.core.text import fold
from tremplin.housing.models import HousingProvider

from .data import read_json

EMAIL_DOMAIN = "tremplin.example"


def load_accounts(password: str, territories: dict, munis: dict, created: Counter) -> None:
    """Demo accounts, their roles (a worker's supervisor among them) and, for the roles that
    require two-factor authentication, exactly one confirmed TOTP device each: its secret is
    kept from one run to the next (an app paired with it keeps working), other devices and any
    lockout are cleared. ``tremplin demo-code USERNAME`` prints the code of the moment."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    accounts = read_json("accounts.json")
    device_name = "Démonstration"
    user_model = get_user_model()
    users = {}
    for spec in accounts:
        user = user_model.objects.filter(username=spec["username"]).first()
        if user is None:
            user = user_model(username=spec["username"])
            created["accounts"] += 1
        user.first_name = spec["first_name"]
        user.last_name = spec["last_name"]
        user.email = f"{spec['username']}@{EMAIL_DOMAIN}"
        user.is_active = True
        user.set_password(password)
        user.save()
        users[spec["username"]] = user
    for spec in accounts:
        user = users[spec["username"]]
        membership = membership_set(
            user=user,
            role=spec["role"],
            territories=[territories[slug] for slug in spec["territories"]],
            organization=spec["organization"],
            supervisor=users[spec["supervisor"]] if spec.get("supervisor") else None,
            audit=False,
        )
        for name, code in spec.get("manages", ()):
            provider = HousingProvider.objects.filter(
                name_key=fold(name), municipality=munis[code]
            ).first()
            if provider is not None:
                provider.managers.add(user)
        devices = TOTPDevice.objects.filter(user=user)
        if membership.requires_two_factor:
            device = devices.filter(name=device_name).order_by("pk").first()
            if device is None:
                device = TOTPDevice(user=user, name=device_name)
            device.confirmed = True
            device.throttle_reset(commit=False)
            device.save()
            devices = devices.exclude(pk=device.pk)
        devices.delete()
        if apps.is_installed("axes"):
            from axes.utils import reset as axes_reset

            axes_reset(username=spec["username"])  # a fresh start: no lockout left over
