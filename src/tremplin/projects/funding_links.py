"""Reads of funding commitments for projects: which commitments a user may allocate from, what
each commitment holds, what projects already took from it, and who sees the amounts.

What would otherwise be a new selector in ``partners``: it reads commitments only through
``partners.selectors`` (scope, 404) and ``partners.permissions``, and adds what only projects
know (the allocations, ``ProjectFunding``).

A commitment holds its initial amount plus its top-ups (the funding table's « total »). The sum
of the amounts allocated to projects from a commitment never exceeds it; a commitment that is
not quantified (a contribution in services without an amount) only takes links of 0 $.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tremplin.core.formatting import exact_money
from tremplin.partners import permissions as funding_permissions
from tremplin.partners import selectors as funding_selectors
from tremplin.partners.models import Commitment, TopUp

from .models import ProjectFunding

ZERO = Decimal("0")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum_of(queryset, field: str):
    """A correlated ``SUM(field)`` per commitment, 0 when there is none."""
    totals = queryset.order_by().values("commitment").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(totals, output_field=_MONEY), Value(ZERO, output_field=_MONEY))


def _with_balances(commitments):
    """Annotate ``top_up_total`` and ``allocated`` (to projects), in the same query."""
    return commitments.annotate(
        top_up_total=_sum_of(TopUp.objects.filter(commitment=OuterRef("pk")), "amount"),
        allocated=_sum_of(ProjectFunding.objects.filter(commitment=OuterRef("pk")), "amount"),
    )


def commitments_for_user(user):
    """Commitments of the agreements the user reads (404 without funding access), each with
    ``top_up_total`` and ``allocated``; ``held(c)`` and ``remaining(c)`` read them."""
    agreements = funding_selectors.agreements_for_user(user)
    commitments = Commitment.objects.filter(agreement__in=agreements.order_by().values("pk"))
    if funding_permissions.is_partner_user(user):
        commitments = commitments.filter(partner_id__in=funding_permissions.user_partner_ids(user))
    return _with_balances(commitments.select_related("agreement", "partner")).order_by(
        "-agreement__start_date", "kind", "position", "id"
    )


def held(commitment) -> Decimal:
    """What the commitment holds: its initial amount and its top-ups (needs ``top_up_total``)."""
    return (commitment.initial_amount or ZERO) + commitment.top_up_total


def remaining(commitment) -> Decimal:
    return held(commitment) - commitment.allocated


def overdrawn(commitments) -> list:
    """The commitments of a queryset whose allocations to projects exceed what they hold
    (bulk loaders check their rows with it: they bypass ``check_allocation``)."""
    return [c for c in _with_balances(commitments) if c.allocated > held(c)]


def is_quantified(commitment) -> bool:
    return commitment.initial_amount is not None or commitment.top_up_total > ZERO


def check_allocation(commitment, amount: Decimal, *, project) -> None:
    """Refuse an allocation that would take the commitment's allocations above what it holds.

    ``amount`` replaces the project's earlier allocation from this commitment, if any. Call it
    in the transaction that saves the allocation, after ``lock_commitment``.
    """
    current = _with_balances(Commitment.objects.filter(pk=commitment.pk)).get()
    others = (
        ProjectFunding.objects.filter(commitment=commitment)
        .exclude(project=project)
        .aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    if others + amount <= held(current):
        return
    if not is_quantified(current):
        message = _(
            "L'engagement « %(commitment)s » n'est pas chiffré : on peut y lier le projet, "
            "mais avec un montant de 0 $."
        ) % {"commitment": current}
    elif others == ZERO:
        message = _(
            "Ce montant dépasse l'engagement « %(commitment)s », qui est de %(held)s en tout."
        ) % {"commitment": current, "held": exact_money(held(current))}
    else:
        message = _(
            "Ce montant dépasse ce qui reste de l'engagement « %(commitment)s » : "
            "%(held)s engagés, dont %(others)s déjà imputés à d'autres projets ; "
            "il reste %(left)s."
        ) % {
            "commitment": current,
            "held": exact_money(held(current)),
            "others": exact_money(others),
            "left": exact_money(max(held(current) - others, ZERO)),
        }
    raise ValidationError({"amount": message}, code="over_commitment")


def lock_commitment(commitment) -> None:
    """Hold the commitment's row until the transaction ends, so that two allocations saved at
    the same moment cannot both pass ``check_allocation`` (PostgreSQL; SQLite writes one at a
    time anyway)."""
    list(Commitment.objects.select_for_update().filter(pk=commitment.pk).values("pk"))


def project_funding_for_user(user, project) -> dict:
    """A project's funding as the user may see it.

    Everyone who reads the project sees where its money comes from (partner, commitment,
    agreement). Amounts: only for users who read funding, and for a partner only those of
    agreements its organization is party to (the funding tables it reads). ``total`` is
    ``None`` unless every amount is visible. ``can_open``: the commitment's page is open to
    the user.
    """
    rows = list(
        ProjectFunding.objects.filter(project=project)
        .select_related("commitment__partner", "commitment__agreement")
        .order_by("commitment__agreement__start_date", "commitment__position", "id")
    )
    readable = set()
    if rows and funding_permissions.can_read_funding(user):
        readable = set(funding_selectors.agreements_for_user(user).values_list("pk", flat=True))
    for row in rows:
        row.show_amount = row.commitment.agreement_id in readable
        row.can_open = row.show_amount and funding_permissions.can_see_commitment_detail(
            user, row.commitment
        )
    visible = all(row.show_amount for row in rows)
    return {
        "rows": rows,
        "show_amounts": bool(rows) and any(row.show_amount for row in rows),
        "total": sum((row.amount for row in rows), ZERO) if rows and visible else None,
    }
