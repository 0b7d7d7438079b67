"""Rate limits, one module for every scope: fixed windows counted in Django's cache.

A scope names what is counted (``events.registration``: registrations per client address), its
limit and its window, and the setting that changes the limit (or the window) in a deployment.
Every scope is in ``SCOPES`` below: the rules are read here, not in the apps.

The cache must be shared by every server process for a limit to hold as set: ``CACHE_URL``
(settings) names Redis or the database cache; the default per-process ``LocMemCache`` counts
in each gunicorn worker alone (one server process only: the demo and the tests). Identities
(addresses, e-mail addresses, token ids) are hashed in the keys: the cache never holds a
visitor's address.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Scope:
    name: str
    limit: int  # attempts per window
    window: int  # seconds
    limit_setting: str = ""  # settings name overriding the limit
    window_setting: str = ""  # settings name overriding the window

    def current_limit(self) -> int:
        return int(
            getattr(settings, self.limit_setting, self.limit) if self.limit_setting else self.limit
        )

    def current_window(self) -> int:
        if not self.window_setting:
            return self.window
        return int(getattr(settings, self.window_setting, self.window))


HOUR = 3600
SCOPES = {
    scope.name: scope
    for scope in (
        # A tenant association's office registering a dozen members from one address still passes.
        Scope(
            "events.registration",
            20,
            HOUR,
            "TREMPLIN_REGISTRATION_RATE_LIMIT",
            "TREMPLIN_REGISTRATION_RATE_WINDOW",
        ),
        # Subscription form: per client address (someone scripting the form)…
        Scope("newsletter.subscribe", 20, HOUR, "TREMPLIN_SUBSCRIBE_RATE_LIMIT"),
        # …and per e-mail address (flooding a third party's mailbox with confirmations).
        Scope("newsletter.confirmation", 3, 24 * HOUR, "TREMPLIN_SUBSCRIBE_EMAIL_LIMIT"),
        # Survey answers per campaign and address: a building's residents may share one
        # connection; a common-room tablet answers for many people, hence its own limit.
        Scope("surveys.answer", 30, HOUR, "TREMPLIN_SURVEY_RATE_LIMIT"),
        Scope("surveys.answer.tablet", 240, HOUR, "TREMPLIN_SURVEY_TABLET_RATE_LIMIT"),
        # The API: per token, and per address for the public operations without a token.
        Scope("api.token", 300, 60, "TREMPLIN_API_RATE_PER_MINUTE"),
        Scope("api.anonymous", 60, 60, "TREMPLIN_API_ANONYMOUS_RATE_PER_MINUTE"),
    )
}


class Verdict(NamedTuple):
    allowed: bool
    count: int  # attempts in the current window, this one included
    retry_after: int  # seconds until the window ends


def client_address(request) -> str:
    """The visitor's address as the server sees it.

    Behind a reverse proxy, the proxy must pass the client's address as ``REMOTE_ADDR``
    (docs/deployment.md); a header the client can set itself is never trusted here.
    """
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(scope: str, identity: str) -> Verdict:
    """Count one attempt of ``identity`` (an address, an e-mail address, a token…) in ``scope``."""
    rule = SCOPES[scope]
    limit, window = rule.current_limit(), rule.current_window()
    now = time.time()
    digest = hashlib.sha256(f"{settings.SECRET_KEY[:16]}|{identity}".encode()).hexdigest()[:32]
    key = f"tremplin:rate:{scope}:{digest}:{int(now // window)}"
    if cache.add(key, 1, timeout=window + 60):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window + 60)
            count = 1
    return Verdict(count <= limit, count, max(1, int(window - now % window)))


def allow(scope: str, request, *, within: str = "") -> bool:
    """Count one attempt of ``scope`` from the request's address (``within`` narrows the count,
    e.g. to one survey campaign); False once over the limit."""
    identity = client_address(request)
    return hit(scope, f"{within}|{identity}" if within else identity).allowed
