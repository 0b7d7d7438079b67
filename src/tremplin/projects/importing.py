"""Import of project activities (dated, participants counted) from a spreadsheet, through the
tabular framework and ``services.activity_log`` (validation, counts refreshed, journal)."""

from django.utils.translation import gettext as _

from tremplin.core import tabular
from tremplin.core.tabular import Field, Row, RowResult
from tremplin.core.text import fold

from . import permissions, selectors, services
from .models import ProjectActivity

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
