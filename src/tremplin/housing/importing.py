"""Import of the housing directory (Répertoire) from CSV or XLSX.

A file is first checked row by row against the database without writing anything (the dry
run shown for review); applying it checks it again and saves every accepted row in one
transaction. Files come as they really do in Québec: exported by Tremplin and edited in
Excel, or assembled elsewhere, in UTF-8 or Windows-1252, separated by commas or semicolons,
with French headers spelled in many ways.
"""

import csv
import datetime as dt
import io
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action
from tremplin.core.text import fold
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
from .services import provider_refresh


@dataclass
class RowResult:
    line: int  # line number in the file as a spreadsheet user sees it (header = 1)
    action: str  # "create" | "update" | "unchanged" | "reject"
    label: str  # what the row is about, e.g. "OMH de Lévis – 25, rue X"
    reasons: list[str] = field(default_factory=list)  # French reasons, for rejections


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)  # French, file-level (nothing imported)
    notes: list[str] = field(default_factory=list)  # French, informative (e.g. ignored columns)

    def counts(self) -> dict:
        return {
            "created": sum(r.action == "create" for r in self.rows),
            "updated": sum(r.action == "update" for r in self.rows),
            "unchanged": sum(r.action == "unchanged" for r in self.rows),
            "rejected": sum(r.action == "reject" for r in self.rows),
        }


# --- Columns ---------------------------------------------------------------------------------

REQUIRED = ("provider", "address", "municipality", "postal_code")
UNIT_FIELDS = Building.UNIT_FIELDS

# Other spellings met in the region's spreadsheets, besides the headers of columns.COLUMNS.
HEADER_ALIASES: dict[str, list[str]] = {
    "building_id": ["Identifiant", "ID", "Identifiant immeuble", "UUID"],
    "provider": [
        "Nom de l'organisme",
        "Office",
        "Nom de l'office",
        "Organisme d'habitation",
        "Nom de l'organisme d'habitation",
        "Propriétaire",
    ],
    "provider_kind": ["Type", "Type de l'organisme", "Catégorie d'organisme"],
    "provider_municipality": ["Ville de l'organisme", "Municipalité du siège social"],
    "territory": ["RLS", "Réseau local de services"],
    "mrc": ["Municipalité régionale de comté"],
    "building_name": ["Nom", "Immeuble", "Nom immeuble"],
    "address": ["Adresse de l'immeuble", "Adresse civique"],
    "municipality": ["Ville", "Municipalité de l'immeuble"],
    "postal_code": ["CP", "C.P.", "Code postal"],
    "units_studio": ["2 1/2 et moins", "2½", "Studios", "1½ et 2½"],
    "units_1br": ["3 1/2", "1 chambre", "1 c.c."],
    "units_2br": ["4 1/2", "2 chambres", "2 c.c."],
    "units_3br": ["5 1/2", "3 chambres", "3 c.c."],
    "units_4br_plus": ["6 1/2 et plus", "6½", "4 chambres et plus"],
    "total_units": [
        "Nombre de logements",
        "Nb de logements",
        "Nb logements",
        "Logements",
        "Total",
        "Total logements",
    ],
    "clienteles": ["Clientèle", "Clientèle cible", "Clientèles cibles"],
    "program": ["Programme d'habitation"],
    "year_built": ["Année", "Année de construction"],
    "has_elevator": ["Ascenseur"],
    "adapted_units": ["Nombre de logements adaptés", "Logements adaptés", "Adaptés"],
    "has_common_room": ["Local communautaire"],
    "is_demo": ["Donnée fictive", "Fictif"],
}

HEADER_LABELS = dict(COLUMNS)
HEADER_SCAN_ROWS = 10  # title lines tolerated above the header row
MAX_COLUMNS = 200
MAX_UNITS = 10_000  # per size of unit in one building: anything above is a typing error
TEXT_LIMITS = {"provider": 200, "address": 200, "building_name": 200}


def _header_key(text) -> str:
    """``"Nom de l'organisme"`` → ``"nomdelorganisme"``; ``"2 1/2 et moins"`` → ``"2½etmoins"``."""
    folded = fold(text).replace("1⁄2", "½").replace("1/2", "½")
    return re.sub(r"[^0-9a-z½]", "", folded)


