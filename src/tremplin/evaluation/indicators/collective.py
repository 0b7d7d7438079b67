"""Collective action: housing providers accompanied, projects, participation, tenant associations.

The rules are the projects app's (``projects/counting.py``), so the dashboard says what the
project pages say:

- *Providers accompanied* (``counting.overlapping``, the rule of
  ``counting.providers_accompanied``): a provider with at least one accompaniment overlapping
  the period (start on or before its end, no end or an end on or after its start), counted
  once however many accompaniments it had, in its own territory.
- *Projects under way* (``counting.projects_under_way``): under way or completed, and running
  on at least one day of the period. *Started*: the same statuses (a project that ran), start
  date in the period. *Completed*: status « Terminé » and end date in the period. Ideas,
  projects in preparation and abandoned projects never count. A project counts in each of its
  territories (derived from its sites), once in a region and once for the whole program; a
  project without a site (regional) counts only for the whole program.
- *Participations* and *tenants participating* (``counting.participation``): the sums of the
  participants (of the tenants) of activities dated in the period, whatever the project's
  status, in the project's territories (a project's sum counts once in a region and overall).
- *Tenant associations active*: an association has no history of its status, so it counts as
  active in a period if it held a meeting in the period, or if its status is now « Active »
  and it was founded on or before the period's end (or has no founding date). *Founded*: the
  founding date is in the period, whatever the status now. Both in the provider's territory.

Breakdowns of projects: type, determinant of health, ÉLÉ, housing-provider kind (the kinds of
the providers named as sites and of the providers of the buildings named as sites) and target
group; a project counts once in each item it has (none: it is left out of that breakdown).
"""

from collections import defaultdict

from django.db.models import Q, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tremplin.housing.models import Clientele, ProviderKind
from tremplin.housing.selectors import directory_filter
from tremplin.projects import counting
from tremplin.projects import permissions as project_permissions
from tremplin.projects.models import (
    RUNNING_STATUSES,
    Accompaniment,
    AccompanimentTheme,
    AssociationStatus,
    Determinant,
    Project,
    ProjectActivity,
    ProjectKind,
    Status,
    TenantAssociation,
)
from tremplin.projects.selectors import projects_for_user
from tremplin.territories.models import LocalTeam

from ..catalogue import COUNT, GROUPS, Breakdown, Indicator, group, register
from .common import area_filter, choice_labels, link, table

group(
    "collective",
    _("Action collective"),
    (
        "projects.Project",  # and its sites, territories, teams, determinants, target groups
        "projects.ProjectActivity",
        "projects.Accompaniment",
        "projects.TenantAssociation",
        "projects.AssociationMeeting",
        "housing.HousingProvider",  # a provider's territory and kind
        "housing.Building",  # the provider of a building named as a project's site
    ),
    dates={
        "projects.Project": ("start_date", "end_date"),
        "projects.ProjectActivity": ("date",),
        "projects.Accompaniment": ("start_date", "end_date"),
    },
)
ACTIVITY = "projects.ProjectActivity"
# Only the participations read the activities: an activity logged recomputes those alone.
WITHOUT_ACTIVITIES = tuple(s for s in GROUPS["collective"].sources if s != ACTIVITY)

PROJECT_KIND = Breakdown("project_kind", _("Type de projet"), choice_labels(ProjectKind))
DETERMINANT = Breakdown(
    "determinant",
    _("Déterminant de la santé"),
    lambda: {d.code: str(d) for d in Determinant.objects.all()},
)
LOCAL_TEAM = Breakdown(
    "local_team",
    _("Équipe locale élargie (ÉLÉ)"),
    lambda: {str(pid): name for pid, name in LocalTeam.objects.values_list("public_id", "name")},
)
PROVIDER_KIND = Breakdown("provider_kind", _("Type d'organisme"), choice_labels(ProviderKind))
TARGET_GROUP = Breakdown(
    "target_group",
    _("Clientèle visée"),
    lambda: {c.code: str(c) for c in Clientele.objects.all()},
)
THEME = Breakdown("theme", _("Thème de l'accompagnement"), choice_labels(AccompanimentTheme))
PROJECT_BREAKDOWNS = (PROJECT_KIND, DETERMINANT, LOCAL_TEAM, PROVIDER_KIND, TARGET_GROUP)

