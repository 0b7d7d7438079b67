"""Import of the housing directory (Répertoire): providers, buildings and their units.

A user of the tabular framework (``tremplin.core.tabular``): it names the fields, checks one
row against the directory (providers and municipalities matched loosely, homonyms told apart,
duplicates within the file rejected), writes the accepted rows in bulk with the model's own
validation, refreshes the providers' counts, and undoes a commit.
"""

import contextlib
import datetime as dt
import functools
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action
from tremplin.core import tabular
from tremplin.core.tabular import Field, Row, RowResult
from tremplin.core.tabular.cells import parse_int
from tremplin.core.text import fold as _fold_text
from tremplin.territories.models import Municipality

from .columns import COLUMNS
from .models import (
    Building,
    Clientele,
    HousingProvider,
    Program,
    ProviderKind,
    normalize_postal_code,
)
from .permissions import can_import_directory
from .services import provider_refresh

# Names of providers and places repeat on thousands of rows: fold each spelling once.
fold = functools.lru_cache(maxsize=50_000)(_fold_text)

REQUIRED = ("provider", "address", "municipality", "postal_code")
UNIT_FIELDS = Building.UNIT_FIELDS

# Other spellings met in the region's spreadsheets, besides the headers of columns.COLUMNS.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "building_id": ("Identifiant", "ID", "Identifiant immeuble", "UUID"),
    "provider": (
        "Nom de l'organisme",
        "Office",
        "Nom de l'office",
        "Organisme d'habitation",
        "Nom de l'organisme d'habitation",
        "Propriétaire",
    ),
    "provider_kind": ("Type", "Type de l'organisme", "Catégorie d'organisme"),
    "provider_municipality": ("Ville de l'organisme", "Municipalité du siège social"),
    "territory": ("RLS", "Réseau local de services"),
    "mrc": ("Municipalité régionale de comté",),
    "building_name": ("Nom", "Immeuble", "Nom immeuble"),
    "address": ("Adresse de l'immeuble", "Adresse civique"),
    "municipality": ("Ville", "Municipalité de l'immeuble"),
    "postal_code": ("CP", "C.P.", "Code postal"),
    "units_studio": ("2 1/2 et moins", "2½", "Studios", "1½ et 2½"),
    "units_1br": ("3 1/2", "1 chambre", "1 c.c."),
    "units_2br": ("4 1/2", "2 chambres", "2 c.c."),
    "units_3br": ("5 1/2", "3 chambres", "3 c.c."),
    "units_4br_plus": ("6 1/2 et plus", "6½", "4 chambres et plus"),
    "total_units": (
        "Nombre de logements",
        "Nb de logements",
        "Nb logements",
        "Logements",
        "Total",
        "Total logements",
    ),
    "clienteles": ("Clientèle", "Clientèle cible", "Clientèles cibles"),
    "program": ("Programme d'habitation",),
    "year_built": ("Année", "Année de construction"),
    "has_elevator": ("Ascenseur",),
    "adapted_units": ("Nombre de logements adaptés", "Logements adaptés", "Adaptés"),
    "has_common_room": ("Local communautaire",),
    "is_demo": ("Donnée fictive", "Fictif"),
}
FIELDS = [
    Field(key, label, required=key in REQUIRED, aliases=HEADER_ALIASES.get(key, ()))
    for key, label in COLUMNS
]
HEADER_LABELS = dict(COLUMNS)
MAX_UNITS = 10_000  # per size of unit in one building: anything above is a typing error
TEXT_LIMITS = {"provider": 200, "address": 200, "building_name": 200}
_loose = tabular.loose

KIND_ALIASES = {
    ProviderKind.OMH: ["OMH", "Office municipal d'habitation", "Office municipal"],
    ProviderKind.OH: ["OH", "Office d'habitation", "ORH", "Office régional d'habitation"],
    ProviderKind.COOP: [
        "Coopérative",
        "Coop",
        "Coop-H",
        "Coopérative d'habitation",
        "Coop d'habitation",
    ],
    ProviderKind.OSBL: [
        "OSBL",
        "OSBL-H",
        "OSBL d'habitation",
        "OBNL",
        "OBNL d'habitation",
        "OSBLH",
    ],
}
KIND_INDEX = {
    _loose(alias): kind for kind, aliases in KIND_ALIASES.items() for alias in aliases + [kind]
}

