"""Who may read and write a case file: the access rule, written once.

Pages, forms, searches and exports all go through these querysets (via ``selectors``):

* a **worker** reads and writes the follow-ups assigned to them (``FollowUp.workers``);
* a **supervisor** reads and writes the follow-ups assigned to the workers of their team
  (the workers whose ``Membership.supervisor`` is them);
* a person's file is visible when at least one of their follow-ups is. A person is never
  created without a follow-up: identity, follow-up consent and first follow-up are one form
  (``services.person_create``), so the worker who creates a file sees it at once;
* a user the person has **barred** (``WorkerBar``) sees nothing of that person, even when
  assigned, and cannot be assigned or get emergency access;
* an active **emergency access** ("bris de verre": written reason, 4 hours, flagged to the
  privacy officer) lets a worker or supervisor *read* one person's whole file, never write;
* everyone else — coordination, organizers, housing managers, partners, researchers, the
  privacy officer (who has their own pages), users without a role — sees nothing: 404.

The resource directory is not personal information: every member reads it; the
coordination and supervisors change it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from tremplin.accounts.models import Membership
from tremplin.accounts.roles import Role, membership_of

from .models import EmergencyAccess, FollowUp, Person, WorkerBar


def membership(user) -> Membership | None:
    """The user's membership, or None for anonymous, inactive or role-less users."""
    return membership_of(user)


def is_caseworker(user) -> bool:
    """Workers and supervisors: the only roles that may open case files."""
    m = membership(user)
    return m is not None and m.can_read_casework


def is_supervisor(user) -> bool:
    m = membership(user)
    return m is not None and m.role == Role.SUPERVISOR


def team_ids(user):
    """Subquery of the user ids of a supervisor's team."""
    return Membership.objects.filter(supervisor=user, role=Role.WORKER).values("user_id")


def _assignments(user, m):
    """Rows of ``FollowUp.workers`` that put a follow-up in ``user``'s load."""
    through = FollowUp.workers.through.objects
    if m.role == Role.SUPERVISOR:
        return through.filter(user_id__in=team_ids(user))
    return through.filter(user_id=user.pk)


def _emergency(user, person_ref):
    return Exists(
        EmergencyAccess.objects.filter(
            user=user, person_id=person_ref, expires_at__gt=timezone.now()
        )
    )


def _barred(user, person_ref):
    return Exists(WorkerBar.objects.filter(worker=user, person_id=person_ref))


# The rules are correlated EXISTS: a file opened by its identifier checks its own few
# assignments through indexes, whatever the number of follow-ups in the database.


def follow_ups_in_scope(user, *, write: bool = False) -> QuerySet[FollowUp]:
    """The follow-ups ``user`` may read (or, with ``write``, change). Empty outside casework."""
    m = membership(user)
    if m is None or not m.can_read_casework:
        return FollowUp.objects.none()
    rule = Exists(_assignments(user, m).filter(followup_id=OuterRef("pk")))
    if not write:
        rule |= _emergency(user, OuterRef("person_id"))
    return FollowUp.objects.filter(
        rule, ~_barred(user, OuterRef("person_id")), person__anonymized_at__isnull=True
    )


def persons_in_scope(user, *, write: bool = False) -> QuerySet[Person]:
    """The persons whose file ``user`` may read (or, with ``write``, add to)."""
    m = membership(user)
    if m is None or not m.can_read_casework:
        return Person.objects.none()
    rule = Exists(_assignments(user, m).filter(followup__person_id=OuterRef("pk")))
    if not write:
        rule |= _emergency(user, OuterRef("pk"))
    return Person.objects.filter(rule, ~_barred(user, OuterRef("pk")), anonymized_at__isnull=True)


def can_write_follow_up(user, follow_up: FollowUp) -> bool:
    """In memory, from the follow-up's workers (prefetch ``workers__membership``)."""
    m = membership(user)
    if m is None or not m.can_read_casework:
        return False
    workers = list(follow_up.workers.all())
    if m.role == Role.SUPERVISOR:
        return any(
            getattr(getattr(w, "membership", None), "supervisor_id", None) == user.pk
            and w.membership.role == Role.WORKER
            for w in workers
        )
    return any(w.pk == user.pk for w in workers)


def assignable_workers(user):
    """Who ``user`` may assign to a follow-up: themselves (a worker) or their team (a
    supervisor). Barred workers are removed per person by the services."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")
    m = membership(user)
    if m is None or not m.can_read_casework:
        return users.none()
    if m.role == Role.SUPERVISOR:
        return users.filter(pk__in=team_ids(user))
    return users.filter(pk=user.pk)


def can_request_emergency_access(user) -> bool:
    return is_caseworker(user)


def can_read_resources(user) -> bool:
    return membership(user) is not None


def can_edit_resources(user) -> bool:
    m = membership(user)
    return m is not None and m.role in {Role.COORDINATION, Role.SUPERVISOR}
