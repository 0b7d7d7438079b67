"""Tenant associations and accompaniments (collective work: every program role reads them),
through ``projects.selectors``. An accompaniment gives what its list page shows — its notes
and the people met are on the edit page only, for those who may change it."""

import datetime as dt
import uuid

from django.db.models import Prefetch, Sum
from ninja import Query, Router, Schema

from tremplin.housing.models import Building
from tremplin.projects import selectors

from ..auth import scoped
from ..pagination import ListParams, page, page_schema
from ..schemas import fields

router = Router()


class BoardSeatOut(Schema):
    name: str
    role: str


class AssociationMeetingOut(Schema):
    date: dt.date
    kind: str
    attendance: int | None


class AssociationOut(Schema):
    id: uuid.UUID
    name: str
    provider: uuid.UUID
    territory: str
    status: str
    founded_on: dt.date | None
    members: int
    buildings: list[uuid.UUID]
    is_demo: bool
    updated_at: dt.datetime


AssociationPage = page_schema("AssociationPage", AssociationOut)


class AssociationDetailOut(AssociationOut):
    board: list[BoardSeatOut]
    meetings: list[AssociationMeetingOut]


class AccompanimentOut(Schema):
    id: uuid.UUID
    provider: uuid.UUID
    territory: str
    association: uuid.UUID | None
    organizer: str
    themes: list[str]
    start_date: dt.date
    end_date: dt.date | None
    hours_total: float | None
    is_demo: bool
    updated_at: dt.datetime


AccompanimentPage = page_schema("AccompanimentPage", AccompanimentOut)


BUILDINGS = Prefetch("buildings", queryset=Building.objects.only("public_id"))


def association_out(a) -> dict:
    return {
        "id": a.public_id,
        "provider": a.provider.public_id,
        "territory": a.provider.municipality.mrc.territory.slug,
        "buildings": [b.public_id for b in a.buildings.all()],
        **fields(a, "name", "status", "founded_on", "members", "is_demo", "updated_at"),
    }


@router.get("/associations", response=AssociationPage, summary="Associations de locataires")
@scoped("projects:read")
def associations(request, params: Query[ListParams]):
    qs = (
        selectors.associations_for_user(request.user)
        .select_related("provider__municipality__mrc__territory")
        .prefetch_related(BUILDINGS)
    )
    return page(request, qs, params, association_out)


@router.get(
    "/associations/{association_id}",
    response=AssociationDetailOut,
    summary="Une association (conseil d'administration, assemblées)",
)
@scoped("projects:read")
def association(request, association_id: uuid.UUID):
    a = selectors.get_association_for_user(request.user, association_id)
    return {
        **association_out(a),
        "board": [{"name": s.name, "role": s.role} for s in a.board.all()],
        "meetings": [
            {"date": m.date, "kind": m.kind, "attendance": m.attendance} for m in a.meetings.all()
        ],
    }


def accompaniment_out(a) -> dict:
    organizer = a.organizer
    return {
        "id": a.public_id,
        "provider": a.provider.public_id,
        "territory": a.provider.municipality.mrc.territory.slug,
        "association": a.association.public_id if a.association_id else None,
        "organizer": organizer.get_full_name() or organizer.username,
        "themes": list(a.themes or []),
        "hours_total": float(a.hours_total) if a.hours_total is not None else None,
        **fields(a, "start_date", "end_date", "is_demo", "updated_at"),
    }


@router.get("/accompaniments", response=AccompanimentPage, summary="Accompagnements")
@scoped("projects:read")
def accompaniments(request, params: Query[ListParams]):
    """With the hours recorded month by month, added up (as the list page)."""
    qs = (
        selectors.accompaniments_for_user(request.user)
        .select_related("provider__municipality__mrc__territory", "organizer", "association")
        .annotate(hours_total=Sum("hours__hours"))
    )
    return page(request, qs, params, accompaniment_out)
