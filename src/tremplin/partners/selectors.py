"""Reads of partners and funding, always given the user: out of scope is 404."""

from django.db.models import Q
from django.http import Http404

from . import permissions
from .models import Agreement, Commitment, Partner


def _require(user):
    if not permissions.can_read_funding(user):
        raise Http404


def agreements_for_user(user):
    """Agreements the user may read: all for coordination and organizers; for a partner,
    those its organization (or a body under it, or its parent grouping) is party to."""
    _require(user)
    qs = Agreement.objects.all()
    if permissions.is_partner_user(user):
        ids = permissions.user_partner_ids(user)
        qs = qs.filter(
            Q(signatories__in=ids)
            | Q(signatories__parent__in=ids)
            | Q(signatories__children__in=ids)
        ).distinct()
    return qs.order_by("-start_date")


def get_agreement_for_user(user, slug) -> Agreement:
    try:
        return agreements_for_user(user).get(slug=slug)
    except Agreement.DoesNotExist:
        raise Http404 from None


def partners_for_user(user):
    _require(user)
    qs = Partner.objects.select_related("parent")
    if permissions.is_partner_user(user):
        qs = qs.filter(pk__in=permissions.user_partner_ids(user))
    return qs.order_by("name")


def get_partner_for_user(user, public_id) -> Partner:
    try:
        return partners_for_user(user).get(public_id=public_id)
    except (Partner.DoesNotExist, ValueError):
        raise Http404 from None


def get_commitment_for_user(user, public_id) -> Commitment:
    _require(user)
    try:
        commitment = Commitment.objects.select_related("agreement", "partner").get(
            public_id=public_id
        )
    except (Commitment.DoesNotExist, ValueError):
        raise Http404 from None
    if not permissions.can_see_commitment_detail(user, commitment):
        raise Http404
    return commitment


def get_commitment_for_edit(user, public_id) -> Commitment:
    commitment = get_commitment_for_user(user, public_id)
    if not permissions.can_edit_funding(user):
        raise Http404
    return commitment


def partner_summary(user, partner: Partner) -> dict:
    """A partner's commitments across agreements with their totals (per-partner view)."""
    from .funding import ZERO

    commitments = (
        Commitment.objects.filter(partner__in=[partner, *partner.children.all()])
        .select_related("agreement", "partner")
        .prefetch_related("top_ups")
        .order_by("agreement__start_date", "kind", "position")
    )
    if permissions.is_partner_user(user):
        commitments = commitments.filter(partner_id__in=permissions.user_partner_ids(user))
    rows = []
    for c in commitments:
        top = sum((t.amount for t in c.top_ups.all()), ZERO)
        rows.append(
            {
                "commitment": c,
                "initial": c.initial_amount,
                "top_ups": top,
                "total": (c.initial_amount or ZERO) + top,
            }
        )
    return {
        "rows": rows,
        "initial": sum((r["initial"] or ZERO for r in rows), ZERO),
        "top_ups": sum((r["top_ups"] for r in rows), ZERO),
        "total": sum((r["total"] for r in rows), ZERO),
    }
