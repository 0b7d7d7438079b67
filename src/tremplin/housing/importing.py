"""Import of the housing directory (Répertoire): providers, buildings and their units.

A user of the tabular framework (``tremplin.core.tabular``): its fields and the matching of a
row against the directory are in ``import_rows``; here, one row checked (duplicates within
the file rejected, updates told from unchanged rows), the accepted rows written in bulk with
the model's own validation, the providers' counts refreshed, and a commit undone.
"""

import contextlib
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action
from tremplin.core import tabular
from tremplin.core.tabular import Row, RowResult

from .import_rows import (
    FIELDS,
    REQUIRED,
    TEXT_LIMITS,
    UNIT_FIELDS,
    Directory,
    address_key,
    building_values,
    fold,
)
from .models import Building, HousingProvider, normalize_postal_code
from .permissions import can_import_directory
from .services import provider_refresh


@dataclass
class _Plan:
    """What an accepted row will write."""

    result: RowResult
    provider: HousingProvider  # existing, or new (not saved yet, shared by rows)
    building: Building | None  # the building to update, None to create
    values: dict  # Building field name → value
    clientele_ids: set | None  # None: keep the building's clienteles
    saved: Building | None = None  # the building written (set when applying)


# --- The importer ------------------------------------------------------------------------


class DirectoryImporter(tabular.Importer):
    entity = "directory"
    label = "Répertoire : organismes et immeubles"
    row_label = "Immeuble"
    fields = FIELDS
    reject_identical_rows = False  # duplicates are recognised by identifier and by address

    @classmethod
    def can_import(cls, user) -> bool:
        return can_import_directory(user)

    def prepare(self, columns):
        self.columns = columns
        self.db = Directory()
        self.seen_ids: dict[str, int] = {}
        self.seen_places: dict[tuple, int] = {}
        self.seen_buildings: dict[int, int] = {}

    def notes(self, columns) -> list[str]:
        if any(f in columns for f in UNIT_FIELDS) and "total_units" in columns:
            return [
                _("Le total des logements est recalculé à partir de la répartition par taille.")
            ]
        return []

    def check(self, row: Row) -> tuple[RowResult, _Plan | None]:
        line = row.line
        reasons: list[str] = []
        provider_name = row.text("provider")
        address = row.text("address")
        municipality_name = row.text("municipality")
        label = " – ".join(p for p in (provider_name, address) if p)
        if municipality_name:
            label = f"{label}, {municipality_name}" if label else municipality_name

        row.required(REQUIRED, reasons)
        for key, limit in TEXT_LIMITS.items():
            if row.has(key):
                row.too_long(key, limit, reasons)

        municipality = None
        if municipality_name:
            municipality, error = self.db.municipality(municipality_name, row.text("mrc"))
            if error:
                reasons.append(error)

        postal_code = ""
        if row.get("postal_code"):
            try:
                postal_code = normalize_postal_code(row.get("postal_code"))
            except ValidationError as exc:
                reasons.extend(exc.messages)

        is_demo = row.boolean("is_demo", reasons) if row.has("is_demo") else None

        provider = None
        if provider_name:
            provider, error = self.db.provider(
                provider_name,
                row.text("provider_kind"),
                row.text("provider_municipality"),
                municipality,
                bool(is_demo),
            )
            if error:
                reasons.append(error)
            elif provider is not None and provider.pk is None:
                label = _("%(label)s (nouvel organisme)") % {"label": label}

        if provider is not None and municipality is not None:
            if provider.municipality.mrc.region_id != municipality.mrc.region_id:
                reasons.append(
                    _(
                        "La municipalité « %(municipality)s » n'est pas dans la région de "
                        "l'organisme « %(provider)s »."
                    )
                    % {"municipality": municipality.name, "provider": provider.name}
                )

        # The building to update: by its identifier, else by provider, address and municipality.
        building = None
        building_id = row.get("building_id")
        id_key = building_id.lower() if building_id else ""
        if building_id:
            try:
                id_key = str(uuid.UUID(building_id))
            except ValueError:
                pass
            else:
                building = self.db.buildings_by_id.get(id_key)
        place_key = address_key(address)
        if building is None and provider is not None and provider.pk and municipality is not None:
            building = self.db.buildings_by_place.get((provider.pk, place_key, municipality.pk))

        # Duplicates within the file: the first occurrence wins, later ones are rejected.
        place = None
        if provider_name and address and municipality_name:
            place = (
                fold(provider_name),
                place_key,
                municipality.pk if municipality else fold(municipality_name),
            )
        first = None
        if id_key and id_key in self.seen_ids:
            first = self.seen_ids[id_key]
        elif building is not None and building.pk in self.seen_buildings:
            first = self.seen_buildings[building.pk]
        elif place is not None and place in self.seen_places and not (building_id and building):
            first = self.seen_places[place]
        if first is not None:
            reasons.append(_("Doublon de la ligne %(line)s") % {"line": first})
        if id_key:
            self.seen_ids.setdefault(id_key, line)
        if building is not None:
            self.seen_buildings.setdefault(building.pk, line)
        if place is not None:
            self.seen_places.setdefault(place, line)

        values, clientele_ids = building_values(row, building, self.db, reasons)
        if is_demo is not None:
            values["is_demo"] = is_demo

        if reasons or provider is None or municipality is None:
            return RowResult(line=line, action="reject", label=label, reasons=reasons), None
        values.update(address=address, postal_code=postal_code, municipality=municipality)
        action = "create"
        if building is not None:
            action = (
                "update"
                if self._differs(building, provider, values, clientele_ids)
                else "unchanged"
            )
        result = RowResult(line=line, action=action, label=label)
        return result, _Plan(result, provider, building, values, clientele_ids)

    def _differs(self, building, provider, values, clientele_ids) -> bool:
        """Whether applying the row would change the stored building (so reviewers see real changes)."""
        if building.provider_id != provider.pk:
            return True
        for name, value in values.items():
            stored = building.municipality_id if name == "municipality" else getattr(building, name)
            if name == "municipality":
                value = value.pk
            if stored != value:
                return True
        current = self.db.building_clienteles.get(building.pk, set())
        return clientele_ids is not None and set(clientele_ids) != current

    def write(self, plans, *, report) -> dict:
        return _write(self, plans, report=report)

    def written_records(self, written: dict) -> list[tabular.Written]:
        created, updated, providers = _written(written)
        return [
            tabular.Written(Building, [*created, *updated], related=("municipality",)),
            tabular.Written(HousingProvider, providers, ignore=PROVIDER_DERIVED),
        ]

    def undo_obstacles(self, written: dict) -> list[str]:
        return _undo_obstacles(written)

    def undo(self, written: dict) -> None:
        _undo(written, user=self.user)


