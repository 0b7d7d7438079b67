"""Filters of the Répertoire list: search, territory, MRC, ÉLÉ, kind, clientele, sort."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from tremplin.core.filtering import SortedFilterSet, sort_filter
from tremplin.search import query as search
from tremplin.territories.filters import local_team_filter, territory_filter
from tremplin.territories.models import Mrc

from .models import Building, Clientele, HousingProvider, ProviderKind

# Each ends with the id: a total order (core.keyset).
SORTS = {
    "name": ("name_key", "id"),
    "-name": ("-name_key", "id"),
    "municipality": ("municipality__name", "name_key", "id"),
    "-municipality": ("-municipality__name", "name_key", "id"),
    "kind": ("kind", "name_key", "id"),
    "-kind": ("-kind", "name_key", "id"),
    "units": ("unit_count", "name_key", "id"),
    "-units": ("-unit_count", "name_key", "id"),
    "buildings": ("building_count", "name_key", "id"),
    "-buildings": ("-building_count", "name_key", "id"),
}


def clientele_filter(label) -> django_filters.ModelChoiceFilter:
    """A clientele named by its code (``?clientele=aines``); the list filters in its own
    ``filter_clientele``."""
    return django_filters.ModelChoiceFilter(
        label=label,
        queryset=Clientele.objects.order_by("position"),
        to_field_name="code",
        method="filter_clientele",
        empty_label=_("Toutes"),
    )


class DirectoryFilter(SortedFilterSet):
    SORTS = SORTS
    DEFAULT_SORT = "name"

    q = django_filters.CharFilter(label=_("Recherche"), method="filter_search")
    territory = territory_filter(field_name="municipality__mrc__territory")
    mrc = django_filters.ModelChoiceFilter(
        label=_("MRC"),
        queryset=Mrc.objects.order_by("name"),
        field_name="municipality__mrc",
        to_field_name="code",
        empty_label=_("Toutes"),
    )
    team = local_team_filter(method="filter_team")
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=ProviderKind.choices, empty_label=_("Tous")
    )
    clientele = clientele_filter(_("Clientèle"))
    sort = sort_filter(
        [
            ("name", _("Nom (A → Z)")),
            ("-name", _("Nom (Z → A)")),
            ("municipality", _("Municipalité")),
            ("kind", _("Type")),
            ("-units", _("Logements (plus au moins)")),
            ("units", _("Logements (moins au plus)")),
            ("-buildings", _("Immeubles (plus au moins)")),
        ]
    )

    class Meta:
        model = HousingProvider
        fields = ["q", "territory", "mrc", "team", "kind", "clientele", "sort"]

    def filter_search(self, queryset, name, value):
        # Every word starts a word of the provider's text (its name, address, municipality,
        # territory, its buildings'): accents and case ignored, full-text index (tremplin.search).
        return search.filter(queryset, value)

    def filter_team(self, queryset, name, value):
        return queryset.filter(municipality__local_teams=value)

    def filter_clientele(self, queryset, name, value):
        has_it = Building.objects.filter(provider=OuterRef("pk"), clienteles=value)
        return queryset.filter(Exists(has_it))
