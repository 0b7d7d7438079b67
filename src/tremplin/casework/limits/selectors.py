"""Who may lift whose bulk-read bar, and who is blocked or near the limit.

* a **supervisor** lifts the bar of the workers of their team (``Membership.supervisor``,
  the rule of ``casework.permissions.team_ids``);
* the **privacy officer** lifts anyone's (workers, supervisors, other privacy officers: the
  roles whose reads count), except their own (a bar one lifts oneself is no bar; another
  privacy officer may lift it, or it passes with the hour);
* everyone else: 404.

Counts come from the audit journal like ``selectors.guard_bulk_read``: distinct persons'
files opened or exported in the last hour.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from tremplin.accounts.roles import Role
from tremplin.audit.models import AuditEntry

from .. import permissions
from ..selectors import FILE_READ_ACTIONS, hourly_file_limit
from .models import BulkReadLift

WINDOW = dt.timedelta(hours=1)
BLOCKABLE_ROLES = (Role.WORKER, Role.SUPERVISOR, Role.PRIVACY_OFFICER)
# Shown from this share of the limit on, so that a supervisor sees a bar coming.
NEAR_SHARE = 0.8
# A page, not a report: the busiest readers first.
LIST_LIMIT = 200


def can_lift(user) -> bool:
    m = permissions.membership(user)
    return m is not None and (m.is_privacy_officer or permissions.is_supervisor(user))


def liftable_users(user) -> QuerySet:
    """The users whose bar ``user`` may lift; 404 for the roles that may lift none."""
    if not can_lift(user):
        raise Http404
    users = get_user_model().objects.filter(is_active=True)
    if permissions.membership(user).is_privacy_officer:
        # Only the roles whose reads count (case files, access requests) can be blocked.
        return users.filter(membership__role__in=BLOCKABLE_ROLES).exclude(pk=user.pk)
    return users.filter(pk__in=permissions.team_ids(user))


def get_liftable_user(user, pk):
    """One user whose bar ``user`` may lift, else 404 (out of scope, unknown or invalid)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = liftable_users(user).select_related("membership").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def near_threshold(limit: int) -> int:
    return max(1, math.ceil(limit * NEAR_SHARE))


def files_last_hour(worker) -> int:
    """Distinct persons' files ``worker`` opened or exported in the last hour."""
    return (
        AuditEntry.objects.filter(
            user=worker, at__gte=timezone.now() - WINDOW, action__in=FILE_READ_ACTIONS
        )
        .values("subject_id")
        .distinct()
        .count()
    )


@dataclass
class Reader:
    user: object
    files: int
    allowance: int
    lifted_files: int
    lifted_until: dt.datetime | None

    @property
    def blocked(self) -> bool:
        """The next new file would be refused."""
        return self.files >= self.allowance


def readers_near_limit(user) -> list[Reader]:
    """The users in ``user``'s scope blocked or near the limit (or with a lift running), the
    most files first. Three queries (lifts, counts, users) whatever the number of users or journal rows."""
    scope = liftable_users(user)
    limit = hourly_file_limit()
    now = timezone.now()
    lifts = {
        row["worker_id"]: row
        for row in BulkReadLift.objects.filter(worker__in=scope, expires_at__gt=now)
        .values("worker_id")
        .annotate(extra=Sum("extra_files"), until=Max("expires_at"))
        .order_by()
    }
    counts = {
        row["user_id"]: row["files"]
        for row in AuditEntry.objects.filter(
            user__in=scope, at__gte=now - WINDOW, action__in=FILE_READ_ACTIONS
        )
        .values("user_id")
        .annotate(files=Count("subject_id", distinct=True))
        .filter(Q(files__gte=near_threshold(limit)) | Q(user_id__in=list(lifts)))
        .order_by("-files", "user_id")[:LIST_LIMIT]
    }
    ids = set(counts) | set(lifts)
    users = get_user_model().objects.filter(pk__in=ids).select_related("membership")
    readers = []
    for u in users:
        lift = lifts.get(u.pk) or {"extra": 0, "until": None}
        readers.append(
            Reader(
                user=u,
                files=counts.get(u.pk, 0),
                allowance=limit + lift["extra"],
                lifted_files=lift["extra"],
                lifted_until=lift["until"],
            )
        )
    readers.sort(key=lambda r: (not r.blocked, -r.files, r.user.username))
    return readers


def reader_of(worker) -> Reader:
    """One user's row, for a worker named in the form but no longer near the limit."""
    now = timezone.now()
    lift = BulkReadLift.objects.filter(worker=worker, expires_at__gt=now).aggregate(
        extra=Sum("extra_files"), until=Max("expires_at")
    )
    extra = lift["extra"] or 0
    return Reader(
        user=worker,
        files=files_last_hour(worker),
        allowance=hourly_file_limit() + extra,
        lifted_files=extra,
        lifted_until=lift["until"],
    )
