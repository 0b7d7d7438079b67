"""Reading one row of the directory's spreadsheet: the other spellings of its headers and of
its values (kinds, programs), and the directory it is checked against — municipalities and
providers matched loosely, homonyms told apart — loaded once, with the building's values
worked out from the row (``building_values``). Used by ``importing.DirectoryImporter``.
"""

import datetime as dt
import functools
import re
from collections import defaultdict

from django.utils.translation import gettext as _

from tremplin.core import tabular
from tremplin.core.tabular import Field, Row
from tremplin.core.tabular.cells import parse_int
from tremplin.core.text import fold as _fold_text
from tremplin.territories.models import Municipality

from .columns import COLUMNS
from .models import Building, Clientele, HousingProvider, Program, ProviderKind

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


def address_key(text: str) -> str:
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


class Directory:
    """The database state the file is checked against, loaded once (no query per row)."""

    def __init__(self):
        self.year_max = dt.date.today().year + 5  # of construction
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
                (b.provider_id, address_key(b.address), b.municipality_id), b
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


def count(row: Row, key: str, reasons: list[str]) -> int | None:
    """A number of units (None when the cell is empty or wrong; wrong adds a reason)."""
    text = row.get(key)
    try:
        value = parse_int(text)
    except ValueError:
        if not row.formula_reason(key, text, reasons):
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


def building_values(row: Row, building: Building | None, db: "Directory", reasons: list[str]):
    """The building's other fields from the row (absent columns keep what is stored)."""
    values: dict = {}
    if row.has("building_name"):
        values["name"] = row.text("building_name")

    # Units: the size breakdown when given (the total column is then derived), else the total.
    current = {f: getattr(building, f) if building else 0 for f in UNIT_FIELDS}
    given = {f: count(row, f, reasons) for f in UNIT_FIELDS if row.has(f)}
    total = count(row, "total_units", reasons) if row.has("total_units") else None
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
        adapted = count(row, "adapted_units", reasons) or 0
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
            reasons.append(_("Programme inconnu : « %(value)s »") % {"value": row.text("program")})
        else:
            values["program"] = program

    if row.has("year_built"):
        text = row.get("year_built")
        try:
            year = parse_int(text)
        except ValueError:
            year = -1
        if year is not None and not 1800 <= year <= db.year_max:
            reasons.append(
                _("Année de construction invalide : « %(value)s » (entre 1800 et %(max)s).")
                % {"value": text, "max": db.year_max}
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
            clientele = db.clienteles.get(_loose(name)) or db.clienteles.get(_singular_key(name))
            if clientele is None:
                reasons.append(_("Clientèle inconnue : « %(value)s »") % {"value": name})
            else:
                clientele_ids.add(clientele.pk)
    return values, clientele_ids
