"""Two-factor authentication (TOTP, django-otp): who needs it, their device, codes and lockout.

Reads and helpers only; the writes (starting, confirming and resetting a device) are in
``services.py``. A user has at most one confirmed ``TOTPDevice``; while they set it up, one
unconfirmed device holds the secret shown on the set-up page.

Rate limiting has two layers, both on django-otp's throttling fields of the device:
django-otp's exponential back-off (1, 2, 4, 8… seconds between attempts after a failure,
``OTP_TOTP_THROTTLE_FACTOR``), and a lockout after ``TREMPLIN_OTP_FAILURE_LIMIT`` (5) wrong
codes in a row, for ``TREMPLIN_OTP_LOCKOUT_MINUTES`` (60), as django-axes does for passwords.
"""

from __future__ import annotations

import datetime as dt
import time
from base64 import b32encode
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# The QR code is drawn about this wide whatever its version (it fits a 360 px phone screen).
QR_TARGET_PX = 240


def failure_limit() -> int:
    return int(getattr(settings, "TREMPLIN_OTP_FAILURE_LIMIT", 5))


def lockout_duration() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "TREMPLIN_OTP_LOCKOUT_MINUTES", 60)))


def requires_two_factor(user) -> bool:
    """True for a signed-in user whose role reads personal information from case files."""
    if user is None or not user.is_authenticated:
        return False
    membership = getattr(user, "membership", None)
    return bool(membership is not None and membership.requires_two_factor)


def is_verified(user) -> bool:
    """True once this session passed the code step (``django_otp``'s ``user.is_verified()``).

    Right after ``django.contrib.auth.login`` the request's user is the bare model instance,
    without django-otp's attributes: not verified yet.
    """
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def confirmed_device(user) -> TOTPDevice | None:
    """The user's TOTP device in use, or None when they have not set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def secret(device: TOTPDevice) -> str:
    """The shared secret in base 32, as authenticator apps take it when typed in."""
    return b32encode(device.bin_key).decode().rstrip("=")


def secret_for_display(device: TOTPDevice) -> str:
    """The secret in groups of four characters, easier to copy by hand."""
    key = secret(device)
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def config_url(device: TOTPDevice) -> str:
    """The ``otpauth://`` URI of the Key URI Format, which the QR code encodes."""
    issuer = str(getattr(settings, "TREMPLIN_OTP_ISSUER", "Tremplin")).replace(":", "")
    label = f"{issuer}:{device.user.get_username()}"
    params = {
        "secret": secret(device),
        "issuer": issuer,
        "algorithm": "SHA1",
        "digits": device.digits,
        "period": device.step,
    }
    return f"otpauth://totp/{quote(label)}?{urlencode(params, quote_via=quote)}"


def qr_svg(device: TOTPDevice, title: str) -> SafeString:
    """The QR code of ``config_url`` as inline SVG, drawn on the server (no image request,
    nothing for the CSP to allow): dark modules on a white background, named by ``title``."""
    qr = segno.make(config_url(device), error="m")
    width, _height = qr.symbol_size(scale=1, border=4)
    scale = max(3, min(8, QR_TARGET_PX // width))
    svg = qr.svg_inline(
        scale=scale, border=4, dark="#000", light="#fff", title=title, svgclass="qr-code"
    )
    # segno escapes the title; role="img" makes it the accessible name of the picture.
    return mark_safe(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))  # noqa: S308


def current_code(device: TOTPDevice) -> str | None:
    """The code the device's authenticator app would show now, for the demo and the tests.

    A code is accepted once only (``last_t``): when the current step's code was already used,
    the next step's (still accepted, within the device's tolerance) is returned; None when both
    were used.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now_t = totp.t()
    for offset in range(device.tolerance + 1):
        if now_t + offset > device.last_t:
            totp.drift = device.drift + offset
            return str(totp.token()).zfill(device.digits)
    return None


def seconds_left(device: TOTPDevice) -> int:
    """Seconds before the authenticator app shows its next code."""
    return device.step - (int(time.time()) - device.t0) % device.step


@dataclass(frozen=True)
class Lock:
    """Why codes are refused for now, and until when."""

    until: dt.datetime
    # True after the failure limit (a long lockout); False during django-otp's short back-off.
    locked_out: bool

    @property
    def seconds(self) -> int:
        return max(1, int((self.until - timezone.now()).total_seconds() + 0.999))


def lock_state(device: TOTPDevice) -> Lock | None:
    """None when a code may be tried now; otherwise the lock in force."""
    failed_at = device.throttling_failure_timestamp
    if failed_at is not None and device.throttling_failure_count >= failure_limit():
        until = failed_at + lockout_duration()
        if timezone.now() < until:
            return Lock(until=until, locked_out=True)
    allowed, info = device.verify_is_allowed()
    if not allowed and info and info.get("locked_until"):
        return Lock(until=info["locked_until"], locked_out=False)
    return None


def attempts_left(device: TOTPDevice) -> int:
    return max(0, failure_limit() - device.throttling_failure_count)


def sign_in_verified(client, user):
    """Sign ``user`` in on a Django test ``Client`` with the code step passed (tests, bench).

    Creates a confirmed TOTP device when the role needs one and the user has none.
    """
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if requires_two_factor(user):
        device = confirmed_device(user) or TOTPDevice.objects.create(
            user=user, name="Test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
