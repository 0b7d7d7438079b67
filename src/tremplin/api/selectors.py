"""Reads of access tokens, given the user."""

from django.http import Http404
from django.utils import timezone

from tremplin.accounts.roles import Role

from .models import AccessToken
from .services import hash_token


def _role(user):
    m = getattr(user, "membership", None) if user.is_authenticated else None
    return m.role if m is not None else None


def can_manage_all_tokens(user) -> bool:
    """The coordination sees and revokes every account's tokens."""
    return _role(user) == Role.COORDINATION


def can_see_token_use(user) -> bool:
    """The coordination and the privacy officer see every token and its last use."""
    return _role(user) in {Role.COORDINATION, Role.PRIVACY_OFFICER}


def tokens_of(user):
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


def all_tokens(user):
    if not can_see_token_use(user):
        raise Http404
    return AccessToken.objects.select_related("user", "revoked_by").order_by("-created_at", "-pk")


def get_token_for_revoke(user, public_id) -> AccessToken:
    """The user's own token, or any token for the coordination; 404 otherwise."""
    qs = AccessToken.objects.select_related("user")
    if not can_manage_all_tokens(user):
        qs = qs.filter(user=user)
    try:
        return qs.get(public_id=public_id)
    except (AccessToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def token_from_secret(raw: str) -> AccessToken | None:
    """The active token of this secret (not revoked, not expired, its owner active), else None."""
    if not raw or not raw.startswith("trp_") or len(raw) > 100:
        return None
    token = (
        AccessToken.objects.select_related("user__membership")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token
