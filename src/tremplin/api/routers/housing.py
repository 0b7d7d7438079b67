"""The directory (Répertoire): housing providers, their buildings and units, through
``housing.selectors`` (every member reads it; 404 for an account without a role)."""

import datetime as dt
import uuid
from collections import defaultdict

from django.db.models import F
from ninja import Query, Router, Schema
from pydantic import BaseModel

from tremplin.housing import selectors
from tremplin.housing.models import Building

from ..auth import scoped
from ..pagination import ListParams, page, page_schema
from ..schemas import fields

router = Router()

BUILDING_FIELDS = (
    "public_id", "provider", "name", "address", "postal_code", "municipality", "units_studio",
    "units_1br", "units_2br", "units_3br", "units_4br_plus", "adapted_units", "total_units",
    "program", "year_built", "has_elevator", "has_common_room", "is_demo", "updated_at",
)  # fmt: skip


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


ProviderPage = page_schema("ProviderPage", ProviderOut)


# The building lists answer up to 500 rows from dicts: plain pydantic models validate them in
# pydantic-core, without django-ninja's per-object attribute wrapper (half of a page's time).
class Units(BaseModel):
    studio: int
    one_bedroom: int
    two_bedrooms: int
    three_bedrooms: int
    four_bedrooms_or_more: int
    adapted: int
    total: int


class BuildingOut(BaseModel):
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


class BuildingPage(BaseModel):
    items: list[BuildingOut]
    next_cursor: str | None


def provider_out(p) -> dict:
    return {
        "id": p.public_id,
        "municipality": p.municipality.code,
        "territory": p.municipality.mrc.territory.slug,
        **fields(
            p,
            "kind",
            "name",
            "address",
            "postal_code",
            "phone",
            "email",
            "website",
            "building_count",
            "unit_count",
            "is_demo",
            "updated_at",
        ),
    }


def building_out(b, clienteles=None) -> dict:
    """``clienteles``: the codes, when read for the whole page at once (else the building's
    prefetched or related rows)."""
    return {
        "id": b.public_id,
        # The list annotates these (one model instance a row instead of five).
        "provider": b.provider_uuid if hasattr(b, "provider_uuid") else b.provider.public_id,
        "name": b.name,
        "address": b.address,
        "postal_code": b.postal_code,
        "municipality": b.municipality_code
        if hasattr(b, "municipality_code")
        else b.municipality.code,
        "territory": b.territory_slug
        if hasattr(b, "territory_slug")
        else b.municipality.mrc.territory.slug,
        "units": {
            "studio": b.units_studio,
            "one_bedroom": b.units_1br,
            "two_bedrooms": b.units_2br,
            "three_bedrooms": b.units_3br,
            "four_bedrooms_or_more": b.units_4br_plus,
            "adapted": b.adapted_units,
            "total": b.total_units,
        },
        "clienteles": clienteles
        if clienteles is not None
        else [c.code for c in b.clienteles.all()],
        "program": b.program,
        "year_built": b.year_built,
        "has_elevator": b.has_elevator,
        "has_common_room": b.has_common_room,
        "is_demo": b.is_demo,
        "updated_at": b.updated_at,
    }


def _building_items(rows) -> list[dict]:
    """A page of buildings with their clienteles read in one query of (building, code) pairs
    (a ``prefetch_related`` builds one queryset per building: a third of a 500-row page)."""
    codes = defaultdict(list)
    pairs = (
        Building.clienteles.through.objects.filter(building_id__in=[b.pk for b in rows])
        .order_by("clientele__position", "clientele_id")
        .values_list("building_id", "clientele__code")
    )
    for building_id, code in pairs:
        codes[building_id].append(code)
    return [building_out(b, codes[b.pk]) for b in rows]


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
    # Every building of the directory (``housing.selectors.buildings_for_user``), with only
    # the related columns the answer shows: a full sync reads 13,000 of them.
    qs = (
        selectors.buildings_for_user(request.user)
        .select_related(None)
        .only(*BUILDING_FIELDS)
        .annotate(
            provider_uuid=F("provider__public_id"),
            municipality_code=F("municipality__code"),
            territory_slug=F("municipality__mrc__territory__slug"),
        )
    )
    return page(request, qs, params, many=_building_items)


@router.get("/buildings/{building_id}", response=BuildingOut, summary="Un immeuble")
@scoped("directory:read")
def building(request, building_id: uuid.UUID):
    return building_out(selectors.get_building_for_user(request.user, building_id))