PROGRAM_ALIASES = {
    Program.PUBLIC_HLM: ["HLM public", "HLM", "HLM publics", "hlm_public"],
    Program.PRIVATE_HLM: ["HLM privé", "HLM privés", "hlm_private"],
    Program.ACCESLOGIS: ["AccèsLogis", "AccèsLogis Québec", "Accès Logis", "ACL", "AQL"],
    Program.PHAQ: ["PHAQ", "Programme d'habitation abordable Québec"],
    Program.RENT_SUPPLEMENT: ["PSL", "Supplément au loyer", "Programme de supplément au loyer"],
    Program.OTHER: ["Autre", "Autres", "other"],
}
PROGRAM_INDEX = {
    _loose(alias): prog for prog, aliases in PROGRAM_ALIASES.items() for alias in aliases + [prog]
}


# --- Matching against the database ---------------------------------------------------------


def _address_key(text: str) -> str:
    return re.sub(r"[\s,.]+", " ", fold(text)).strip()


def _place_key(text: str) -> str:
    """Loose key of a place name: ``"St-Georges"`` and ``"Saint Georges"`` → ``"saintgeorges"``."""
    folded = fold(text)
    folded = re.sub(r"\bste\b\.?", "sainte", folded)
    folded = re.sub(r"\bst\b\.?", "saint", folded)
    return re.sub(r"[^0-9a-z]", "", folded)


def _mrc_key(text: str) -> str:
    key = _place_key(text)
    key = re.sub(r"^(mrc|municipaliteregionaledecomte)", "", key)
    return re.sub(r"^(des|du|de|d|la|les|le|l)", "", key)


def _singular_key(text: str) -> str:
    words = re.sub(r"[^0-9a-z]+", " ", fold(text)).split()
    return "".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


@dataclass
class _Plan:
    """What an accepted row will write."""

    result: RowResult
    provider: HousingProvider  # existing, or new (not saved yet, shared by rows)
    building: Building | None  # the building to update, None to create
    values: dict  # Building field name → value
    clientele_ids: set | None  # None: keep the building's clienteles
    saved: Building | None = None  # the building written (set when applying)