# --- Applying --------------------------------------------------------------------------------

BATCH_SIZE = 500


def _prepare_building(plan: _Plan) -> tuple[Building, list[str]]:
    """Put the row's values on its building (new or stored); returns it and the changed fields."""
    building = plan.building or Building()
    values = dict(plan.values)
    municipality = values.pop("municipality")
    changed = [name for name, value in values.items() if getattr(building, name) != value]
    if building.municipality_id != municipality.pk:
        changed.append("municipality")
    if building.provider_id != plan.provider.pk:
        changed.append("provider")
    for name, value in values.items():
        setattr(building, name, value)
    building.municipality = municipality
    building.provider = plan.provider
    if building.pk is None or changed:
        # The rows were checked already; the model's own rules are a last guard (no query).
        # A new building gets the whole full_clean() before its insert (``_write``).
        if building.pk is not None:
            building.clean()
        building.total_units = sum(getattr(building, f) for f in UNIT_FIELDS)
    return building, changed


def _write(importer: "DirectoryImporter", plans: list[_Plan], *, report) -> dict:
    """Write the accepted rows (the caller holds the transaction); what was written, to undo."""
    checker, user = importer, importer.user
    now = timezone.now()
    before: dict[int, dict] = {}
    touched: dict[int, HousingProvider | None] = {}
    created_providers = []
    to_create: list[Building] = []
    to_update: list[tuple[Building, list[str]]] = []
    for plan in plans:
        provider = plan.provider
        if provider.pk is None:
            provider.full_clean()
            provider.save()
            created_providers.append(provider)
        old_provider_id = plan.building.provider_id if plan.building else None
        stored = _stored_values(plan.building) if plan.building else None
        building, changed = _prepare_building(plan)
        plan.saved = building
        if building.pk is None:
            to_create.append(building)
        elif changed:
            building.updated_at = now
            to_update.append((building, changed))
            before[building.pk] = stored
        else:
            continue
        touched[provider.pk] = provider
        if old_provider_id and old_provider_id != provider.pk:
            touched.setdefault(old_provider_id, None)

    for building in to_create:
        # The rows were checked already; the model's field rules are a last guard (no query:
        # the keys were matched against the database, uniqueness is the importer's own check).
        building.full_clean(exclude=["provider", "municipality"], validate_unique=False)
    if to_create:
        if connection.features.can_return_rows_from_bulk_insert:
            with _wide_sqlite_batches():
                Building.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        else:  # an old SQLite: one INSERT each, to learn the new keys
            for building in to_create:
                building.save()
    for building, changed in to_update:
        # One UPDATE of the changed columns (faster than bulk_update's CASE per field on SQLite).
        columns = {Building._meta.get_field(name).attname for name in changed}
        columns |= {"total_units", "updated_at"}
        Building.objects.filter(pk=building.pk).update(**{c: getattr(building, c) for c in columns})

    # Clienteles, once every building has its key.
    through = Building.clienteles.through
    links_to_add = []
    for plan in plans:
        if plan.clientele_ids is None:
            continue
        building = plan.saved
        current = checker.db.building_clienteles.get(building.pk, set())
        removed = current - plan.clientele_ids
        if removed:
            through.objects.filter(building_id=building.pk, clientele_id__in=removed).delete()
        added = plan.clientele_ids - current
        links_to_add += [through(building_id=building.pk, clientele_id=c) for c in added]
        if added or removed:
            touched.setdefault(building.provider_id, plan.provider)
            if building.pk not in before and plan.building is not None:
                before[building.pk] = _stored_values(plan.building)
            if plan.building is not None:
                before[building.pk]["clienteles"] = sorted(current)
    if links_to_add:
        through.objects.bulk_create(links_to_add, batch_size=BATCH_SIZE)

    # Counts and search keys of every provider that gained, lost or changed a building.
    missing = [pk for pk, p in touched.items() if p is None]
    for p in HousingProvider.objects.filter(pk__in=missing).select_related(
        "municipality__mrc__territory"
    ):
        touched[p.pk] = p
    for provider in touched.values():
        provider_refresh(provider)
    log_action(
        None,
        "housing.import",
        user=user,
        data={
            "kind": "directory",
            "filename": importer.options.get("filename", "")[:255],
            **report.counts(),
            "providers_created": [str(p.public_id) for p in created_providers],
        },
    )
    return {
        "buildings_created": [b.pk for b in to_create],
        "buildings_updated": {str(pk): values for pk, values in before.items()},
        "providers_created": [p.pk for p in created_providers],
    }


