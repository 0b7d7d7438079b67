"""Writes on the housing directory. Every write keeps the provider's counts and search key true."""

from django.db import transaction
from django.db.models import Count, Sum

from tremplin.audit.services import log_action, save_audited
from tremplin.core.text import fold

from .models import Building, HousingProvider


def provider_refresh(provider: HousingProvider) -> None:
    """Recompute a provider's building/unit counts and its folded search text."""
    stats = provider.buildings.aggregate(n=Count("id"), units=Sum("total_units"))
    buildings = provider.buildings.select_related("municipality").only(
        "provider_id", "name", "address", "postal_code", "municipality__name"
    )
    muni = provider.municipality
    parts = [provider.name, provider.address, muni.name, muni.mrc.name, muni.mrc.territory.name]
    for b in buildings:
        parts += [b.name, b.address, b.postal_code, b.municipality.name]
    HousingProvider.objects.filter(pk=provider.pk).update(
        building_count=stats["n"] or 0,
        unit_count=stats["units"] or 0,
        search_key=" | ".join(fold(p) for p in parts if p),
        name_key=fold(provider.name),
    )


@transaction.atomic
def provider_save(*, user, provider: HousingProvider, request=None) -> HousingProvider:
    """Validate and save a provider (new or changed), then refresh its derived fields."""
    save_audited(provider, "housing.provider", user=user, request=request)
    provider_refresh(provider)
    return provider


@transaction.atomic
def building_save(*, user, building: Building, clienteles=None, request=None) -> Building:
    """Validate and save a building, its clienteles, and refresh its provider's derived fields."""
    created = building.pk is None
    old_provider_id = None
    if not created:
        old_provider_id = (
            Building.objects.filter(pk=building.pk).values_list("provider_id", flat=True).first()
        )
    save_audited(building, "housing.building", user=user, request=request)
    if clienteles is not None:
        building.clienteles.set(clienteles)
    provider_refresh(building.provider)
    if old_provider_id and old_provider_id != building.provider_id:
        provider_refresh(HousingProvider.objects.get(pk=old_provider_id))
    return building


@transaction.atomic
def building_delete(*, user, building: Building, request=None) -> None:
    provider = building.provider
    log_action(building, "housing.building.delete", user=user, request=request)
    building.delete()
    provider_refresh(provider)
