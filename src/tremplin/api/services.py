"""Writes of access tokens: create, revoke, record a use. Each is audited."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action

from . import scopes as scope_list
from .models import AccessToken

TOKEN_PREFIX = "trp_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = len(TOKEN_PREFIX) + 8  # shown: "trp_" and 8 characters of the secret
MAX_DAYS = 366  # "at most one year", a leap year included
DEFAULT_DAYS = 90
# Last use is written at most this often per token, so a sync of many pages is not a write each.
TOUCH_SECONDS = 60


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _clean_scopes(user, requested) -> list[str]:
    chosen = list(dict.fromkeys(requested or []))
    if not chosen:
        raise ValidationError(_("Choisissez au moins une portée."))
    unknown = [s for s in chosen if s not in scope_list.SCOPES]
    if unknown:
        raise ValidationError(_("Portée inconnue : %(scopes)s.") % {"scopes": ", ".join(unknown)})
    refused = [s for s in chosen if not scope_list.is_allowed(user, s)]
    if refused:
        raise ValidationError(
            _("Le rôle de ce compte ne donne pas la portée : %(scopes)s.")
            % {"scopes": ", ".join(refused)}
        )
    # Kept in the fixed order, whatever the order asked.
    return [s for s in scope_list.SCOPES if s in chosen]


def token_create(
    *, user, name: str, scopes: list[str], days: int = DEFAULT_DAYS, by=None, request=None
) -> tuple[AccessToken, str]:
    """Make a token for ``user``; returns it and its secret, which is never stored nor shown
    again. Refused (``ValidationError``) without a name, with an expiry over a year, or with
    a scope that ``user``'s role does not give (casework: not without an authenticator app)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Donnez un nom au jeton (par exemple : « Power BI »)."))
    if not isinstance(days, int) or days < 1 or days > MAX_DAYS:
        raise ValidationError(_("L'expiration doit être de 1 à %(max)d jours.") % {"max": MAX_DAYS})
    clean = _clean_scopes(user, scopes)
    with transaction.atomic():
        while True:
            raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
            prefix = raw[:PREFIX_LENGTH]
            if not AccessToken.objects.filter(prefix=prefix).exists():
                break
        token = AccessToken(
            user=user,
            name=name[:100],
            prefix=prefix,
            key_hash=hash_token(raw),
            scopes=clean,
            expires_at=timezone.now() + dt.timedelta(days=days),
            created_by=by or user,
        )
        token.full_clean()
        token.save()
        log_action(
            token,
            "api.token.create",
            user=by or user,
            request=request,
            data={
                "token": prefix,
                "owner": user.username,
                "scopes": clean,
                "expires_at": token.expires_at.isoformat(),
            },
        )
    return token, raw


def token_revoke(*, token: AccessToken, by, request=None) -> AccessToken:
    """Revoke ``token`` (at once: the next call with it is a 401). Revoking twice does nothing."""
    with transaction.atomic():
        locked = AccessToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = by
            locked.save(update_fields=["revoked_at", "revoked_by"])
            log_action(
                locked,
                "api.token.revoke",
                user=by,
                request=request,
                data={"token": locked.prefix, "owner": locked.user.username},
            )
    return locked


def token_touch(*, token: AccessToken, ip: str | None) -> None:
    """Record the last use (time and address), at most once a minute unless the address
    changed."""
    now = timezone.now()
    recent = token.last_used_at and (now - token.last_used_at).total_seconds() < TOUCH_SECONDS
    if recent and token.last_used_ip == ip:
        return
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
    token.last_used_at, token.last_used_ip = now, ip
