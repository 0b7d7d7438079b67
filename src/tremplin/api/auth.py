"""Who calls: a personal access token (``Authorization: Bearer trp_…``), and what it may do.

The token's owner becomes ``request.user`` for the call, so every selector and service sees
the same user as on the pages; ``request.api_token`` says which token (the audit journal
records it). ``scoped(scope)`` guards each operation: the token must carry the scope (else
403) and the owner's role must still give it (else 404, as on the web for a role without that
part of the program) — asked at each call, so a user who loses a role loses it through their
tokens too.
"""

import functools

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import translation
from ninja.security import HttpBearer

from tremplin.core import ratelimit

from . import scopes as scope_list
from .problems import BodyTooLargeError, MissingScopeError, RateLimitedError, language_of
from .selectors import token_from_secret
from .services import token_touch

DEFAULT_MAX_BODY = 64 * 1024  # bytes (TREMPLIN_API_MAX_BODY_BYTES)


def _rate_check(scope: str, identity: str) -> None:
    """A fixed one-minute window per token or address (core.ratelimit); 429 with the seconds
    left."""
    verdict = ratelimit.hit(scope, identity)
    if not verdict.allowed:
        raise RateLimitedError(verdict.retry_after)


def _body_check(request) -> None:
    limit = int(getattr(settings, "TREMPLIN_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise BodyTooLargeError(limit)


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class TokenAuth(HttpBearer):
    """A valid token is required (401 otherwise)."""

    def __call__(self, request):
        _body_check(request)
        return super().__call__(request)

    def authenticate(self, request, token):
        found = token_from_secret(token.strip())
        if found is None:
            return None
        _rate_check("api.token", f"t{found.pk}")
        token_touch(token=found, ip=_ip(request))
        request.user = found.user
        request.api_token = found
        return found


class PublicAuth(TokenAuth):
    """Public data: a token is optional, but a token sent must be valid (401 otherwise)."""

    def __call__(self, request):
        if not request.headers.get("Authorization"):
            _body_check(request)
            _rate_check("api.anonymous", ratelimit.client_address(request))
            request.user = AnonymousUser()
            request.api_token = None
            return "anonymous"
        return super().__call__(request)


def has_scope(request, scope: str) -> bool:
    token = getattr(request, "api_token", None)
    return (
        token is not None and scope in token.scopes and scope_list.is_allowed(request.user, scope)
    )


def require_scope(request, scope: str) -> None:
    token = getattr(request, "api_token", None)
    if token is None or scope not in token.scopes:
        raise MissingScopeError(scope)
    if not scope_list.is_allowed(request.user, scope):
        raise Http404


def scoped(scope: str | None):
    """Decorator of an operation: checks the scope (``None``: public, no scope needed) and
    answers in the caller's language. Adds the scope to the operation's description."""
    assert scope is None or scope in scope_list.SCOPES, scope

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if scope is not None:
                require_scope(request, scope)
            with translation.override(language_of(request)):
                return view(request, *args, **kwargs)

        note = (
            f"Portée : `{scope}`."
            if scope
            else "Public : sans jeton (un jeton envoyé doit être valide)."
        )
        wrapper.__doc__ = ((view.__doc__ or "").strip() + "\n\n" + note).strip()
        wrapper.api_scope = scope
        return wrapper

    return decorate
