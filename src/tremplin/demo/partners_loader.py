"""Load the demo partners, agreements, commitments, top-ups and disbursements.

``load_partners`` is idempotent: records are found again by their natural keys (Partner.name,
Agreement.slug, Commitment (agreement, partner, purpose), TopUp (commitment, fiscal year),
Disbursement (commitment, date, description)), so a second run creates nothing. The records are
in ``data/partners.json``: the 2008–2011 agreement and its funding table as in seed 000 (real),
the disbursements and the 2011–2016 agreement invented (see ``data/README.md``).

Like the rest of the demo loader it writes no audit entry (loading the demo is not an action
of anyone), but it keeps the amounts' history the way ``partners.services`` does: each
commitment's initial amount and each top-up gets its ``AmountChange`` row (no user) when it is
created, or when a rerun resets an amount that was changed since. An unchanged rerun writes
no history. Records are validated with ``full_clean`` (a commitment's partner must be party to
its agreement, a top-up must fall within the agreement's period).
"""

import datetime as dt
from collections import Counter
from decimal import Decimal
from functools import partial

from django.contrib.auth import get_user_model
from django.db.models import F

from tremplin.partners.models import (
    Agreement,
    AmountChange,
    Commitment,
    Disbursement,
    Partner,
    TopUp,
)

from .data import read_json
from .rows import demo_row

CREATED_KEYS = ("partners", "agreements", "commitments", "top_ups", "disbursements")

AGREEMENT_FIELDS = (
    "title",
    "short_title",
    "start_date",
    "end_date",
    "objectives",
    "target_clientele",
    "table_notes",
    "status",
    "is_fictitious",
)


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def load_partners(created: Counter | None = None) -> dict:
    """Create or reset the demo partners and agreements; returns a summary of counts.

    Call it inside a transaction, after the demo accounts exist (the ``partenaire`` account is
    linked to its organization).
    """
    created = created if created is not None else Counter()
    data = read_json("partners.json")
    partners = _load_partner_records(data["partners"], created)
    _link_accounts(data["partner_accounts"], partners)
    for spec in data["agreements"]:
        agreement = _load_agreement(spec, partners, created)
        _load_commitments(agreement, spec["commitments"], partners, created)
    slugs = [spec["slug"] for spec in data["agreements"]]
    commitments = Commitment.objects.filter(agreement__slug__in=slugs)
    return {
        "partners": Partner.objects.filter(name__in=[p["name"] for p in data["partners"]]).count(),
        "agreements": Agreement.objects.filter(slug__in=slugs).count(),
        "commitments": commitments.count(),
        "top_ups": TopUp.objects.filter(commitment__in=commitments).count(),
        "disbursements": Disbursement.objects.filter(commitment__in=commitments).count(),
    }


def _load_partner_records(specs: list[dict], created: Counter) -> dict[str, Partner]:
    """``parent`` names a partner listed before."""
    partners: dict[str, Partner] = {}
    for spec in specs:
        values = {
            "short_name": spec["short_name"],
            "kind": spec["kind"],
            "parent": partners[spec["parent"]] if spec["parent"] else None,
            "is_fictitious": False,
        }
        partners[spec["name"]] = demo_row(
            Partner.objects.filter(name=spec["name"]).first(),
            partial(Partner, name=spec["name"]),
            values,
            created,
            "partners",
            demo_only=False,
        )
    return partners


def _link_accounts(specs: list[dict], partners: dict[str, Partner]) -> None:
    users = get_user_model().objects
    for spec in specs:
        user = users.filter(username=spec["username"]).first()
        if user is not None:
            partners[spec["partner"]].users.add(user)  # add() skips an existing link


def _load_agreement(spec: dict, partners: dict[str, Partner], created: Counter) -> Agreement:
    values = {field: spec[field] for field in AGREEMENT_FIELDS}
    values["start_date"] = dt.date.fromisoformat(spec["start_date"])
    values["end_date"] = dt.date.fromisoformat(spec["end_date"])
    agreement = demo_row(
        Agreement.objects.filter(slug=spec["slug"]).first(),
        partial(Agreement, slug=spec["slug"]),
        values,
        created,
        "agreements",
        demo_only=False,
    )
    # One at a time: add(*many) inserts in the order of a set, and the highlights report lists
    # the signatories in the order they were added (the seed's).
    for name in spec["signatories"]:
        agreement.signatories.add(partners[name])
    return agreement


