"""Partners, agreements, commitments and the funding table, through ``partners.selectors``
(coordination and organizers: all; a partner: the agreements it is party to, the detail of its
own commitments only; everyone else: 404)."""

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Query, Router, Schema

from tremplin.partners import permissions, selectors
from tremplin.partners.funding import funding_table

from ..auth import scoped
from ..pagination import ListParams, page, page_schema
from ..schemas import fields

router = Router()


class PartnerOut(Schema):
    id: uuid.UUID
    name: str
    short_name: str
    kind: str
    parent: uuid.UUID | None
    website: str
    active: bool
    updated_at: dt.datetime


PartnerPage = page_schema("PartnerPage", PartnerOut)


class AgreementOut(Schema):
    slug: str
    id: uuid.UUID
    title: str
    short_title: str
    start_date: dt.date
    end_date: dt.date
    status: str
    updated_at: dt.datetime


AgreementPage = page_schema("AgreementPage", AgreementOut)


class FundingRowOut(Schema):
    commitment: uuid.UUID | None  # None: the caller may not open that commitment's detail
    partner: str
    purpose: str
    initial: Decimal | None
    top_ups: dict[str, Decimal]
    total: Decimal


class FundingSectionOut(Schema):
    kind: str
    label: str
    rows: list[FundingRowOut]
    initial: Decimal
    top_ups: dict[str, Decimal]
    total: Decimal


class FundingTableOut(Schema):
    agreement: AgreementOut
    signatories: list[str]
    fiscal_years: list[int]
    sections: list[FundingSectionOut]
    initial: Decimal
    top_ups: dict[str, Decimal]
    grand_total: Decimal


class CommitmentOut(Schema):
    id: uuid.UUID
    agreement: str
    partner: uuid.UUID
    purpose: str
    kind: str
    initial_amount: Decimal | None
    top_ups: dict[str, Decimal]
    updated_at: dt.datetime


def partner_out(p) -> dict:
    return {
        "id": p.public_id,
        "parent": p.parent.public_id if p.parent_id else None,
        **fields(p, "name", "short_name", "kind", "website", "active", "updated_at"),
    }


def agreement_out(a) -> dict:
    return {
        "id": a.public_id,
        **fields(
            a, "slug", "title", "short_title", "start_date", "end_date", "status", "updated_at"
        ),
    }


@router.get("/partners", response=PartnerPage, summary="Partenaires")
@scoped("funding:read")
def partners(request, params: Query[ListParams]):
    return page(request, selectors.partners_for_user(request.user), params, partner_out)


@router.get("/agreements", response=AgreementPage, summary="Ententes")
@scoped("funding:read")
def agreements(request, params: Query[ListParams]):
    return page(request, selectors.agreements_for_user(request.user), params, agreement_out)


@router.get(
    "/agreements/{slug}",
    response=FundingTableOut,
    summary="Une entente et son tableau de financement",
)
@scoped("funding:read")
def agreement(request, slug: str):
    """The funding table as on the agreement's page (the same ``partners.funding`` rows)."""
    a = selectors.get_agreement_for_user(request.user, slug)
    table = funding_table(a)
    years = [c.fiscal_year for c in table.columns]
    sections = []
    for s in table.sections:
        rows = [
            {
                "commitment": r.commitment.public_id
                if permissions.can_see_commitment_detail(request.user, r.commitment)
                else None,
                "top_ups": {str(y): v for y, v in r.top_ups.items()},
                **fields(r, "partner", "purpose", "initial", "total"),
            }
            for r in s.rows
        ]
        sections.append(
            {
                "rows": rows,
                "top_ups": {str(y): s.top_up(y) for y in years},
                **fields(s, "kind", "label", "initial", "total"),
            }
        )
    return {
        "agreement": agreement_out(a),
        "signatories": [p.name for p in a.signatories.order_by("name")],
        "fiscal_years": years,
        "sections": sections,
        "initial": table.initial,
        "top_ups": {str(y): table.top_up(y) for y in years},
        "grand_total": table.grand_total,
    }


@router.get("/commitments/{commitment_id}", response=CommitmentOut, summary="Un engagement")
@scoped("funding:read")
def commitment(request, commitment_id: uuid.UUID):
    c = selectors.get_commitment_for_user(request.user, commitment_id)
    return {
        "id": c.public_id,
        "agreement": c.agreement.slug,
        "partner": c.partner.public_id,
        "top_ups": {str(t.fiscal_year): t.amount for t in c.top_ups.order_by("fiscal_year")},
        **fields(c, "purpose", "kind", "initial_amount", "updated_at"),
    }
