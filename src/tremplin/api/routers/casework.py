"""Individual support for the roles that hold it (workers and supervisors, with an
authenticator app): the caller's caseload, a person's file, interventions. Reads go through
``casework.selectors`` — so a file outside the caller's scope is a 404 logged as a forbidden
attempt, and opening a file writes the same audit rows as the page (naming the token) and
counts toward the hourly bulk-read limit (429 past it). Writes go through
``casework.services.intervention_add``."""

import datetime as dt
import uuid

from ninja import Field, Query, Router, Schema

from tremplin.casework import permissions, selectors, services
from tremplin.casework.models import Intervention, InterventionMode, InterventionType

from .. import idempotency
from ..auth import scoped
from ..pagination import ListParams, page, page_schema
from ..schemas import StrictSchema, fields

router = Router()


class CaseOut(Schema):
    follow_up: uuid.UUID
    person: uuid.UUID
    first_name: str
    last_name: str
    status: str
    started_on: dt.date
    next_step_on: dt.date | None
    last_intervention_on: dt.date | None
    intervention_count: int
    territory: str
    updated_at: dt.datetime


CasePage = page_schema("CasePage", CaseOut)


class InterventionOut(Schema):
    id: uuid.UUID
    follow_up: uuid.UUID
    occurred_on: dt.date
    type: str
    mode: str
    duration_minutes: int | None
    note: str
    next_step: str
    next_step_on: dt.date | None


class FollowUpOut(Schema):
    id: uuid.UUID
    status: str
    started_on: dt.date
    closed_on: dt.date | None
    reasons: str
    goals: str
    next_step_on: dt.date | None
    writable: bool
    interventions: list[InterventionOut]


class ConsentOut(Schema):
    id: uuid.UUID
    kind: str
    organization: str
    given_on: dt.date
    withdrawn_on: dt.date | None


class PersonOut(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str
    birth_year: int | None
    building: uuid.UUID | None
    unit: str
    phone: str
    preferred_language: str
    consents: list[ConsentOut]
    follow_ups: list[FollowUpOut]
    other_follow_ups: int
    emergency_access: bool


class CaseParams(ListParams):
    status: str = Field("open", pattern="^(open|closed|all)$")


class InterventionIn(StrictSchema):
    follow_up: uuid.UUID
    occurred_on: dt.date
    type: InterventionType
    mode: InterventionMode
    duration_minutes: int | None = Field(None, ge=1, le=24 * 60)
    note: str = Field("", max_length=20000)
    next_step: str = Field("", max_length=20000)
    next_step_on: dt.date | None = None


INTERVENTION_FIELDS = (
    "occurred_on", "type", "mode", "duration_minutes", "note", "next_step", "next_step_on",
)  # fmt: skip


def intervention_out(i, follow_up=None) -> dict:
    """``follow_up``: the follow-up's public id when the caller holds it (else read through the
    intervention)."""
    return {
        "id": i.public_id,
        "follow_up": follow_up or i.follow_up.public_id,
        **fields(i, *INTERVENTION_FIELDS),
    }


@router.get("/caseload", response=CasePage, summary="Ma charge de cas")
@scoped("casework:read")
def caseload(request, params: Query[CaseParams]):
    """The caller's follow-ups (a supervisor: the team's), as on the caseload page; it opens
    no file (the person's file is ``/casework/persons/{id}``)."""
    qs = selectors.caseload(request.user, status=params.status)
    return page(
        request,
        qs,
        params,
        lambda f: {
            "follow_up": f.public_id,
            "person": f.person.public_id,
            "first_name": f.person.first_name,
            "last_name": f.person.last_name,
            "territory": f.territory.slug,
            **fields(
                f,
                "status",
                "started_on",
                "next_step_on",
                "last_intervention_on",
                "intervention_count",
                "updated_at",
            ),
        },
    )


@router.get("/persons/{person_id}", response=PersonOut, summary="Le dossier d'une personne")
@scoped("casework:read")
def person(request, person_id: uuid.UUID):
    """Logged as a read of the file (``casework.person.read``, with ``api_token``) and counted
    toward the hourly limit, like the page."""
    f = selectors.open_person_file(request.user, person_id, request=request)
    p = f.person
    return {
        "id": p.public_id,
        "building": p.building.public_id if p.building_id else None,
        **fields(p, "first_name", "last_name", "birth_year", "unit", "phone", "preferred_language"),
        "consents": [
            {
                "id": c.public_id,
                **fields(c, "kind", "organization", "given_on", "withdrawn_on"),
            }
            for c in f.consents
        ],
        "follow_ups": [
            {
                "id": fu.public_id,
                **fields(
                    fu,
                    "status",
                    "started_on",
                    "closed_on",
                    "reasons",
                    "goals",
                    "next_step_on",
                    "writable",
                ),
                "interventions": [intervention_out(i, fu.public_id) for i in fu.intervention_list],
            }
            for fu in f.follow_ups
        ],
        "other_follow_ups": f.other_follow_ups,
        "emergency_access": f.emergency is not None,
    }


@router.post("/interventions", response={201: InterventionOut}, summary="Ajouter une intervention")
@scoped("casework:write")
def intervention_create(
    request, payload: InterventionIn, key: str | None = idempotency.IdempotencyKey
):
    """The fast entry of the page: an open follow-up the caller may write, whose consent is
    active; dated neither in the future nor before the follow-up (404 / 422 otherwise)."""
    follow_up = selectors.get_follow_up_for_user(
        request.user, payload.follow_up, write=True, request=request
    )
    data = payload.dict(exclude={"follow_up"})

    def write():
        intervention = Intervention(follow_up=follow_up, **data)
        services.intervention_add(user=request.user, intervention=intervention, request=request)
        return 201, intervention_out(intervention)

    return idempotency.run(request, key, write)


class FollowUpDetailOut(FollowUpOut):
    person: uuid.UUID
    territory: str
    emergency_access: bool


@router.get("/follow-ups/{follow_up_id}", response=FollowUpDetailOut, summary="Un suivi")
@scoped("casework:read")
def follow_up(request, follow_up_id: uuid.UUID):
    """A follow-up and its interventions, within the caller's scope (another's: 404, logged as
    a forbidden attempt). Logged as a read of the file (``casework.follow_up.read``, with
    ``api_token``) and counted toward the hourly limit, like the person's file."""
    f = selectors.get_follow_up_for_user(request.user, follow_up_id, request=request)
    f = selectors.with_workers(type(f).objects.filter(pk=f.pk)).select_related(
        "person", "territory"
    )[0]
    emergency = selectors.active_emergency_access(request.user, f.person)
    selectors.record_read(
        request.user,
        f,
        "casework.follow_up.read",
        person=f.person,
        request=request,
        data={"follow_up": str(f.public_id), "emergency_access": emergency is not None},
    )
    interventions = f.interventions.order_by("occurred_on", "id")
    return {
        "id": f.public_id,
        "person": f.person.public_id,
        "territory": f.territory.slug,
        **fields(f, "status", "started_on", "closed_on", "reasons", "goals", "next_step_on"),
        "writable": emergency is None and permissions.can_write_follow_up(request.user, f),
        "emergency_access": emergency is not None,
        "interventions": [intervention_out(i, f.public_id) for i in interventions],
    }
