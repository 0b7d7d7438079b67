"""The directory (Répertoire): housing providers, their buildings and units, through
``housing.selectors`` (every member reads it; 404 for an account without a role)."""

import datetime as dt
import uuid

from django.db.models import Prefetch
from ninja import Query, Router, Schema

from tremplin.housing import selectors
from tremplin.housing.models import Building, Clientele

from ..auth import scoped
from ..pagination import ListParams, page

router = Router()


class ProviderOut(Schema):
    id: uuid.UUID
    kind: str
    name: str
    municipality: str
    territory: str
    address: str
    postal_code: str
    phone: str
    email: str
    website: str
    building_count: int
    unit_count: int
    is_demo: bool
    updated_at: dt.datetime


class ProviderPage(Schema):
    items: list[ProviderOut]
    next_cursor: str | None


class Units(Schema):
    studio: int
    one_bedroom: int
    two_bedrooms: int
    three_bedrooms: int
    four_bedrooms_or_more: int
    adapted: int
    total: int


class BuildingOut(Schema):
    id: uuid.UUID
    provider: uuid.UUID
    name: str
    address: str
    postal_code: str
    municipality: str
    territory: str
    units: Units
    clienteles: list[str]
    program: str
    year_built: int | None
    has_elevator: bool
    has_common_room: bool
    is_demo: bool
    updated_at: dt.datetime


class BuildingPage(Schema):
    items: list[BuildingOut]
    next_cursor: str | None


def provider_out(p) -> dict:
    return {
        "id": p.public_id,
        "kind": p.kind,
        "name": p.name,
        "municipality": p.municipality.code,
        "territory": p.municipality.mrc.territory.slug,
        "address": p.address,
        "postal_code": p.postal_code,
        "phone": p.phone,
        "email": p.email,
        "website": p.website,
        "building_count": p.building_count,
        "unit_count": p.unit_count,
        "is_demo": p.is_demo,
        "updated_at": p.updated_at,
    }


def building_out(b) -> dict:
    return {
        "id": b.public_id,
        "provider": b.provider.public_id,
        "name": b.name,
        "address": b.address,
        "postal_code": b.postal_code,
        "municipality": b.municipality.code,
        "territory": b.municipality.mrc.territory.slug,
        "units": {
            "studio": b.units_studio,
            "one_bedroom": b.units_1br,
            "two_bedrooms": b.units_2br,
            "three_bedrooms": b.units_3br,
            "four_bedrooms_or_more": b.units_4br_plus,
            "adapted": b.adapted_units,
            "total": b.total_units,
        },
        "clienteles": [c.code for c in b.clienteles.all()],
        "program": b.program,
        "year_built": b.year_built,
        "has_elevator": b.has_elevator,
        "has_common_room": b.has_common_room,
        "is_demo": b.is_demo,
        "updated_at": b.updated_at,
    }


@router.get("/providers", response=ProviderPage, summary="Organismes d'habitation")
@scoped("directory:read")
def providers(request, params: Query[ListParams]):
    qs = selectors.directory_filter(request.user, {}).qs
    return page(request, qs, params, provider_out)


@router.get("/providers/{provider_id}", response=ProviderOut, summary="Un organisme")
@scoped("directory:read")
def provider(request, provider_id: uuid.UUID):
    return provider_out(selectors.get_provider_for_user(request.user, provider_id))


@router.get("/buildings", response=BuildingPage, summary="Immeubles et leurs logements")
@scoped("directory:read")
def buildings(request, params: Query[ListParams]):
    qs = (
        Building.objects.filter(
            provider__in=selectors.directory_filter(request.user, {}).qs.order_by().values("pk")
        )
        .select_related("provider", "municipality__mrc__territory")
        .prefetch_related(Prefetch("clienteles", queryset=Clientele.objects.only("code")))
    )
    return page(request, qs, params, building_out)


@router.get("/buildings/{building_id}", response=BuildingOut, summary="Un immeuble")
@scoped("directory:read")
def building(request, building_id: uuid.UUID):
    return building_out(selectors.get_building_for_user(request.user, building_id))