class _Directory:
    """The database state the file is checked against, loaded once (no query per row)."""

    def __init__(self):
        self.municipalities: dict[str, list[Municipality]] = defaultdict(list)
        self.municipalities_loose: dict[str, list[Municipality]] = defaultdict(list)
        self.municipality_by_pk = {}
        for m in Municipality.objects.select_related("mrc__territory", "mrc__region"):
            self.municipalities[m.name_key or fold(m.name)].append(m)
            self.municipalities_loose[_place_key(m.name)].append(m)
            self.municipality_by_pk[m.pk] = m
        self.providers: dict[str, list[HousingProvider]] = defaultdict(list)
        for p in HousingProvider.objects.select_related("municipality__mrc__territory"):
            p.municipality = self.municipality_by_pk.get(p.municipality_id, p.municipality)
            self.providers[fold(p.name)].append(p)
        self.new_providers: dict[str, list[HousingProvider]] = defaultdict(list)
        self.buildings_by_id: dict[str, Building] = {}
        self.buildings_by_place: dict[tuple, Building] = {}
        for b in Building.objects.order_by("pk"):
            self.buildings_by_id[str(b.public_id)] = b
            self.buildings_by_place.setdefault(
                (b.provider_id, _address_key(b.address), b.municipality_id), b
            )
        self.building_clienteles: dict[int, set] = defaultdict(set)
        through = Building.clienteles.through
        for building_id, clientele_id in through.objects.values_list("building_id", "clientele_id"):
            self.building_clienteles[building_id].add(clientele_id)
        self.clienteles: dict[str, Clientele] = {}
        for c in Clientele.objects.all():
            for name in (
                c.name_fr,
                c.name_fr.split("(")[0],
                c.name_en,
                c.name_en.split("(")[0],
                c.code,
            ):
                self.clienteles.setdefault(_loose(name), c)
                self.clienteles.setdefault(_singular_key(name), c)

    def municipality(self, name: str, mrc: str = "") -> tuple[Municipality | None, str | None]:
        candidates = self.municipalities.get(fold(name)) or self.municipalities_loose.get(
            _place_key(name)
        )
        if not candidates:
            bare = re.sub(r"\s*\(.*\)\s*$", "", name)  # "Lévis (V)", "Saint-Georges (ville)"
            if bare != name:
                candidates = self.municipalities.get(fold(bare)) or self.municipalities_loose.get(
                    _place_key(bare)
                )
        if not candidates:
            return None, _("Municipalité inconnue : « %(name)s »") % {"name": name}
        if len(candidates) > 1 and mrc:
            narrowed = [m for m in candidates if _mrc_key(m.mrc.name) == _mrc_key(mrc)]
            if not narrowed:
                return None, _("Municipalité inconnue : « %(name)s » (MRC « %(mrc)s »)") % {
                    "name": name,
                    "mrc": mrc,
                }
            candidates = narrowed
        if len(candidates) > 1:
            return None, _(
                "Municipalité ambiguë : plusieurs municipalités s'appellent « %(name)s » ; "
                "précisez la colonne « MRC »."
            ) % {"name": name}
        return candidates[0], None

    def provider(
        self, name: str, kind_text: str, home_text: str, municipality, is_demo: bool
    ) -> tuple[HousingProvider | None, str | None]:
        key = fold(name)
        home = None
        if home_text:
            home, error = self.municipality(home_text)
            if error:
                return None, _("Municipalité de l'organisme inconnue : « %(name)s »") % {
                    "name": home_text
                }
        candidates = self.providers.get(key, []) + self.new_providers.get(key, [])
        if home is not None:
            matches = [p for p in candidates if p.municipality_id == home.pk]
        else:
            matches = candidates
            if len(matches) > 1 and municipality is not None:
                matches = [p for p in matches if p.municipality_id == municipality.pk] or matches
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            return None, _(
                "Plusieurs organismes s'appellent « %(name)s » : précisez la colonne "
                "« Municipalité de l'organisme »."
            ) % {"name": name}
        # An organization that is not in the directory yet: created if the file says what it is.
        if not kind_text:
            return None, _(
                "Organisme inconnu : « %(name)s ». Pour le créer, indiquez son « Type d'organisme » "
                "(OMH, OH, Coopérative ou OSBL-H)."
            ) % {"name": name}
        kind = KIND_INDEX.get(_loose(kind_text))
        if kind is None:
            return None, _(
                "Type d'organisme inconnu : « %(value)s » (attendu : OMH, OH, Coopérative ou OSBL-H)."
            ) % {"value": kind_text}
        home = home or municipality
        if home is None:
            return None, None  # the building's municipality is missing or unknown: already said
        provider = HousingProvider(kind=kind, name=name, municipality=home, is_demo=is_demo)
        self.new_providers[key].append(provider)
        return provider, None


