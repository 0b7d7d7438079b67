"""The lift of a worker's bulk-read bar: validated, saved and logged in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action

from ..reasons import checked_reason
from ..selectors import hourly_file_limit
from . import selectors
from .models import BulkReadLift

LIFTED = "casework.bulk_read.lifted"


def max_extra_files() -> int:
    """A lift adds at most the hourly limit itself: a bar lifted twice needs a second reason."""
    return max(1, hourly_file_limit())


def bulk_read_lift(*, user, worker, reason: str, extra_files: int, request=None) -> BulkReadLift:
    """Let ``worker`` open ``extra_files`` more distinct files during the next hour.

    ``user`` must be their supervisor or the privacy officer (404 otherwise, like the page).
    The journal entry holds the reason, the number of files and the time it runs until; it is
    flagged for the privacy officer.
    """
    if not selectors.liftable_users(user).filter(pk=worker.pk).exists():
        raise Http404
    reason = checked_reason(reason, _("Indiquez la raison de la levée du blocage."))
    top = max_extra_files()
    if not 1 <= int(extra_files) <= top:
        raise ValidationError(
            {"extra_files": _("Indiquez un nombre de dossiers entre 1 et %(n)s.") % {"n": top}}
        )
    now = timezone.now()
    with transaction.atomic():
        lift = BulkReadLift(
            worker=worker,
            lifted_by=user,
            reason=reason,
            extra_files=int(extra_files),
            expires_at=now + selectors.WINDOW,
        )
        lift.full_clean()
        lift.save()
        log_action(
            lift,
            LIFTED,
            user=user,
            request=request,
            data={
                "worker": worker.username,
                "reason": reason,
                "extra_files": lift.extra_files,
                "until": timezone.localtime(lift.expires_at).isoformat(timespec="minutes"),
                "files_last_hour": selectors.files_last_hour(worker),
                "flag": True,
            },
        )
    return lift
