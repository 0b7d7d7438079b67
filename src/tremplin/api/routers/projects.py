"""Projects and their activities, through ``projects.selectors`` (every member reads) and
``projects.services.activity_log`` (who may edit the project may log an activity)."""

import datetime as dt
import uuid

from django.db.models import Prefetch
from ninja import Field, Query, Router, Schema

from tremplin.projects import selectors, services
from tremplin.projects.models import ProjectActivity
from tremplin.territories.models import Territory

from .. import idempotency
from ..auth import scoped
from ..pagination import ListParams, page, page_schema
from ..schemas import StrictSchema, fields

router = Router()


class ProjectOut(Schema):
    id: uuid.UUID
    title: str
    summary: str
    kind: str
    scope: str
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    territories: list[str]
    buildings: list[uuid.UUID]
    providers: list[uuid.UUID]
    activity_count: int
    participant_sum: int
    tenant_sum: int
    is_demo: bool
    updated_at: dt.datetime


ProjectPage = page_schema("ProjectPage", ProjectOut)


class ActivityOut(Schema):
    id: uuid.UUID
    project: uuid.UUID
    date: dt.date
    title: str
    participants: int
    tenants: int
    seniors: int | None
    youth: int | None
    families: int | None
    note: str
    updated_at: dt.datetime


ActivityPage = page_schema("ActivityPage", ActivityOut)


class ActivityIn(StrictSchema):
    date: dt.date
    title: str = Field(..., min_length=1, max_length=200)
    participants: int = Field(0, ge=0, le=100000)
    tenants: int = Field(0, ge=0, le=100000)
    seniors: int | None = Field(None, ge=0, le=100000)
    youth: int | None = Field(None, ge=0, le=100000)
    families: int | None = Field(None, ge=0, le=100000)
    note: str = Field("", max_length=500)


def project_out(p) -> dict:
    return {
        "id": p.public_id,
        "territories": [t.slug for t in p.territories.all()],
        "buildings": [b.public_id for b in p.buildings.all()],
        "providers": [h.public_id for h in p.providers.all()],
        **fields(
            p,
            "title",
            "summary",
            "kind",
            "scope",
            "status",
            "start_date",
            "end_date",
            "activity_count",
            "participant_sum",
            "tenant_sum",
            "is_demo",
            "updated_at",
        ),
    }


def activity_out(a) -> dict:
    return {
        "id": a.public_id,
        "project": a.project.public_id,
        # What one enters (``ActivityIn``: the model's fields, as given), and when it changed.
        **fields(a, *ActivityIn.model_fields, "updated_at"),
    }


def _with_places(qs):
    return qs.prefetch_related(
        Prefetch("territories", queryset=Territory.objects.only("slug")),
        "buildings",
        "providers",
    )


@router.get("", response=ProjectPage, summary="Projets")
@scoped("projects:read")
def projects(request, params: Query[ListParams]):
    return page(
        request, _with_places(selectors.projects_for_user(request.user)), params, project_out
    )


@router.get("/{project_id}", response=ProjectOut, summary="Un projet")
@scoped("projects:read")
def project(request, project_id: uuid.UUID):
    p = selectors.get_project_for_user(request.user, project_id)
    return project_out(p)


@router.get("/{project_id}/activities", response=ActivityPage, summary="Activités d'un projet")
@scoped("projects:read")
def activities(request, project_id: uuid.UUID, params: Query[ListParams]):
    p = selectors.get_project_for_user(request.user, project_id)
    qs = ProjectActivity.objects.filter(project=p).select_related("project")
    return page(request, qs, params, activity_out)


@router.post(
    "/{project_id}/activities",
    response={201: ActivityOut},
    summary="Ajouter une activité (participation comptée ici)",
)
@scoped("projects:write")
def activity_create(
    request,
    project_id: uuid.UUID,
    payload: ActivityIn,
    key: str | None = idempotency.IdempotencyKey,
):
    """Validated by the model as on the page (dates within the project's, no more tenants than
    participants); 404 for a project the caller may not edit."""
    p = selectors.get_project_for_edit(request.user, project_id)

    def write():
        activity = ProjectActivity(project=p, **payload.dict())
        services.activity_log(user=request.user, activity=activity, request=request)
        return 201, activity_out(activity)

    return idempotency.run(request, key, write)
