"""Forms of the resource directory: an entry, and the list's filters."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.text import fold
from tremplin.territories.filters import territory_filter
from tremplin.territories.models import Territory

from ..models import Resource, ResourceCategory


class ResourceForm(forms.ModelForm):
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

    class Meta:
        model = Resource
        fields = [
            "name",
            "category",
            "territory",
            "municipality",
            "address",
            "phone",
            "website",
            "description",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }
        help_texts = {"territory": _("Laissez vide pour un service régional.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.order_by("name")
        self.fields["municipality"].queryset = self.fields["municipality"].queryset.order_by("name")


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="filter_search")
    territory = territory_filter(method="filter_territory")
    category = django_filters.ChoiceFilter(
        label=_("Catégorie"), choices=ResourceCategory.choices, empty_label=_("Toutes")
    )

    class Meta:
        model = Resource
        fields = ["q", "territory", "category"]

    def filter_search(self, queryset, name, value):
        for word in fold(value).split()[:5]:
            queryset = queryset.filter(name_key__contains=word)
        return queryset

    def filter_territory(self, queryset, name, value):
        # A territory's resources include the regional services.
        return queryset.filter(Q(territory=value) | Q(territory__isnull=True))
