"""Filters of the Répertoire list: search, territory, MRC, ÉLÉ, kind, clientele, sort."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from tremplin.search import query as search
from tremplin.territories.models import LocalTeam, Mrc, Territory

from .models import Building, Clientele, HousingProvider, ProviderKind

SORTS = {
    "name": ("name_key",),
    "-name": ("-name_key",),
    "municipality": ("municipality__name", "name_key"),
    "-municipality": ("-municipality__name", "name_key"),
    "kind": ("kind", "name_key"),
    "-kind": ("-kind", "name_key"),
    "units": ("unit_count", "name_key"),
    "-units": ("-unit_count", "name_key"),
    "buildings": ("building_count", "name_key"),
    "-buildings": ("-building_count", "name_key"),
}


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="filter_search")
    territory = django_filters.ModelChoiceFilter(
        label=_("Territoire"),
        queryset=Territory.objects.order_by("name"),
        field_name="municipality__mrc__territory",
        to_field_name="slug",
        empty_label=_("Tous"),
    )
    mrc = django_filters.ModelChoiceFilter(
        label=_("MRC"),
        queryset=Mrc.objects.order_by("name"),
        field_name="municipality__mrc",
        to_field_name="code",
        empty_label=_("Toutes"),
    )
    team = django_filters.ModelChoiceFilter(
        label=_("ÉLÉ"),
        queryset=LocalTeam.objects.order_by("name"),
        method="filter_team",
        to_field_name="public_id",
        empty_label=_("Toutes"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=ProviderKind.choices, empty_label=_("Tous")
    )
    clientele = django_filters.ModelChoiceFilter(
        label=_("Clientèle"),
        queryset=Clientele.objects.order_by("position"),
        to_field_name="code",
        method="filter_clientele",
        empty_label=_("Toutes"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Trier par"),
        method="filter_sort",
        empty_label=None,
        choices=[
            ("name", _("Nom (A → Z)")),
            ("-name", _("Nom (Z → A)")),
            ("municipality", _("Municipalité")),
            ("kind", _("Type")),
            ("-units", _("Logements (plus au moins)")),
            ("units", _("Logements (moins au plus)")),
            ("-buildings", _("Immeubles (plus au moins)")),
        ],
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

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["name"]))

    @property
    def ordering(self) -> tuple[str, ...]:
        """The chosen sort's columns, ending with ``id`` (a total order: core.keyset)."""
        self.is_valid()
        sort = getattr(self.form, "cleaned_data", {}).get("sort") or "name"
        return (*SORTS.get(sort, SORTS["name"]), "id")

    @property
    def qs(self):
        return super().qs.order_by(*self.ordering)