def _history(commitment: Commitment, field: str, before, after) -> None:
    """The same history row ``partners.services`` writes, without a user (the demo)."""
    if before != after:
        AmountChange.objects.create(
            commitment=commitment, user=None, username="", field=field, before=before, after=after
        )


def _load_commitments(
    agreement: Agreement, specs: list[dict], partners: dict[str, Partner], created: Counter
) -> None:
    existing = {
        (c.partner_id, c.purpose): c
        for c in agreement.commitments.all().prefetch_related("top_ups", "disbursements")
    }
    for position, spec in enumerate(specs, start=1):
        partner = partners[spec["partner"]]
        initial = _money(spec["initial"])
        commitment = existing.get((partner.pk, spec["purpose"]))
        if commitment is None:
            commitment = Commitment(
                agreement=agreement,
                partner=partner,
                purpose=spec["purpose"],
                kind=spec["kind"],
                initial_amount=initial,
                position=position,
                version=1,
            )
            commitment.full_clean()
            commitment.save()
            _history(commitment, "initial_amount", None, initial)
            created["commitments"] += 1
            top_ups, disbursements = {}, {}
        else:
            before = commitment.initial_amount
            if (commitment.kind, before, commitment.position) != (spec["kind"], initial, position):
                commitment.kind = spec["kind"]
                commitment.initial_amount = initial
                commitment.position = position
                commitment.version += 1
                commitment.full_clean()
                commitment.save()
                _history(commitment, "initial_amount", before, initial)
            top_ups = {t.fiscal_year: t for t in commitment.top_ups.all()}
            disbursements = {(d.date, d.description): d for d in commitment.disbursements.all()}
        _load_top_ups(commitment, spec["top_ups"], top_ups, created)
        _load_disbursements(commitment, spec["disbursements"], disbursements, created)


def _load_top_ups(commitment: Commitment, data: dict, existing: dict, created: Counter) -> None:
    """``data`` maps a fiscal year (its starting year, as text in JSON) to an amount."""
    specs = {int(year): raw for year, raw in data.items()}
    for fiscal_year, raw in specs.items():
        amount = Decimal(raw)
        top_up = existing.get(fiscal_year)
        if top_up is not None and top_up.amount == amount:
            continue
        before = top_up.amount if top_up else None
        if top_up is None:
            top_up = TopUp(commitment=commitment, fiscal_year=fiscal_year)
            created["top_ups"] += 1
        top_up.amount = amount
        top_up.full_clean()
        top_up.save()
        _history(commitment, f"top_up:{fiscal_year}", before, amount)
        _bump_version(commitment)
    for fiscal_year, top_up in existing.items():
        if fiscal_year not in specs:  # the data has no such top-up: back to the data
            top_up.delete()
            _history(commitment, f"top_up:{fiscal_year}", top_up.amount, None)
            _bump_version(commitment)


def _bump_version(commitment: Commitment) -> None:
    """A top-up changes the commitment: an editor who opened it before must reload."""
    Commitment.objects.filter(pk=commitment.pk).update(version=F("version") + 1)
    commitment.version += 1


def _load_disbursements(
    commitment: Commitment, specs: list, existing: dict, created: Counter
) -> None:
    for spec in specs:
        date, amount = dt.date.fromisoformat(spec["date"]), Decimal(spec["amount"])
        description = spec["description"]
        disbursement = existing.get((date, description))
        if disbursement is None:
            disbursement = Disbursement(
                commitment=commitment, date=date, amount=amount, description=description
            )
            disbursement.full_clean()
            disbursement.save()
            created["disbursements"] += 1
        elif disbursement.amount != amount:
            disbursement.amount = amount
            disbursement.save(update_fields=["amount"])
