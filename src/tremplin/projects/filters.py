"""Filters of the project list: search, fiscal year, places, kind, determinant, target group,
status, organizer, partner and sort.

Many-to-many filters use ``Exists`` so that a project never appears twice and counts stay
exact; the list annotations are correlated subqueries for the same reason.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.roles import Role
from tremplin.core.filtering import SortedFilterSet, sort_filter
from tremplin.core.fiscal import current_fiscal_year, fiscal_year_bounds  # noqa: F401
from tremplin.housing.filters import clientele_filter
from tremplin.partners.models import Partner
from tremplin.search import query as search
from tremplin.territories.filters import local_team_filter, territory_filter

from . import counting
from .models import (
    RUNNING_STATUSES,
    Determinant,
    Project,
    ProjectKind,
    ProjectPartner,
    Status,
)

FIRST_YEAR = 2008

# Each ends with the id so that a page is always the same rows (titles and dates repeat);
# each has its index (models.Project.Meta.indexes).
SORTS = {
    "-start": ("-start_date", "title", "id"),
    "start": ("start_date", "title", "id"),
    "title": ("title", "-start_date", "id"),
    "-participants": ("-participant_sum", "title", "id"),
}


def in_fiscal_year(year: int) -> Q:
    """Projects that ran on a day of the year, or (not run yet / abandoned) started in it."""
    start, end = fiscal_year_bounds(year)
    ran = Q(status__in=RUNNING_STATUSES) & counting.overlapping(
        "start_date", "end_date", start, end
    )
    planned = (
        ~Q(status__in=RUNNING_STATUSES)
        & Q(start_date__isnull=False)
        & Q(start_date__gte=start, start_date__lte=end)
    )
    return ran | planned


def _year_choices():
    last = current_fiscal_year() + 1
    return [(str(y), f"{y}-{y + 1}") for y in range(last, FIRST_YEAR - 1, -1)]


def organizers():
    return (
        get_user_model()
        .objects.filter(membership__role=Role.ORGANIZER, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


class OrganizerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class OrganizerChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = OrganizerField


class ProjectFilter(SortedFilterSet):
    SORTS = SORTS
    DEFAULT_SORT = "-start"

    q = django_filters.CharFilter(label=_("Recherche"), method="filter_search")
    year = django_filters.ChoiceFilter(
        label=_("Année financière"),
        choices=_year_choices,
        method="filter_year",
        empty_label=_("Toutes"),
    )
    territory = territory_filter(method="filter_territory")
    team = local_team_filter(method="filter_team")
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=ProjectKind.choices, empty_label=_("Tous")
    )
    determinant = django_filters.ModelChoiceFilter(
        label=_("Déterminant de la santé"),
        queryset=Determinant.objects.order_by("position"),
        to_field_name="code",
        method="filter_determinant",
        empty_label=_("Tous"),
    )
    clientele = clientele_filter(_("Clientèle visée"))
    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=Status.choices, empty_label=_("Tous")
    )
    organizer = OrganizerChoiceFilter(
        label=_("Organisateur·trice responsable"),
        queryset=organizers(),
        field_name="lead_organizer",
        empty_label=_("Tous"),
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partenaire"),
        queryset=Partner.objects.order_by("name"),
        to_field_name="public_id",
        method="filter_partner",
        empty_label=_("Tous"),
    )
    sort = sort_filter(
        [
            ("-start", _("Début (plus récents d'abord)")),
            ("start", _("Début (plus anciens d'abord)")),
            ("title", _("Titre (A → Z)")),
            ("-participants", _("Participation (plus au moins)")),
        ]
    )

    class Meta:
        model = Project
        fields = [
            "q",
            "year",
            "territory",
            "team",
            "kind",
            "determinant",
            "clientele",
            "status",
            "organizer",
            "partner",
            "sort",
        ]

    def filter_search(self, queryset, name, value):
        # Every word starts a word of the project's text (title, summary, sites, organizer):
        # accents and case ignored, full-text index (tremplin.search).
        return search.filter(queryset, value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(in_fiscal_year(int(value)))

    def _through(self, queryset, field, value):
        through = getattr(Project, field).through
        column = getattr(Project, field).field.m2m_reverse_field_name()
        return queryset.filter(
            Exists(through.objects.filter(project_id=OuterRef("pk"), **{column: value}))
        )

    def filter_territory(self, queryset, name, value):
        return self._through(queryset, "territories", value)

    def filter_team(self, queryset, name, value):
        return self._through(queryset, "local_teams", value)

    def filter_determinant(self, queryset, name, value):
        return self._through(queryset, "determinants", value)

    def filter_clientele(self, queryset, name, value):
        return self._through(queryset, "target_groups", value)

    def filter_partner(self, queryset, name, value):
        return queryset.filter(
            Exists(ProjectPartner.objects.filter(project_id=OuterRef("pk"), partner=value))
        )


def list_totals(queryset) -> dict:
    """Projects, activities and participants of the filtered list, in one query."""
    totals = queryset.order_by().aggregate(
        projects=Count("id"),
        activities=Sum("activity_count"),
        participants=Sum("participant_sum"),
        tenants=Sum("tenant_sum"),
    )
    return {k: v or 0 for k, v in totals.items()}


def project_filter(user, params) -> ProjectFilter:
    """The filtered, sorted, annotated projects the user may read (pages and exports)."""
    from . import selectors

    base = selectors.projects_for_user(user).select_related("lead_organizer")
    return ProjectFilter(params, queryset=base)