def _count(row: Row, key: str, reasons: list[str]) -> int | None:
    """A number of units (None when the cell is empty or wrong; wrong adds a reason)."""
    text = row.get(key)
    try:
        value = parse_int(text)
    except ValueError:
        reasons.append(
            _("« %(value)s » n'est pas un nombre entier (colonne « %(column)s »).")
            % {"value": text, "column": row.header(key)}
        )
        return None
    if value is not None and value < 0:
        reasons.append(
            _("Nombre de logements négatif dans la colonne « %(column)s » : %(value)s")
            % {"column": row.header(key), "value": value}
        )
        return None
    if value is not None and value > MAX_UNITS:
        reasons.append(
            _("Nombre de logements invraisemblable dans la colonne « %(column)s » : %(value)s")
            % {"column": row.header(key), "value": value}
        )
        return None
    return value


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
        self.db = _Directory()
        self.seen_ids: dict[str, int] = {}
        self.seen_places: dict[tuple, int] = {}
        self.seen_buildings: dict[int, int] = {}
        self.year_max = dt.date.today().year + 5

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
        address_key = _address_key(address)
        if building is None and provider is not None and provider.pk and municipality is not None:
            building = self.db.buildings_by_place.get((provider.pk, address_key, municipality.pk))

        # Duplicates within the file: the first occurrence wins, later ones are rejected.
        place = None
        if provider_name and address and municipality_name:
            place = (
                fold(provider_name),
                address_key,
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

        values, clientele_ids = self._values(row, building, reasons)
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

    def _values(self, row: Row, building: Building | None, reasons: list[str]):
        """The building's other fields from the row (absent columns keep what is stored)."""
        values: dict = {}
        if row.has("building_name"):
            values["name"] = row.text("building_name")

        # Units: the size breakdown when given (the total column is then derived), else the total.
        current = {f: getattr(building, f) if building else 0 for f in UNIT_FIELDS}
        given = {f: _count(row, f, reasons) for f in UNIT_FIELDS if row.has(f)}
        total = _count(row, "total_units", reasons) if row.has("total_units") else None
        if any(row.get(f) for f in given):
            units = {**current, **{f: value or 0 for f, value in given.items()}}
        elif total is not None:
            units = dict(current)
            if total != sum(current.values()):
                sizes = [f for f in UNIT_FIELDS if current[f]]
                if len(sizes) > 1:
                    reasons.append(
                        _(
                            "Le total des logements (%(total)s) ne correspond pas à la répartition "
                            "par taille enregistrée (%(current)s) : indiquez le nombre de logements "
                            "par taille."
                        )
                        % {"total": total, "current": sum(current.values())}
                    )
                # Without a breakdown, the units are counted in one size, to be detailed later.
                size = sizes[0] if sizes else "units_1br"
                units = {f: 0 for f in UNIT_FIELDS}
                units[size] = total
        else:
            units = current
        values.update(units)

        if row.has("adapted_units"):
            adapted = _count(row, "adapted_units", reasons) or 0
            values["adapted_units"] = adapted
        else:
            adapted = building.adapted_units if building else 0
        units_total = sum(units.values())
        if adapted > units_total:
            reasons.append(
                _("Plus de logements adaptés (%(adapted)s) que de logements (%(total)s).")
                % {"adapted": adapted, "total": units_total}
            )

        if row.has("program") and row.get("program"):
            program = PROGRAM_INDEX.get(_loose(row.get("program")))
            if program is None:
                reasons.append(
                    _("Programme inconnu : « %(value)s »") % {"value": row.text("program")}
                )
            else:
                values["program"] = program

        if row.has("year_built"):
            text = row.get("year_built")
            try:
                year = parse_int(text)
            except ValueError:
                year = -1
            if year is not None and not 1800 <= year <= self.year_max:
                reasons.append(
                    _("Année de construction invalide : « %(value)s » (entre 1800 et %(max)s).")
                    % {"value": text, "max": self.year_max}
                )
            else:
                values["year_built"] = year

        for key in ("has_elevator", "has_common_room"):
            if row.has(key):
                value = row.boolean(key, reasons)
                if value is not None:
                    values[key] = value

        clientele_ids = None
        if row.has("clienteles"):
            clientele_ids = set()
            for name in re.split(r"[;,]", row.get("clienteles")):
                name = name.strip()
                if not name:
                    continue
                clientele = self.db.clienteles.get(_loose(name)) or self.db.clienteles.get(
                    _singular_key(name)
                )
                if clientele is None:
                    reasons.append(_("Clientèle inconnue : « %(value)s »") % {"value": name})
                else:
                    clientele_ids.add(clientele.pk)
        return values, clientele_ids

    def write(self, plans, *, report) -> dict:
        return _write(self, plans, report=report)

    def undo(self, written: dict, *, since) -> list[str]:
        return _undo(written, user=self.user, since=since)


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


def _undo(written: dict, *, user, since) -> list[str]:
    """Delete the buildings and providers the commit created, put back the values it changed;
    refused (with the reasons) when any of them changed since or is now used elsewhere."""
    created = written.get("buildings_created", [])
    updated = {int(pk): values for pk, values in written.get("buildings_updated", {}).items()}
    providers = written.get("providers_created", [])
    reasons: list[str] = []
    describe = str
    tabular.changed_since(
        Building.objects.filter(pk__in=[*created, *updated]), since, describe, reasons
    )
    tabular.changed_since(
        HousingProvider.objects.filter(pk__in=providers), since, describe, reasons
    )
    tabular.still_linked(Building, created, describe, reasons)
    tabular.still_linked(HousingProvider, providers, describe, reasons, ignore=(Building,))
    others = HousingProvider.objects.filter(pk__in=providers, buildings__isnull=False).exclude(
        buildings__pk__in=created
    )
    for provider in others.distinct()[:10]:
        reasons.append(
            _("L'organisme « %(name)s » a reçu d'autres immeubles depuis l'importation.")
            % {"name": provider.name}
        )
    if reasons:
        return reasons
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
    return []


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