PROVIDER_TERRITORY = "municipality__mrc__territory_id"
PROVIDER_REGION = "municipality__mrc__region_id"


# --- providers accompanied ------------------------------------------------------------------


def _provider_rows(period, breakdown):
    accompaniments = Accompaniment.objects.filter(
        counting.overlapping("start_date", "end_date", period.start, period.end)
    ).order_by()
    if breakdown == "theme":
        seen = set()
        for provider_id, territory_id, themes in accompaniments.values_list(
            "provider_id", f"provider__{PROVIDER_TERRITORY}", "themes"
        ):
            for theme in themes or []:
                if (provider_id, theme) not in seen:
                    seen.add((provider_id, theme))
                    yield territory_id, None, theme, provider_id, 1
        return
    item = "provider__kind" if breakdown == "provider_kind" else None
    fields = ["provider_id", f"provider__{PROVIDER_TERRITORY}"] + ([item] if item else [])
    for provider_id, territory_id, *rest in accompaniments.values_list(*fields).distinct():
        yield territory_id, None, rest[0] if rest else "", provider_id, 1


def _provider_records(user, period, area, breakdown, item):
    ids = {
        key for _t, _r, it, key, _w in _provider_rows(period, breakdown) if not item or it == item
    }
    providers = directory_filter(user, {}).qs.filter(
        pk__in=ids, **area_filter(area, PROVIDER_TERRITORY, PROVIDER_REGION)
    )
    return table(
        [_("Organisme"), _("Type"), _("Municipalité")],
        providers.order_by("name_key"),
        lambda p: [p.name, p.get_kind_display(), p.municipality.name],
        lambda p: link("housing:provider-detail", p),
    )


# --- projects -------------------------------------------------------------------------------


def _under_way(period):
    return counting.projects_under_way(period.start, period.end)


def _started(period):
    return Project.objects.filter(
        status__in=RUNNING_STATUSES,
        start_date__gte=period.start,
        start_date__lte=period.end,
    )


def _completed(period):
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


def _project_rows(projects, breakdown):
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


def _project_records(selection):
    def records(user, period, area, breakdown, item):
        visible = projects_for_user(user)  # 404 for a user who may not read projects
        chosen = selection(period).order_by().values("pk")
        if breakdown and item:
            chosen = _project_ids(_project_rows(selection(period), breakdown), item)
        return _projects_table(_in_area(visible.filter(pk__in=chosen), area))

    return records


# --- participation --------------------------------------------------------------------------


def _participation_rows(field):
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


def _participation_records(user, period, area, breakdown, item):
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


# --- tenant associations --------------------------------------------------------------------


def _active_associations(period):
    met = Q(meetings__date__gte=period.start, meetings__date__lte=period.end)
    active_now = Q(status=AssociationStatus.ACTIVE) & (
        Q(founded_on__isnull=True) | Q(founded_on__lte=period.end)
    )
    return TenantAssociation.objects.filter(
        pk__in=TenantAssociation.objects.filter(met | active_now).values("pk")
    )


def _founded_associations(period):
    return TenantAssociation.objects.filter(
        founded_on__gte=period.start, founded_on__lte=period.end
    )


def _association_rows(selection):
    def rows(period, breakdown):
        fields = ["pk", f"provider__{PROVIDER_TERRITORY}"]
        if breakdown == "provider_kind":
            fields.append("provider__kind")
        for pk, territory_id, *rest in selection(period).order_by().values_list(*fields):
            yield territory_id, None, rest[0] if rest else "", pk, 1

    return rows


def _association_records(selection):
    def records(user, period, area, breakdown, item):
        # The associations' pages are open to every program role (projects.permissions).
        if not project_permissions.can_read(user):
            raise Http404
        associations = selection(period).filter(
            **area_filter(area, f"provider__{PROVIDER_TERRITORY}", f"provider__{PROVIDER_REGION}")
        )
        if breakdown == "provider_kind" and item:
            associations = associations.filter(provider__kind=item)
        return table(
            [_("Association"), _("Organisme d'habitation"), _("Statut"), _("Fondée le")],
            associations.select_related("provider").order_by("name", "id"),
            lambda a: [
                a.name,
                a.provider.name,
                a.get_status_display(),
                a.founded_on.isoformat() if a.founded_on else "",
            ],
            lambda a: link("projects:association-detail", a),
        )

    return records


