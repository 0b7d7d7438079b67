"""Reads on accounts for the profile page: always given the user, 404 for what is not theirs."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from . import user_sessions
from .models import UserSession
from .services import current_session_id


@dataclass(frozen=True)
class OpenSession:
    """A row of the profile's session list."""

    public_id: str
    device: str
    user_agent: str
    ip_address: str | None
    created_at: object
    last_seen_at: object
    is_current: bool


def open_sessions(user, request) -> list[OpenSession]:
    """``user``'s sessions still open (in the store and not expired), the current one first,
    then by last activity. Two queries whatever their number."""
    rows = list(UserSession.objects.filter(user=user))
    live = user_sessions.live_keys(row.session_key for row in rows)
    current_key, current_id = request.session.session_key, current_session_id(request)
    sessions = [
        OpenSession(
            public_id=str(row.public_id),
            device=user_sessions.describe_user_agent(row.user_agent),
            user_agent=row.user_agent,
            ip_address=row.ip_address,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            is_current=row.session_key == current_key or row.pk == current_id,
        )
        for row in rows
        if row.session_key in live or row.session_key == current_key or row.pk == current_id
    ]
    return sorted(sessions, key=lambda s: not s.is_current)


def get_open_session(user, public_id) -> UserSession:
    """One of ``user``'s sessions; 404 for anyone else's (or one that no longer exists)."""
    return get_object_or_404(UserSession, user=user, public_id=public_id)
