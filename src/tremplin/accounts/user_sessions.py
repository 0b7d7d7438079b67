"""Helpers for a user's open sessions: the session store, which sessions are still alive, and
a short description of the device from its user agent. Writes are in ``services.py``."""

from __future__ import annotations

import re
from importlib import import_module
from ipaddress import ip_address

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

# In the session's own data: which UserSession row it is, the key that row holds and when it
# was last refreshed (a Unix time), so that most requests need no query at all.
TRACKING_KEY = "_tremplin_user_session"
# ``last_seen_at`` is refreshed at most this often.
TOUCH_SECONDS = 60

# The first match wins: Edge and Opera announce Chrome too, Chrome announces Safari.
_BROWSERS = (
    ("Edge", r"\bEdg(?:e|A|iOS)?/"),
    ("Opera", r"\b(?:OPR|Opera)/"),
    ("Samsung Internet", r"\bSamsungBrowser/"),
    ("Firefox", r"\b(?:Firefox|FxiOS)/"),
    ("Chrome", r"\b(?:Chrome|CriOS|Chromium)/"),
    ("Safari", r"\bVersion/[\d.]+.*\bSafari/"),
)
_SYSTEMS = (
    ("iPadOS", r"\biPad\b"),
    ("iOS", r"\b(?:iPhone|iPod)\b"),
    ("Android", r"\bAndroid\b"),
    ("ChromeOS", r"\bCrOS\b"),
    ("Windows", r"\bWindows\b"),
    ("macOS", r"\bMac OS X\b|\bMacintosh\b"),
    ("Linux", r"\bLinux\b|\bX11\b"),
)


def _first(table, text: str) -> str | None:
    for name, pattern in table:
        if re.search(pattern, text):
            return name
    return None


def describe_user_agent(user_agent: str) -> str:
    """``Firefox sur Windows``: the browser and the system, as people name them."""
    browser = _first(_BROWSERS, user_agent or "")
    system = _first(_SYSTEMS, user_agent or "")
    if browser and system:
        return _("%(browser)s sur %(system)s") % {"browser": browser, "system": system}
    if browser or system:
        return browser or system
    return _("Appareil inconnu")


def client_ip(request) -> str | None:
    """The address the request came from, as the audit journal records it."""
    value = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ip_address(value))
    except ValueError:
        return None


def store_class():
    """The SessionStore of ``settings.SESSION_ENGINE``."""
    return import_module(settings.SESSION_ENGINE).SessionStore


def live_keys(keys) -> set[str]:
    """The keys among ``keys`` whose session is still in the store and not expired.

    With a database-backed engine (the default ``db``, or ``cached_db``), one query.
    """
    keys = list(keys)
    if not keys:
        return set()
    store = store_class()
    if hasattr(store, "get_model_class"):
        model = store.get_model_class()
        return set(
            model.objects.filter(session_key__in=keys, expire_date__gt=timezone.now()).values_list(
                "session_key", flat=True
            )
        )
    return {key for key in keys if store().exists(key)}


def end_session(session_key: str) -> None:
    """Remove a session from the store: its next request is anonymous."""
    store_class()(session_key).delete()


def write_to_session(session_key: str, values: dict) -> bool:
    """Put ``values`` in another open session's data; False when it no longer exists (a session
    that ended is never brought back). With the ``db`` engine its expiry is kept: writing to an
    idle session must not keep it open longer."""
    from django.contrib.sessions.backends.base import UpdateError

    store = store_class()(session_key)
    store.update(values)  # loads it first; a missing session leaves the store without a key
    if store.session_key is None:
        return False
    if hasattr(store, "get_model_class") and not hasattr(store, "cache_key"):
        rows = store.get_model_class().objects.filter(
            session_key=session_key, expire_date__gt=timezone.now()
        )
        return bool(rows.update(session_data=store.encode(dict(store.items()))))
    try:
        store.save(must_create=False)
    except UpdateError:  # ended in the meantime
        return False
    return True
