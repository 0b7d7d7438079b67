"""Per-address rate limiting of public forms, on Django's cache (fixed windows).

The cache must be shared by every server process for the limit to hold as configured: with
the default per-process ``LocMemCache`` each gunicorn worker keeps its own count (the limit is
multiplied by the number of workers). A ``DatabaseCache`` or Redis/Memcached shares it.
Addresses are hashed in the keys: the cache never holds a visitor's IP address.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = 20  # registrations per address and window: a tenant association's office
DEFAULT_WINDOW = 3600  # registering a dozen members from one address must still work


def client_address(request) -> str:
    """The visitor's address as the server sees it.

    Behind a reverse proxy, the proxy must pass the client's address as ``REMOTE_ADDR``
    (e.g. gunicorn with ``--forwarded-allow-ips`` and a trusted ``X-Forwarded-For``); a header
    the client can set itself is never trusted here.
    """
    return request.META.get("REMOTE_ADDR") or "unknown"


def allow(scope: str, request, *, limit: int | None = None, window: int | None = None) -> bool:
    """Count one attempt of ``scope`` from the request's address; False once over the limit."""
    limit = limit or getattr(settings, "TREMPLIN_REGISTRATION_RATE_LIMIT", DEFAULT_LIMIT)
    window = window or getattr(settings, "TREMPLIN_REGISTRATION_RATE_WINDOW", DEFAULT_WINDOW)
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY[:16]}|{client_address(request)}".encode()
    ).hexdigest()[:32]
    key = f"tremplin:rate:{scope}:{digest}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 60):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window + 60)
            count = 1
    return count <= limit
