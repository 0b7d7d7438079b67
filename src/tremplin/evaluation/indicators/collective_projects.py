"""Collective action's projects and their participation: the rows, the set-based facts and the
records behind the values of ``collective.py``'s project indicators (its docstring states the
rules: projects under way, started and completed, counted in each of their territories, and
the participations of the activities dated in the period)."""

from collections import defaultdict
from dataclasses import replace

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from tremplin.projects import counting
from tremplin.projects.models import RUNNING_STATUSES, Project, ProjectActivity, Status
from tremplin.projects.selectors import projects_for_user

from ..catalogue import Facts
from .common import area_filter, link, table


def under_way(period):
    return counting.projects_under_way(period.start, period.end)


def started(period):
    return Project.objects.filter(
        status__in=RUNNING_STATUSES,
        start_date__gte=period.start,
        start_date__lte=period.end,
    )


def completed(period):
    return Project.objects.filter(
        status=Status.COMPLETED, end_date__gte=period.start, end_date__lte=period.end
    )


def _pairs(queryset, *fields):
    """{first field: [second field, …]} from a through table (or any queryset)."""
    result = defaultdict(list)
    for left, right in queryset.order_by().values_list(*fields).distinct():
        if right is not None:
            result[left].append(str(right))
    return result


def _project_items(projects, breakdown) -> dict:
    """{project id: [items]} of one breakdown ([""] for the total)."""
    ids = projects.order_by().values("pk")
    if not breakdown:
        return {pk: [""] for pk in projects.order_by().values_list("pk", flat=True)}
    if breakdown == "project_kind":
        return {pk: [kind] for pk, kind in projects.order_by().values_list("pk", "kind")}
    through = {
        "determinant": (Project.determinants.through, "determinant__code"),
        "local_team": (Project.local_teams.through, "localteam__public_id"),
        "target_group": (Project.target_groups.through, "clientele__code"),
    }
    if breakdown in through:
        model, field = through[breakdown]
        return _pairs(model.objects.filter(project_id__in=ids), "project_id", field)
    if breakdown == "provider_kind":
        named = _pairs(
            Project.providers.through.objects.filter(project_id__in=ids),
            "project_id",
            "housingprovider__kind",
        )
        of_buildings = _pairs(
            Project.buildings.through.objects.filter(project_id__in=ids),
            "project_id",
            "building__provider__kind",
        )
        return {
            pk: sorted(set(named.get(pk, [])) | set(of_buildings.get(pk, [])))
            for pk in set(named) | set(of_buildings)
        }
    raise ValueError(breakdown)


def _territories(project_ids) -> dict:
    """{project id: [territory ids]} (projects without a site are absent)."""
    places = defaultdict(list)
    for project_id, territory_id in (
        Project.territories.through.objects.filter(project_id__in=project_ids)
        .order_by()
        .values_list("project_id", "territory_id")
    ):
        places[project_id].append(territory_id)
    return places


def project_rows(projects, breakdown):
    """A project counts once per area and item: in each of its territories (key = project)."""
    items = _project_items(projects, breakdown)
    places = _territories(projects.order_by().values("pk"))
    for project_id, its_items in items.items():
        for item in its_items:
            for territory_id in places.get(project_id) or [None]:
                yield territory_id, None, item, project_id, 1


def _project_ids(rows, item) -> set:
    return {key for _t, _r, it, key, _w in rows if not item or it == item}


def _projects_table(projects):
    return table(
        [_("Projet"), _("Type"), _("Statut"), _("Début"), _("Fin"), _("Territoires")],
        projects.order_by("start_date", "title", "id"),
        lambda p: [
            p.title,
            p.get_kind_display(),
            p.get_status_display(),
            p.start_date.isoformat() if p.start_date else "",
            p.end_date.isoformat() if p.end_date else "",
            p.territory_names,
        ],
        lambda p: link("projects:project-detail", p),
    )


