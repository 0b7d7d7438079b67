"""What each kind of record puts in the search index.

A kind is one table of another app and three SQL expressions over its row (``{r}``: ``NEW`` in
a trigger, the table's alias in a rebuild): the title (weight A, shown highlighted), the body
(weight B, the snippet) and extra words (weight C, never shown: the folded ``search_key`` an
app keeps, an organizer's name). The index is kept by triggers in the database
(``schema.py``), so that every write — ``save()``, ``bulk_create``, ``QuerySet.update``, a
raw insert by the bench — keeps it true. Only columns every reader of the kind's list may see
go in: never internal notes.
"""

# ruff: noqa: S608  (table and column names come from kinds.py; the user's text only
# ever reaches SQL as a query parameter)

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    model: str  # app_label.ModelName
    table: str
    title: str
    body: str
    extra: str
    watch: tuple[str, ...]  # an UPDATE of one of these columns re-indexes the row

    @property
    def index(self) -> str:
        return f"search_{self.name}"

    def expressions(self, row: str) -> tuple[str, str, str]:
        return tuple(e.format(r=row) for e in (self.title, self.body, self.extra))


def _cat(*parts: str) -> str:
    return " || ' ' || ".join(f"coalesce({p}, '')" for p in parts)


def _municipality(column: str) -> str:
    return f"(SELECT m.name FROM territories_municipality m WHERE m.id = {{r}}.{column})"


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "provider",
            "housing.HousingProvider",
            "housing_housingprovider",
            title=_cat("{r}.name"),
            body=_cat("{r}.address", _municipality("municipality_id")),
            extra=_cat("{r}.search_key"),
            watch=("name", "address", "municipality_id", "search_key"),
        ),
        Kind(
            "building",
            "housing.Building",
            "housing_building",
            title=_cat("{r}.name"),
            body=_cat("{r}.address", "{r}.postal_code", _municipality("municipality_id")),
            extra=_cat(
                "(SELECT p.name FROM housing_housingprovider p WHERE p.id = {r}.provider_id)"
            ),
            watch=("name", "address", "postal_code", "municipality_id", "provider_id"),
        ),
        Kind(
            "project",
            "projects.Project",
            "projects_project",
            title=_cat("{r}.title"),
            body=_cat("{r}.summary"),
            extra=_cat(
                "{r}.search_key",
                "(SELECT u.first_name || ' ' || u.last_name FROM auth_user u"
                " WHERE u.id = {r}.lead_organizer_id)",
            ),
            watch=("title", "summary", "search_key", "lead_organizer_id"),
        ),
        Kind(
            "event",
            "events.Event",
            "events_event",
            title=_cat("{r}.title"),
            body=_cat("{r}.description"),
            extra=_cat("{r}.search_key", "{r}.organizing_committee"),
            watch=("title", "description", "search_key", "organizing_committee"),
        ),
        Kind(
            "committee",
            "concertation.Committee",
            "concertation_committee",
            title=_cat("{r}.name"),
            body=_cat("{r}.mandate"),
            extra=_cat("{r}.objectives"),
            watch=("name", "mandate", "objectives"),
        ),
        Kind(
            "partner",
            "partners.Partner",
            "partners_partner",
            title=_cat("{r}.name"),
            body=_cat("{r}.short_name"),
            extra="''",
            watch=("name", "short_name"),
        ),
        Kind(
            "person",
            "casework.Person",
            "casework_person",
            title=_cat("{r}.first_name", "{r}.last_name"),
            body="''",
            extra="''",
            watch=("first_name", "last_name"),
        ),
    )
}


def kind_of(model) -> Kind:
    label = model._meta.label
    for kind in KINDS.values():
        if kind.model == label:
            return kind
    raise LookupError(f"{label} is not indexed for search")