def _loose(text) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


HEADER_INDEX: dict[str, str] = {}
for _key, _header in COLUMNS:
    HEADER_INDEX[_header_key(_header)] = _key
for _key, _aliases in HEADER_ALIASES.items():
    for _alias in _aliases:
        HEADER_INDEX.setdefault(_header_key(_alias), _key)

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

YES = {"oui", "o", "yes", "y", "1", "x", "vrai", "true", "v"}
NO = {"non", "n", "no", "0", "faux", "false", "f", ""}


# --- Reading the file ------------------------------------------------------------------------


class FileError(Exception):
    """A file-level problem: the message is French and shown as is; nothing is imported."""


def _max_rows() -> int:
    return int(getattr(settings, "TREMPLIN_IMPORT_MAX_ROWS", 20000))


class TooManyRowsError(FileError):
    pass


def _too_many_rows() -> FileError:
    return TooManyRowsError(
        _("Le fichier compte plus de %(max)s lignes : découpez-le en plusieurs fichiers.")
        % {"max": f"{_max_rows():,}".replace(",", "\u00a0")}
    )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    unreadable = _(
        "Le fichier Excel est illisible ou endommagé. Ouvrez-le dans Excel ou LibreOffice et "
        "enregistrez-le de nouveau au format .xlsx (ou .csv)."
    )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # untrusted input: any failure of the parser means unreadable
        raise FileError(unreadable) from exc
    limit = _max_rows() + HEADER_SCAN_ROWS + 1
    rows: list[tuple[int, list[str]]] = []
    try:
        if not workbook.worksheets:
            raise FileError(_("Le classeur Excel ne contient aucune feuille."))
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # some tools write a wrong sheet size: read every row
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values[:MAX_COLUMNS]]
            if any(cells):
                rows.append((number, cells))
                if len(rows) > limit:
                    raise _too_many_rows()
    except FileError:
        raise
    except Exception as exc:
        raise FileError(unreadable) from exc
    finally:
        workbook.close()
    return rows


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(
            _("Le fichier est encodé en UTF-16 : enregistrez-le au format « CSV UTF-8 » ou .xlsx.")
        )
    if b"\x00" in content:
        raise FileError(
            _(
                "Le fichier contient des caractères nuls : ce n'est pas un fichier CSV texte. "
                "Envoyez un fichier CSV ou Excel (.xlsx)."
            )
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        else:
            text = text.removeprefix("ï»¿")
    if text is None or _CONTROL.search(text):
        raise FileError(
            _(
                "Ce fichier n'est ni un fichier CSV lisible ni un classeur Excel (.xlsx). "
                "Enregistrez-le au format CSV (UTF-8 ou Windows-1252) ou .xlsx."
            )
        )
    return text


def _csv_rows(text: str, delimiter: str, limit: int | None) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            cells = [c.strip() for c in record[:MAX_COLUMNS]]
            if any(cells):
                rows.append((number, cells))
                if limit is not None and len(rows) >= limit:
                    break
    except csv.Error as exc:
        raise FileError(
            _(
                "Le fichier CSV est mal formé près de la ligne %(line)s (guillemets ou cellule trop longue)."
            )
            % {"line": number + 1}
        ) from exc
    return rows


def _header_score(cells: list[str]) -> int:
    return len({HEADER_INDEX.get(_header_key(c)) for c in cells} - {None})


def _read_csv(content: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(content)
    # The separator is the one under which the most known headers appear in the first lines
    # (more robust than counting characters: addresses hold commas, titles may sit above).
    best = None
    for delimiter in (";", ",", "\t"):
        sample = _csv_rows(text, delimiter, HEADER_SCAN_ROWS)
        score = max((_header_score(cells) for _n, cells in sample), default=0)
        first_line = sample[0][1] if sample else []
        candidate = (score, len(first_line), delimiter)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    limit = _max_rows() + HEADER_SCAN_ROWS + 2
    rows = _csv_rows(text, best[2], limit)
    if len(rows) >= limit:
        raise _too_many_rows()
    return rows


def read_table(content: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """Every non-empty row of the file as (line number, cells as text); raises FileError."""
    if not content or not content.strip():
        raise FileError(_("Le fichier est vide."))
    if content.startswith(b"PK"):  # a ZIP archive: an .xlsx workbook, whatever its name
        return _read_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(
            _(
                "Les classeurs Excel 97-2003 (.xls) ne sont pas acceptés : enregistrez le fichier "
                "au format .xlsx ou CSV."
            )
        )
    if content.startswith(b"%PDF"):
        raise FileError(
            _("Un fichier PDF ne peut pas être importé : envoyez un fichier CSV ou .xlsx.")
        )
    try:
        return _read_csv(content)
    except TooManyRowsError:
        raise
    except FileError:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            raise FileError(
                _(
                    "Le fichier porte l'extension .xlsx mais n'est pas un classeur Excel valide : "
                    "il est peut-être endommagé."
                )
            ) from None
        raise


def _map_header(cells: list[str]) -> tuple[dict[str, tuple[int, str]], list[str]]:
    """Known column key → (index, header as written); and the headers that were ignored."""
    columns: dict[str, tuple[int, str]] = {}
    ignored = []
    for index, header in enumerate(cells):
        if not header:
            continue
        key = HEADER_INDEX.get(_header_key(header))
        if key is None or key in columns:
            ignored.append(header)
        else:
            columns[key] = (index, header)
    return columns, ignored


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


# --- Parsing cells ---------------------------------------------------------------------------


def _parse_int(text: str) -> int | None:
    """``"12"``, ``"12.0"``, ``"12,0"``, ``"1 200"`` → int; ``""`` → None; raises ValueError."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not cleaned:
        return None
    if re.fullmatch(r"[-+]?\d+", cleaned):
        return int(cleaned)
    match = re.fullmatch(r"([-+]?\d+)[.,]0+", cleaned)
    if match:
        return int(match.group(1))
    raise ValueError(text)


def _parse_bool(text: str) -> bool:
    value = fold(text).strip(" .")
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(text)


class _Row:
    """The cells of one row, by column key."""

    def __init__(self, cells: list[str], columns: dict[str, tuple[int, str]]):
        self.cells = cells
        self.columns = columns

    def has(self, key: str) -> bool:
        return key in self.columns

    def get(self, key: str) -> str:
        if key not in self.columns:
            return ""
        index = self.columns[key][0]
        return self.cells[index].strip() if index < len(self.cells) else ""

    def text(self, key: str) -> str:
        return " ".join(self.get(key).split())

    def header(self, key: str) -> str:
        return self.columns[key][1] if key in self.columns else HEADER_LABELS[key]


def _count(row: _Row, key: str, reasons: list[str]) -> int | None:
    """A number of units (None when the cell is empty or wrong; wrong adds a reason)."""
    text = row.get(key)
    try:
        value = _parse_int(text)
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


def _yes_no(row: _Row, key: str, reasons: list[str]) -> bool | None:
    text = row.get(key)
    try:
        return _parse_bool(text)
    except ValueError:
        reasons.append(
            _("« %(value)s » n'est pas une réponse oui/non valide (colonne « %(column)s »).")
            % {"value": text, "column": row.header(key)}
        )
        return None


# --- Checking the rows -----------------------------------------------------------------------


class _Checker:
    def __init__(self, columns: dict[str, tuple[int, str]]):
        self.columns = columns
        self.db = _Directory()
        self.seen_ids: dict[str, int] = {}
        self.seen_places: dict[tuple, int] = {}
        self.seen_buildings: dict[int, int] = {}
        self.year_max = dt.date.today().year + 5

    def check(self, line: int, cells: list[str]) -> tuple[RowResult, _Plan | None]:
        row = _Row(cells, self.columns)
        reasons: list[str] = []
        provider_name = row.text("provider")
        address = row.text("address")
        municipality_name = row.text("municipality")
        label = " – ".join(p for p in (provider_name, address) if p)
        if municipality_name:
            label = f"{label}, {municipality_name}" if label else municipality_name

        for key in REQUIRED:
            if not row.get(key):
                reasons.append(
                    _("Valeur manquante dans la colonne obligatoire « %(column)s »")
                    % {"column": row.header(key)}
                )
        for key, limit in TEXT_LIMITS.items():
            if len(row.text(key)) > limit:
                reasons.append(
                    _(
                        "Texte trop long dans la colonne « %(column)s » (%(limit)s caractères au plus)."
                    )
                    % {"column": row.header(key), "limit": limit}
                )

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

        is_demo = _yes_no(row, "is_demo", reasons) if row.has("is_demo") else None

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

    def _values(self, row: _Row, building: Building | None, reasons: list[str]):
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
                year = _parse_int(text)
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
                value = _yes_no(row, key, reasons)
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


def _analyse(content: bytes, filename: str) -> tuple[ImportReport, list[_Plan], _Checker | None]:
    report = ImportReport()
    try:
        rows = read_table(content, filename)
    except FileError as exc:
        report.file_errors.append(str(exc))
        return report, [], None
    if not rows:
        report.file_errors.append(_("Le fichier est vide."))
        return report, [], None

    header_at = 0
    scores = [_header_score(cells) for _line, cells in rows[:HEADER_SCAN_ROWS]]
    if max(scores) >= 2:
        header_at = scores.index(max(scores))
    elif max(scores) == 0:
        report.file_errors.append(
            _(
                "Ligne d'en-tête introuvable : la première ligne doit porter les noms des colonnes "
                "(Organisme, Adresse, Municipalité, Code postal…)."
            )
        )
        return report, [], None
    columns, ignored = _map_header(rows[header_at][1])
    for key in REQUIRED:
        if key not in columns:
            report.file_errors.append(
                _("Colonne obligatoire manquante : « %(column)s »") % {"column": HEADER_LABELS[key]}
            )
    data = rows[header_at + 1 :]
    if not report.file_errors and not data:
        report.file_errors.append(
            _("Le fichier ne contient aucune ligne de données sous l'en-tête.")
        )
    if len(data) > _max_rows():
        report.file_errors.append(str(_too_many_rows()))
    if report.file_errors:
        return report, [], None
    if ignored:
        report.notes.append(
            _("Colonnes ignorées (inconnues) : %(columns)s")
            % {"columns": ", ".join(f"« {h} »" for h in ignored)}
        )
    if any(f in columns for f in UNIT_FIELDS) and "total_units" in columns:
        report.notes.append(
            _("Le total des logements est recalculé à partir de la répartition par taille.")
        )

    checker = _Checker(columns)
    plans = []
    for line, cells in data:
        result, plan = checker.check(line, cells)
        report.rows.append(result)
        if plan is not None:
            plans.append(plan)
    return report, plans, checker


def check_directory_file(content: bytes, filename: str) -> ImportReport:
    """Read and check the file against the database; writes nothing (the dry run)."""
    report, _plans, _checker = _analyse(content, filename)
    return report


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
        building.clean()
        building.total_units = sum(getattr(building, f) for f in UNIT_FIELDS)
    return building, changed


def _apply(
    plans: list[_Plan], checker: _Checker, *, user, filename: str, report: ImportReport
) -> None:
    """Write the accepted rows (the caller holds the transaction)."""
    now = timezone.now()
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
        building, changed = _prepare_building(plan)
        plan.saved = building
        if building.pk is None:
            to_create.append(building)
        elif changed:
            building.updated_at = now
            to_update.append((building, changed))
        else:
            continue
        touched[provider.pk] = provider
        if old_provider_id and old_provider_id != provider.pk:
            touched.setdefault(old_provider_id, None)

    if to_create:
        if connection.features.can_return_rows_from_bulk_insert:
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
            "filename": filename[:255],
            **report.counts(),
            "providers_created": [str(p.public_id) for p in created_providers],
        },
    )


def apply_directory_file(*, user, content: bytes, filename: str) -> ImportReport:
    """Check the file again, then save every accepted row, all or nothing.

    An unexpected error while saving rolls everything back and is raised again.
    """
    with transaction.atomic():
        report, plans, checker = _analyse(content, filename)
        if report.file_errors or checker is None:
            return report
        _apply(plans, checker, user=user, filename=filename, report=report)
    return report