def _in_area(projects, area):
    """Projects of an area: through their territories (a regional project: whole program)."""
    found = area_filter(area, "territories", "territories__region")
    if not found:
        return projects
    return projects.filter(pk__in=Project.objects.filter(**found).values("pk"))


def project_records(selection):
    def records(user, period, area, breakdown, item):
        visible = projects_for_user(user)  # 404 for a user who may not read projects
        chosen = selection(period).order_by().values("pk")
        if breakdown and item:
            chosen = _project_ids(project_rows(selection(period), breakdown), item)
        return _projects_table(_in_area(visible.filter(pk__in=chosen), area))

    return records


# --- participation --------------------------------------------------------------------------


def participation_rows(field):
    """The activities' sum per project (key = project: once per area), in its territories."""

    def rows(period, breakdown):
        sums = (
            ProjectActivity.objects.filter(date__gte=period.start, date__lte=period.end)
            .order_by()
            .values("project_id", "project__kind")
            .annotate(n=Sum(field))
            .values_list("project_id", "project__kind", "n")
        )
        sums = list(sums)
        places = _territories([project_id for project_id, _k, _n in sums])
        for project_id, kind, n in sums:
            item = kind if breakdown == "project_kind" else ""
            for territory_id in places.get(project_id) or [None]:
                yield territory_id, None, item, project_id, n or 0

    return rows


def participation_records(user, period, area, breakdown, item):
    in_period = Q(activities__date__gte=period.start, activities__date__lte=period.end)
    projects = projects_for_user(user).filter(
        pk__in=ProjectActivity.objects.filter(date__gte=period.start, date__lte=period.end).values(
            "project_id"
        )
    )
    if breakdown == "project_kind" and item:
        projects = projects.filter(kind=item)
    projects = _in_area(projects, area).annotate(
        in_period_participants=Sum("activities__participants", filter=in_period),
        in_period_tenants=Sum("activities__tenants", filter=in_period),
    )
    return table(
        [_("Projet"), _("Type"), _("Participations"), _("Locataires"), _("Territoires")],
        projects.order_by("title", "id"),
        lambda p: [
            p.title,
            p.get_kind_display(),
            p.in_period_participants or 0,
            p.in_period_tenants or 0,
            p.territory_names,
        ],
        lambda p: link("projects:project-detail", p),
        note=_("Participations aux activités datées dans la période."),
    )


# --- every period at once (setbased.py) -----------------------------------------------------

# The item of each breakdown, as a path from a project (provider kind: two paths, see below).
ITEM = {
    "project_kind": "kind",
    "determinant": "determinants__code",
    "local_team": "local_teams__public_id",
    "target_group": "target_groups__code",
}
SELECTIONS = {  # the project indicators' records, their date or span
    "under_way": (Q(status__in=RUNNING_STATUSES), "start_date", "end_date"),
    "started": (Q(status__in=RUNNING_STATUSES), "start_date", None),
    "completed": (Q(status=Status.COMPLETED), "end_date", None),
}


def project_facts(selection: str):
    """A project counts once (key) in each of its territories and each item it has; the kinds
    of the providers named as sites and of the providers of the buildings named as sites."""
    where, on, until = SELECTIONS[selection]

    def facts(breakdown):
        base = Facts(
            Project.objects.filter(where), on=on, until=until, territory="territories", key="pk"
        )
        if breakdown == "provider_kind":
            return [
                replace(base, item="providers__kind"),
                replace(base, item="buildings__provider__kind"),
            ]
        if breakdown:
            return [replace(base, item=ITEM[breakdown], uuid_item=breakdown == "local_team")]
        return [base]

    return facts


def participation_facts(field: str):
    """Each activity once per area (key): the sum of a project's activities in its territories,
    counted once in a region and overall, as the rows count each project's sum once."""

    def facts(breakdown):
        activities = ProjectActivity.objects.all()
        return [
            Facts(
                activities,
                on="date",
                territory="project__territories",
                key="pk",
                weight=field,
                item="project__kind",
            )
        ]

    return facts
