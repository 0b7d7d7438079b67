"""Writes on accounts: roles (with their Django group and staff flag), two-factor devices,
open sessions and preferences."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.audit.services import log_action
from tremplin.core.middleware import LANGUAGE_SESSION_KEY

from . import user_sessions
from .models import Membership, UserPreference, UserSession
from .roles import Role

User = get_user_model()
# The name of a device set up on the set-up page (the admin and the demo loader show it).
DEVICE_NAME = "Application d'authentification"


@transaction.atomic
def membership_set(
    *,
    user,
    role: str,
    territories=(),
    organization: str = "",
    supervisor=None,
    by=None,
    request=None,
    audit: bool = True,
) -> Membership:
    """Give ``user`` exactly one role, its territories, and the matching group.

    Only the coordination may use the Django admin, so ``is_staff`` follows the role. Audited
    (``accounts.membership.set``: who, the role and the territories) unless ``audit`` is
    false: the demo loader and the test fixtures, which write no journal.
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
    if audit:
        log_action(
            user,
            "accounts.membership.set",
            user=by,
            request=request,
            data={"role": role, "territories": sorted(t.slug for t in territories)},
        )
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


@transaction.atomic
def two_factor_change(*, user, device: TOTPDevice, request=None) -> TOTPDevice:
    """Replace the user's confirmed device by ``device`` (new, unconfirmed, whose code was just
    accepted); the old one is removed only now. Audited."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).count()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    log_action(
        user, "accounts.two_factor.change", user=user, request=request, data={"replaced": replaced}
    )
    return device


# --- open sessions -------------------------------------------------------------------------


def user_session_start(*, request, user) -> UserSession:
    """At sign-in: record this session (and forget the user's sessions that have ended)."""
    session = request.session
    if session.session_key is None:  # a session flushed by login() has no key until saved
        session.save()
    key = session.session_key
    tracking = session.get(user_sessions.TRACKING_KEY) or {}
    with transaction.atomic():
        UserSession.objects.filter(session_key=key).delete()
        if tracking.get("id"):
            UserSession.objects.filter(pk=tracking["id"]).delete()
        rows = dict(UserSession.objects.filter(user=user).values_list("session_key", "pk"))
        live = user_sessions.live_keys(rows)
        dead = [pk for k, pk in rows.items() if k not in live]
        if dead:
            UserSession.objects.filter(pk__in=dead).delete()
        now = timezone.now()
        row = UserSession(
            user=user,
            session_key=key,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
            ip_address=user_sessions.client_ip(request),
            created_at=now,
            last_seen_at=now,
        )
        row.full_clean()
        row.save()
    _remember(session, row.pk, now)
    return row


def user_session_touch(*, request, force: bool = False) -> None:
    """Keep the current session's row up to date: its key (which changes after the second
    factor and a password change) at once, its last activity at most once a minute."""
    session, user = request.session, request.user
    key = session.session_key
    if key is None or not user.is_authenticated:
        return
    tracking = session.get(user_sessions.TRACKING_KEY)
    if not tracking:  # signed in before sessions were recorded
        user_session_start(request=request, user=user)
        return
    now = timezone.now()
    fresh = now.timestamp() - tracking.get("seen", 0) < user_sessions.TOUCH_SECONDS
    if tracking.get("key") == key and fresh and not force:
        return
    # No row left: the session was ended from another one while this request ran (its store
    # is gone too, so it is not saved again): nothing to bring back.
    UserSession.objects.filter(pk=tracking.get("id"), user=user).update(
        session_key=key, last_seen_at=now
    )
    _remember(session, tracking.get("id"), now)


def user_session_forget(*, request) -> None:
    """At sign-out: the session is no longer open."""
    session = getattr(request, "session", None)
    if session is None:
        return
    tracking = session.get(user_sessions.TRACKING_KEY) or {}
    if tracking.get("id"):
        UserSession.objects.filter(pk=tracking["id"]).delete()
    if session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


def _remember(session, pk, now) -> None:
    session[user_sessions.TRACKING_KEY] = {
        "id": pk,
        "key": session.session_key,
        "seen": int(now.timestamp()),
    }


def current_session_id(request) -> int | None:
    tracking = request.session.get(user_sessions.TRACKING_KEY) or {}
    return tracking.get("id")


def user_session_end(*, user, user_session: UserSession, request, reason: str = "ended") -> None:
    """End one of ``user``'s sessions: its next request is signed out. Audited."""
    if user_session.user_id != user.pk:
        raise PermissionDenied
    _end(user, [user_session], request, reason)


def user_sessions_end_others(*, user, request, reason: str = "others") -> int:
    """End every session of ``user`` but the current one; returns how many. Each is audited."""
    rows = list(
        UserSession.objects.filter(user=user)
        .exclude(session_key=request.session.session_key)
        .exclude(pk=current_session_id(request))
    )
    _end(user, rows, request, reason)
    return len(rows)


def user_sessions_end_all(*, user, request=None, reason: str = "password_reset") -> int:
    """End every session of ``user`` (their password was reset by email); returns how many."""
    rows = list(UserSession.objects.filter(user=user))
    _end(user, rows, request, reason)
    return len(rows)


@transaction.atomic
def _end(user, rows, request, reason) -> None:
    for row in rows:
        user_sessions.end_session(row.session_key)
        log_action(
            user,
            "accounts.session.end",
            user=user,  # only the user ends their own sessions
            request=request,
            data={
                "session": str(row.public_id),
                "device": user_sessions.describe_user_agent(row.user_agent),
                "ip": row.ip_address or "",
                "reason": reason,
            },
        )
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()


# --- preferences ---------------------------------------------------------------------------


def stored_language(user) -> str:
    """The language ``user`` chose once, or "" (no choice yet)."""
    return UserPreference.objects.filter(user=user).values_list("language", flat=True).first() or ""


def language_apply(*, request, user) -> None:
    """At sign-in: the session speaks the language stored on the account, if any."""
    language = stored_language(user)
    if language:
        request.session[LANGUAGE_SESSION_KEY] = language
    else:
        request.session.pop(LANGUAGE_SESSION_KEY, None)


@transaction.atomic
def language_set(*, user, language: str, request=None) -> UserPreference:
    """Store ``user``'s language and apply it to every session of theirs now open. Audited."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": _("Choisissez le français ou l'anglais.")})
    preference, _created = UserPreference.objects.get_or_create(user=user)
    preference.language = language
    preference.full_clean()
    preference.save()
    current = None
    if request is not None:
        request.session[LANGUAGE_SESSION_KEY] = language
        current = request.session.session_key
    keys = UserSession.objects.filter(user=user).values_list("session_key", flat=True)
    for key in keys:
        if key != current:
            user_sessions.write_to_session(key, {LANGUAGE_SESSION_KEY: language})
    log_action(
        user, "accounts.language.set", user=user, request=request, data={"language": language}
    )
    return preference