@contextlib.contextmanager
def _wide_sqlite_batches():
    """Django assumes SQLite's old limit of 999 parameters (40 buildings per INSERT); since
    SQLite 3.32 the limit is 32,766: batches of 500 rows make 25 times fewer statements."""
    features = connection.features
    if connection.vendor != "sqlite" or connection.Database.sqlite_version_info < (3, 32):
        yield
        return
    before = features.max_query_params
    features.max_query_params = 32_766
    try:
        yield
    finally:
        features.max_query_params = before


STORED_FIELDS = (
    "provider_id",
    "name",
    "address",
    "postal_code",
    "municipality_id",
    *UNIT_FIELDS,
    "total_units",
    "program",
    "year_built",
    "has_elevator",
    "adapted_units",
    "has_common_room",
    "is_demo",
)


def _stored_values(building: Building) -> dict:
    return {name: getattr(building, name) for name in STORED_FIELDS}


# Kept up to date by ``provider_refresh`` as buildings come and go: not a change of the provider.
PROVIDER_DERIVED = ("building_count", "unit_count", "search_key", "name_key")


def _written(written: dict) -> tuple[list, dict, list]:
    created = written.get("buildings_created", [])
    updated = {int(pk): values for pk, values in written.get("buildings_updated", {}).items()}
    return created, updated, written.get("providers_created", [])


def _undo_obstacles(written: dict) -> list[str]:
    """What the directory has gained since that points to what the commit created."""
    created, updated, providers = _written(written)
    reasons: list[str] = []
    tabular.still_linked(Building, created, str, reasons)
    tabular.still_linked(HousingProvider, providers, str, reasons, ignore=(Building,))
    others = (
        Building.objects.filter(provider__in=providers)
        .exclude(pk__in=[*created, *updated])
        .values_list("provider", flat=True)
        .distinct()
    )
    for provider in HousingProvider.objects.filter(pk__in=others[:10]):
        reasons.append(
            _("L'organisme « %(name)s » a reçu d'autres immeubles depuis l'importation.")
            % {"name": provider.name}
        )
    return reasons


def _undo(written: dict, *, user) -> None:
    """Delete the buildings and providers the commit created, put back the values it changed
    (once ``tabular.undo`` has found none of them changed since)."""
    created, updated, providers = _written(written)
    touched = set(
        Building.objects.filter(pk__in=[*created, *updated]).values_list("provider_id", flat=True)
    )
    Building.objects.filter(pk__in=created).delete()
    through = Building.clienteles.through
    for building in Building.objects.filter(pk__in=updated):
        values = dict(updated[building.pk])
        clienteles = values.pop("clienteles", None)
        for name, value in values.items():
            setattr(building, name, value)
        building.full_clean(exclude=["provider", "municipality"], validate_unique=False)
        building.save()
        touched.add(building.provider_id)
        if clienteles is not None:
            through.objects.filter(building_id=building.pk).delete()
            through.objects.bulk_create(
                [through(building_id=building.pk, clientele_id=c) for c in clienteles]
            )
    HousingProvider.objects.filter(pk__in=providers).delete()
    for provider in HousingProvider.objects.filter(pk__in=touched).select_related(
        "municipality__mrc__territory"
    ):
        provider_refresh(provider)
    log_action(
        None,
        "housing.import.undo",
        user=user,
        data={"buildings_deleted": len(created), "buildings_restored": len(updated)},
    )


# Entry points without history (the ``imports`` app keeps the record of web and command imports).


def check_directory_file(content: bytes, filename: str, **kwargs) -> tabular.Report:
    """Read and check the file against the database; writes nothing (the dry run)."""
    return tabular.dry_run(DirectoryImporter(), content, filename, **kwargs)


def apply_directory_file(*, user, content: bytes, filename: str, **kwargs) -> tabular.Report:
    """Check the file again, then save every accepted row, all or nothing.

    An unexpected error while saving rolls everything back and is raised again.
    """
    importer = DirectoryImporter(user=user, options={"filename": filename})
    return tabular.commit(importer, content, filename, **kwargs)
