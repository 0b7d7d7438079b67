"""Per-address rate limiting of answer submissions, on Django's cache (fixed windows).

The cache must be shared by every server process for the limit to hold as configured (a
``DatabaseCache`` or Redis/Memcached; the default per-process ``LocMemCache`` multiplies it by
the number of workers). Addresses are hashed in the keys: nothing of a respondent's address is
kept, not even in the cache.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

# A building's residents may share one Internet connection (and a common-room tablet answers
# for many people, hence its own, higher limit).
ONLINE_LIMIT = 30
TABLET_LIMIT = 240
WINDOW = 3600


def allow(scope: str, request, *, limit: int, window: int = WINDOW) -> bool:
    """Count one attempt of ``scope`` from the request's address; False once over the limit."""
    address = request.META.get("REMOTE_ADDR") or "unknown"
    digest = hashlib.sha256(f"{settings.SECRET_KEY[:16]}|{address}".encode()).hexdigest()[:32]
    key = f"tremplin:surveys:rate:{scope}:{digest}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 60):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window + 60)
        count = 1
    return count <= limit


def limits() -> tuple[int, int]:
    return (
        getattr(settings, "TREMPLIN_SURVEY_RATE_LIMIT", ONLINE_LIMIT),
        getattr(settings, "TREMPLIN_SURVEY_TABLET_RATE_LIMIT", TABLET_LIMIT),
    )
