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

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tremplin.housing.models import Clientele, ProviderKind
from tremplin.housing.selectors import directory_filter
from tremplin.projects import counting
from tremplin.projects import permissions as project_permissions
from tremplin.projects.models import (
    Accompaniment,
    AccompanimentTheme,
    AssociationStatus,
    Determinant,
    ProjectKind,
    TenantAssociation,
)
from tremplin.territories.models import LocalTeam

from ..catalogue import COUNT, GROUPS, Breakdown, Facts, Indicator, group, register
from .collective_projects import (
    completed,
    participation_facts,
    participation_records,
    participation_rows,
    project_facts,
    project_records,
    project_rows,
    started,
    under_way,
)
from .common import area_filter, choice_labels, link, table

SELECTION = {"under_way": under_way, "started": started, "completed": completed}

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


def _provider_facts(breakdown):
    """Every period at once (setbased.py); the themes, a list in a JSON column: period by
    period."""
    if breakdown == "theme":
        return None
    accompaniments = Accompaniment.objects.all()
    territory = f"provider__{PROVIDER_TERRITORY}"
    kind = "provider__kind" if breakdown == "provider_kind" else None
    return [
        Facts(
            accompaniments,
            "start_date",
            "end_date",
            territory=territory,
            key="provider_id",
            item=kind,
        )
    ]


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


def _collective(**fields) -> Indicator:
    fields.setdefault("reads", WITHOUT_ACTIVITIES)
    return register(Indicator(group="collective", unit=COUNT, **fields))


def _projects(id, selection: str, label, definition) -> Indicator:
    chosen = SELECTION[selection]
    return _collective(
        id=id,
        label=label,
        definition=definition,
        source=_("Projets"),
        rows=lambda period, breakdown: project_rows(chosen(period), breakdown),
        facts=project_facts(selection),
        breakdowns=PROJECT_BREAKDOWNS,
        records=project_records(chosen),
    )


def _participations(id, field: str, label, definition) -> Indicator:
    return _collective(
        id=id,
        reads=("projects.Project", ACTIVITY),
        label=label,
        definition=definition,
        source=_("Activités des projets"),
        rows=participation_rows(field),
        facts=participation_facts(field),
        breakdowns=(PROJECT_KIND,),
        records=participation_records,
    )


def _associations(id, selection, label, definition, source) -> Indicator:
    return _collective(
        id=id,
        label=label,
        definition=definition,
        source=source,
        rows=_association_rows(selection),
        breakdowns=(PROVIDER_KIND,),
        records=_association_records(selection),
    )


_collective(
    id="collective.providers_accompanied",
    label=_("Organismes d'habitation accompagnés"),
    definition=_(
        "Organismes d'habitation accompagnés par une organisatrice ou un organisateur "
        "communautaire pendant au moins un jour de la période. Un organisme accompagné "
        "plusieurs fois compte une fois, dans son propre territoire."
    ),
    source=_("Accompagnements des organismes d'habitation"),
    rows=_provider_rows,
    facts=_provider_facts,
    breakdowns=(PROVIDER_KIND, THEME),
    records=_provider_records,
)
_projects(
    "collective.projects_under_way",
    "under_way",
    _("Projets en cours"),
    _(
        "Projets en cours ou terminés qui se sont déroulés pendant au moins un jour de la "
        "période. Un projet compte dans chacun de ses territoires, une fois dans la région "
        "et une fois pour l'ensemble du programme."
    ),
)
_projects(
    "collective.projects_started",
    "started",
    _("Projets démarrés"),
    _(
        "Projets en cours ou terminés dont la date de début est dans la période. Les idées, "
        "les projets en préparation et les projets abandonnés ne comptent pas."
    ),
)
_projects(
    "collective.projects_completed",
    "completed",
    _("Projets terminés"),
    _("Projets au statut « Terminé » dont la date de fin est dans la période."),
)
_participations(
    "collective.participations",
    "participants",
    _("Participations aux activités des projets"),
    _(
        "Somme des participant·es inscrits aux activités de projets datées dans la période. "
        "Une personne venue à trois activités compte trois fois."
    ),
)
_participations(
    "collective.tenant_participations",
    "tenants",
    _("Participations de locataires"),
    _(
        "Parmi les participations aux activités de projets datées dans la période, celles "
        "de locataires (somme des locataires inscrits à chaque activité)."
    ),
)
_associations(
    "collective.associations_active",
    _active_associations,
    _("Associations de locataires actives"),
    _(
        "Associations de locataires qui ont tenu une rencontre dans la période, ou dont le "
        "statut est « Active » et qui étaient fondées à la fin de la période (le statut "
        "n'a pas d'historique : une association aujourd'hui inactive compte pour les "
        "périodes où elle s'est réunie). Chacune compte dans le territoire de son organisme "
        "d'habitation."
    ),
    _("Associations de locataires et leurs rencontres"),
)
_associations(
    "collective.associations_founded",
    _founded_associations,
    _("Associations de locataires fondées"),
    _(
        "Associations de locataires dont la date de fondation est dans la période, quel que "
        "soit leur statut aujourd'hui."
    ),
    _("Associations de locataires"),
)
