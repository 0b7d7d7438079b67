"""Import of projects and of their activities (dated, participants counted) from a spreadsheet,
through the tabular framework and ``services.project_save`` / ``services.activity_log``
(validation, places and counts refreshed, journal)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tremplin.accounts.roles import Role, membership_of
from tremplin.core import tabular
from tremplin.core.tabular import Field, Row, RowResult
from tremplin.core.text import fold
from tremplin.housing.models import HousingProvider

from . import permissions, selectors, services
from .filters import organizers
from .forms import OUTSIDE_TERRITORY
from .models import Project, ProjectActivity, ProjectKind, Status

FIELDS = [
    Field("project", "Projet", required=True, aliases=("Titre du projet", "Nom du projet")),
    Field("date", "Date", required=True, aliases=("Date de l'activité", "Le")),
    Field("title", "Activité", required=True, aliases=("Titre de l'activité", "Nom de l'activité")),
    Field(
        "participants",
        "Participant·es",
        required=True,
        aliases=("Participants", "Nb participants", "Présences"),
    ),
    Field("tenants", "Dont locataires", aliases=("Locataires",)),
    Field("seniors", "Dont aîné·es", aliases=("Aînés",)),
    Field("youth", "Dont jeunes", aliases=("Jeunes",)),
    Field("families", "Dont familles", aliases=("Familles",)),
    Field("note", "Note", aliases=("Notes", "Commentaire")),
]
COUNTS = ("participants", "tenants", "seniors", "youth", "families")


class ActivityImporter(tabular.Importer):
    entity = "activities"
    label = "Activités des projets"
    row_label = "Activité"
    fields = FIELDS

    @classmethod
    def can_import(cls, user) -> bool:
        # Those who may edit projects (organizers in their territories, the coordination).
        return permissions.can_create(user)

    def prepare(self, columns):
        self.columns = columns
        self.projects: dict[str, list] = {}
        for project in selectors.projects_for_user(self.user):
            if permissions.can_edit_project(self.user, project):
                self.projects.setdefault(fold(project.title), []).append(project)
        self.seen: dict[tuple, int] = {}
        self.existing = set(
            ProjectActivity.objects.filter(
                project__in=[p for ps in self.projects.values() for p in ps]
            ).values_list("project_id", "date", "title")
        )

    def check(self, row: Row):
        reasons: list[str] = []
        row.required(["project", "date", "title", "participants"], reasons)
        row.too_long("title", 200, reasons)
        if row.has("note"):
            row.too_long("note", 500, reasons)
        date = row.date("date", reasons)
        counts = {
            key: row.integer(key, reasons, minimum=0, maximum=100_000)
            for key in COUNTS
            if row.has(key)
        }
        title = row.text("title")
        project = None
        name = row.text("project")
        if name:
            matches = self.projects.get(fold(name), [])
            if not matches:
                reasons.append(
                    _("Projet inconnu, ou que vous ne pouvez pas modifier : « %(name)s »")
                    % {"name": name}
                )
            elif len(matches) > 1:
                reasons.append(_("Plusieurs projets s'appellent « %(name)s ».") % {"name": name})
            else:
                project = matches[0]
        label = f"{name} – {title}"
        if project is not None and date is not None:
            key = (project.pk, date, fold(title))
            if key in self.seen:
                reasons.append(_("Doublon de la ligne %(line)s") % {"line": self.seen[key]})
            self.seen.setdefault(key, row.line)
        if reasons:
            return RowResult(row.line, "reject", label, reasons), None
        if (project.pk, date, title) in self.existing:
            return RowResult(row.line, "unchanged", label), None
        activity = ProjectActivity(
            project=project,
            date=date,
            title=title,
            note=row.text("note"),
            **{k: v for k, v in counts.items() if v is not None},
        )
        return RowResult(row.line, "create", label), activity

    def write(self, plans, *, report) -> dict:
        created = []
        for activity in plans:
            services.activity_log(user=self.user, activity=activity)
            created.append(activity.pk)
        return {"created": created}

    def written_records(self, written: dict) -> list[tabular.Written]:
        return [
            tabular.Written(ProjectActivity, written.get("created", []), describe=lambda a: a.title)
        ]

    def undo(self, written: dict) -> None:
        activities = ProjectActivity.objects.filter(pk__in=written.get("created", []))
        projects = set(activities.values_list("project_id", flat=True))
        activities.delete()
        services.project_refresh_counts(list(projects))


# --------------------------------------------------------------------------- projects

PROJECT_FIELDS = [
    Field("title", "Titre", required=True, aliases=("Projet", "Nom du projet", "Titre du projet")),
    Field("kind", "Type", required=True, aliases=("Type de projet", "Catégorie")),
    Field("status", "Statut", aliases=("État",)),
    Field("start_date", "Début", aliases=("Date de début", "Début du projet")),
    Field("end_date", "Fin", aliases=("Date de fin", "Fin du projet")),
    Field("summary", "Résumé", aliases=("Description",)),
    Field(
        "providers",
        "Organismes",
        aliases=("Organisme", "Organismes d'habitation", "OMH"),
        help="plusieurs noms séparés par « ; »",
    ),
    Field(
        "lead_organizer",
        "Organisateur·trice responsable",
        aliases=("Responsable", "Organisateur", "Organisatrice", "Organisateur·trice"),
    ),
]


class ProjectImporter(tabular.Importer):
    """Projects with their type, status, dates and housing providers: new projects are created
    (by ``services.project_save``: validation, places, journal); a row whose title and start
    date are those of a project already there is left unchanged, never overwritten."""

    entity = "projects"
    label = "Projets"
    row_label = "Projet"
    fields = PROJECT_FIELDS

    @classmethod
    def can_import(cls, user) -> bool:
        return permissions.can_create(user)

    def prepare(self, columns):
        self.kinds = tabular.choice_index(ProjectKind)
        self.statuses = tabular.choice_index(Status)
        membership = membership_of(self.user)
        self.limited_to = (
            None
            if membership is None or membership.role == Role.COORDINATION
            else membership.territory_ids()
        )
        self.providers: dict[str, list[HousingProvider]] = {}
        for provider in HousingProvider.objects.select_related("municipality__mrc"):
            self.providers.setdefault(fold(provider.name), []).append(provider)
        self.organizers: dict[str, list] = {}
        for person in organizers():
            for name in {person.username, person.email, person.get_full_name()} - {""}:
                self.organizers.setdefault(fold(name), []).append(person)
        self.existing = {
            (fold(title), start)
            for title, start in Project.objects.values_list("title", "start_date").iterator()
        }
        self.seen: dict[tuple, int] = {}

    def _providers(self, row: Row, reasons: list[str]) -> list[HousingProvider]:
        chosen = []
        for name in filter(None, (part.strip() for part in row.text("providers").split(";"))):
            matches = self.providers.get(fold(name), [])
            if len(matches) != 1:
                message = (
                    _("Organisme inconnu : « %(name)s ».")
                    if not matches
                    else _("Plusieurs organismes s'appellent « %(name)s ».")
                )
                reasons.append(message % {"name": name})
                continue
            provider = matches[0]
            if self.limited_to is not None and (
                provider.municipality.mrc.territory_id not in self.limited_to
            ):
                reasons.append(f"{OUTSIDE_TERRITORY} (« {name} »)")
                continue
            chosen.append(provider)
        return chosen

    def _lead(self, row: Row, reasons: list[str]):
        name = row.text("lead_organizer")
        if not name:
            return None
        matches = self.organizers.get(fold(name), [])
        if len(matches) != 1:
            reasons.append(
                _("Organisateur·trice inconnu·e : « %(name)s » (nom, courriel ou identifiant).")
                % {"name": name}
            )
            return None
        return matches[0]

    def check(self, row: Row):
        reasons: list[str] = []
        row.required(["title", "kind"], reasons)
        row.too_long("title", 200, reasons)
        title = row.text("title")
        kind = row.choice("kind", self.kinds, reasons, expected=_("un type de projet"))
        status = None
        if row.has("status"):
            status = row.choice("status", self.statuses, reasons, expected=_("un statut"))
        start = row.date("start_date", reasons) if row.has("start_date") else None
        end = row.date("end_date", reasons) if row.has("end_date") else None
        providers = self._providers(row, reasons) if row.has("providers") else []
        lead = self._lead(row, reasons) if row.has("lead_organizer") else None
        key = (fold(title), start)
        if title and key in self.seen:
            reasons.append(_("Doublon de la ligne %(line)s") % {"line": self.seen[key]})
        self.seen.setdefault(key, row.line)
        if reasons:
            return RowResult(row.line, "reject", title, reasons), None
        if key in self.existing:
            return RowResult(row.line, "unchanged", title), None
        project = Project(
            title=title,
            kind=kind,
            status=status or Status.IDEA,
            start_date=start,
            end_date=end,
            summary=row.text("summary") if row.has("summary") else "",
            lead_organizer=lead or (self.user if self.limited_to is not None else None),
        )
        try:
            project.full_clean()
        except ValidationError as exc:
            return RowResult(row.line, "reject", title, list(exc.messages)), None
        return RowResult(row.line, "create", title), (project, providers)

    def write(self, plans, *, report) -> dict:
        created = []
        for project, providers in plans:
            services.project_save(user=self.user, project=project, sites=([], providers))
            created.append(project.pk)
        return {"created": created}

    def written_records(self, written: dict) -> list[tabular.Written]:
        return [
            tabular.Written(
                Project,
                written.get("created", []),
                describe=lambda p: p.title,
                ignore=(
                    "search_key",
                    "territory_names",
                    "activity_count",
                    "participant_sum",
                    "tenant_sum",
                ),
            )
        ]

    def undo_obstacles(self, written: dict) -> list[str]:
        reasons: list[str] = []
        tabular.still_linked(Project, written.get("created", []), lambda p: p.title, reasons)
        return reasons

    def undo(self, written: dict) -> None:
        for project in Project.objects.filter(pk__in=written.get("created", [])):
            services.project_delete(user=self.user, project=project)
