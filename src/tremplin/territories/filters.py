"""The territory and ÉLÉ choices of the lists' filters (the directory, projects, resources):
how a URL names them (``?territory=<slug>``, ``?team=<public id>``), their labels and order.
Each list says how its rows are linked (``field_name`` or its own ``method``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import LocalTeam, Territory


def territory_filter(**how) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("Territoire"),
        queryset=Territory.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Tous"),
        **how,
    )


def local_team_filter(**how) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("ÉLÉ"),
        queryset=LocalTeam.objects.order_by("name"),
        to_field_name="public_id",
        empty_label=_("Toutes"),
        **how,
    )
