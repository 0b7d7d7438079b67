"""Territories: regions → territories (RLS) → MRC → municipalities; local teams (ÉLÉ)."""

from django.db.models import Prefetch
from ninja import Query, Router, Schema

from tremplin.territories.models import LocalTeam, Mrc, Municipality, Region, Territory

from ..auth import scoped
from ..pagination import ListParams, page, page_schema

router = Router()


class MrcOut(Schema):
    code: str
    name: str


class TerritoryOut(Schema):
    slug: str
    name: str
    mrcs: list[MrcOut]


class RegionOut(Schema):
    code: str
    name: str
    territories: list[TerritoryOut]


class MunicipalityOut(Schema):
    code: str
    name: str
    mrc: str
    territory: str
    region: str


MunicipalityPage = page_schema("MunicipalityPage", MunicipalityOut)


class LocalTeamOut(Schema):
    id: str
    name: str
    region: str
    municipalities: list[str]
    updated_at: str


LocalTeamPage = page_schema("LocalTeamPage", LocalTeamOut)


@router.get("/regions", response=list[RegionOut], summary="Régions, territoires et MRC")
@scoped("territories:read")
def regions(request):
    """The whole tree in three queries (it is small: one region has a handful of territories)."""
    mrcs = Prefetch("mrcs", queryset=Mrc.objects.order_by("name"))
    territories = Prefetch(
        "territories", queryset=Territory.objects.order_by("name").prefetch_related(mrcs)
    )
    return [
        {
            "code": r.code,
            "name": r.name,
            "territories": [
                {
                    "slug": t.slug,
                    "name": t.name,
                    "mrcs": [{"code": m.code, "name": m.name} for m in t.mrcs.all()],
                }
                for t in r.territories.all()
            ],
        }
        for r in Region.objects.order_by("code").prefetch_related(territories)
    ]


@router.get("/municipalities", response=MunicipalityPage, summary="Municipalités")
@scoped("territories:read")
def municipalities(request, params: Query[ListParams]):
    """Municipalities with their MRC, territory and region (``updated_since`` is ignored: the
    geography has no modification dates)."""
    qs = Municipality.objects.select_related("mrc__territory__region")
    return page(
        request,
        qs,
        params,
        lambda m: {
            "code": m.code,
            "name": m.name,
            "mrc": m.mrc.code,
            "territory": m.mrc.territory.slug,
            "region": m.mrc.territory.region.code,
        },
        updated_field=None,
    )


@router.get("/local-teams", response=LocalTeamPage, summary="Équipes locales élargies (ÉLÉ)")
@scoped("territories:read")
def local_teams(request, params: Query[ListParams]):
    qs = LocalTeam.objects.select_related("region").prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.only("code", "name"))
    )
    return page(
        request,
        qs,
        params,
        lambda t: {
            "id": str(t.public_id),
            "name": t.name,
            "region": t.region.code,
            "municipalities": [m.code for m in t.municipalities.all()],
            "updated_at": t.updated_at.isoformat(),
        },
    )
