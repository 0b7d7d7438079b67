"""Rate limits of the subscription form, on Django's cache (fixed windows).

Two limits: per client address (someone scripting the form), and per email address (someone
using the form to flood a third party's mailbox with confirmation requests). Keys hold hashes,
never the addresses themselves. With the default per-process ``LocMemCache`` each server process
counts on its own; a shared cache (database, Redis, Memcached) makes the limits exact.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

# Per client address: a community office signing up a dozen people at an event still passes.
ADDRESS_LIMIT = 20
ADDRESS_WINDOW = 3600
# Per email address: at most this many confirmation emails a day to one mailbox.
EMAIL_LIMIT = 3
EMAIL_WINDOW = 24 * 3600


def client_address(request) -> str:
    """The address the server sees (the reverse proxy must set REMOTE_ADDR; headers that the
    client controls are not trusted here)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _hit(scope: str, identity: str, limit: int, window: int) -> bool:
    digest = hashlib.sha256(f"{settings.SECRET_KEY[:16]}|{identity}".encode()).hexdigest()[:32]
    key = f"tremplin:newsletter:{scope}:{digest}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 60):
        return 1 <= limit
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window + 60)
        count = 1
    return count <= limit


def allow_address(request) -> bool:
    limit = getattr(settings, "TREMPLIN_SUBSCRIBE_RATE_LIMIT", ADDRESS_LIMIT)
    return _hit("address", client_address(request), limit, ADDRESS_WINDOW)


def allow_email(email: str) -> bool:
    limit = getattr(settings, "TREMPLIN_SUBSCRIBE_EMAIL_LIMIT", EMAIL_LIMIT)
    return _hit("email", email.lower(), limit, EMAIL_WINDOW)