# --- the catalogue --------------------------------------------------------------------------

register(
    Indicator(
        id="collective.providers_accompanied",
        group="collective",
        reads=WITHOUT_ACTIVITIES,
        label=_("Organismes d'habitation accompagnés"),
        definition=_(
            "Organismes d'habitation accompagnés par une organisatrice ou un organisateur "
            "communautaire pendant au moins un jour de la période. Un organisme accompagné "
            "plusieurs fois compte une fois, dans son propre territoire."
        ),
        unit=COUNT,
        source=_("Accompagnements des organismes d'habitation"),
        rows=_provider_rows,
        breakdowns=(PROVIDER_KIND, THEME),
        records=_provider_records,
    )
)

_PROJECTS = (
    (
        "collective.projects_under_way",
        _under_way,
        _("Projets en cours"),
        _(
            "Projets en cours ou terminés qui se sont déroulés pendant au moins un jour de la "
            "période. Un projet compte dans chacun de ses territoires, une fois dans la région "
            "et une fois pour l'ensemble du programme."
        ),
    ),
    (
        "collective.projects_started",
        _started,
        _("Projets démarrés"),
        _(
            "Projets en cours ou terminés dont la date de début est dans la période. Les idées, "
            "les projets en préparation et les projets abandonnés ne comptent pas."
        ),
    ),
    (
        "collective.projects_completed",
        _completed,
        _("Projets terminés"),
        _("Projets au statut « Terminé » dont la date de fin est dans la période."),
    ),
)

for _id, _selection, _label, _definition in _PROJECTS:
    register(
        Indicator(
            id=_id,
            group="collective",
            reads=WITHOUT_ACTIVITIES,
            label=_label,
            definition=_definition,
            unit=COUNT,
            source=_("Projets"),
            rows=(lambda s: lambda period, breakdown: _project_rows(s(period), breakdown))(
                _selection
            ),
            breakdowns=PROJECT_BREAKDOWNS,
            records=_project_records(_selection),
        )
    )

register(
    Indicator(
        id="collective.participations",
        group="collective",
        reads=("projects.Project", ACTIVITY),
        label=_("Participations aux activités des projets"),
        definition=_(
            "Somme des participant·es inscrits aux activités de projets datées dans la période. "
            "Une personne venue à trois activités compte trois fois."
        ),
        unit=COUNT,
        source=_("Activités des projets"),
        rows=_participation_rows("participants"),
        breakdowns=(PROJECT_KIND,),
        records=_participation_records,
    )
)

register(
    Indicator(
        id="collective.tenant_participations",
        group="collective",
        reads=("projects.Project", ACTIVITY),
        label=_("Participations de locataires"),
        definition=_(
            "Parmi les participations aux activités de projets datées dans la période, celles "
            "de locataires (somme des locataires inscrits à chaque activité)."
        ),
        unit=COUNT,
        source=_("Activités des projets"),
        rows=_participation_rows("tenants"),
        breakdowns=(PROJECT_KIND,),
        records=_participation_records,
    )
)

register(
    Indicator(
        id="collective.associations_active",
        group="collective",
        reads=WITHOUT_ACTIVITIES,
        label=_("Associations de locataires actives"),
        definition=_(
            "Associations de locataires qui ont tenu une rencontre dans la période, ou dont le "
            "statut est « Active » et qui étaient fondées à la fin de la période (le statut "
            "n'a pas d'historique : une association aujourd'hui inactive compte pour les "
            "périodes où elle s'est réunie). Chacune compte dans le territoire de son organisme "
            "d'habitation."
        ),
        unit=COUNT,
        source=_("Associations de locataires et leurs rencontres"),
        rows=_association_rows(_active_associations),
        breakdowns=(PROVIDER_KIND,),
        records=_association_records(_active_associations),
    )
)

register(
    Indicator(
        id="collective.associations_founded",
        group="collective",
        reads=WITHOUT_ACTIVITIES,
        label=_("Associations de locataires fondées"),
        definition=_(
            "Associations de locataires dont la date de fondation est dans la période, quel que "
            "soit leur statut aujourd'hui."
        ),
        unit=COUNT,
        source=_("Associations de locataires"),
        rows=_association_rows(_founded_associations),
        breakdowns=(PROVIDER_KIND,),
        records=_association_records(_founded_associations),
    )
)
