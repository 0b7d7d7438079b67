"""Reads of the housing directory, always given the user (404 outside their scope)."""

from django.db.models import Count, Prefetch, Sum
from django.http import Http404

from .filters import DirectoryFilter
from .models import Building, Clientele, HousingProvider
from .permissions import can_edit_provider, can_read_directory


def _require_reader(user):
    if not can_read_directory(user):
        raise Http404


def directory_filter(user, params) -> DirectoryFilter:
    """The filtered, sorted providers the user may read (the same for pages and exports)."""
    _require_reader(user)
    base = HousingProvider.objects.select_related("municipality__mrc__territory")
    return DirectoryFilter(params, queryset=base)


def providers_for_user(user):
    """Every provider, for the roles that read the directory (404 otherwise)."""
    _require_reader(user)
    return HousingProvider.objects.select_related("municipality")


def buildings_for_user(user):
    """Every building, for the roles that read the directory (404 otherwise)."""
    _require_reader(user)
    return Building.objects.select_related("municipality", "provider")


def directory_totals(queryset) -> dict:
    """Counts of providers, buildings and units in one query."""
    totals = queryset.order_by().aggregate(
        providers=Count("id"), buildings=Sum("building_count"), units=Sum("unit_count")
    )
    return {k: v or 0 for k, v in totals.items()}


def buildings_for_export(user, params):
    """The buildings of the filtered providers (and of the chosen clientele, if any)."""
    filterset = directory_filter(user, params)
    providers = filterset.qs
    buildings = Building.objects.filter(provider__in=providers.order_by().values("pk"))
    clientele = filterset.form.cleaned_data.get("clientele") if filterset.is_valid() else None
    if clientele is not None:
        buildings = buildings.filter(clienteles=clientele)
    return (
        # Everything columns.building_row reads, in a constant number of queries.
        buildings.select_related("provider__municipality", "municipality__mrc__territory")
        .prefetch_related(
            Prefetch("clienteles", queryset=Clientele.objects.only("name_fr", "name_en"))
        )
        .order_by(
            "municipality__mrc__territory__name",
            "municipality__name",
            "provider__name_key",
            "address",
        )
    )


def get_provider_for_user(user, public_id) -> HousingProvider:
    _require_reader(user)
    try:
        return HousingProvider.objects.select_related("municipality__mrc__territory").get(
            public_id=public_id
        )
    except (HousingProvider.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_provider_for_edit(user, public_id) -> HousingProvider:
    """The provider if the user may change it; 404 otherwise (nothing about it is revealed)."""
    provider = get_provider_for_user(user, public_id)
    if not can_edit_provider(user, provider):
        raise Http404
    return provider


def get_building_for_user(user, public_id) -> Building:
    _require_reader(user)
    try:
        return (
            Building.objects.select_related(
                "provider__municipality__mrc", "municipality__mrc__territory"
            )
            .prefetch_related("clienteles")
            .get(public_id=public_id)
        )
    except (Building.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_building_for_edit(user, public_id) -> Building:
    building = get_building_for_user(user, public_id)
    if not can_edit_provider(user, building.provider):
        raise Http404
    return building


def provider_buildings(provider):
    return (
        provider.buildings.select_related("municipality")
        .prefetch_related("clienteles")
        .order_by("municipality__name", "address")
    )


def buildings_by_territory(queryset):
    """Group export buildings for the printable directory: territory → municipality → rows."""
    groups: dict = {}
    for b in queryset:
        territory = b.municipality.mrc.territory.name
        groups.setdefault(territory, {}).setdefault(b.municipality.name, []).append(b)
    return groups
