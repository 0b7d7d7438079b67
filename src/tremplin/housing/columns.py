"""The directory spreadsheet layout, shared by export and import so that a file exported,
edited in Excel and imported back round-trips. Headers are in French: that is how the
region's spreadsheets come in, whatever the interface language.
"""

from .models import Program, ProviderKind

# (key, French header). The import also accepts the aliases in import_rows.HEADER_ALIASES.
COLUMNS: list[tuple[str, str]] = [
    ("building_id", "Identifiant de l'immeuble"),
    ("provider", "Organisme"),
    ("provider_kind", "Type d'organisme"),
    ("provider_municipality", "Municipalité de l'organisme"),
    ("territory", "Territoire"),
    ("mrc", "MRC"),
    ("building_name", "Nom de l'immeuble"),
    ("address", "Adresse"),
    ("municipality", "Municipalité"),
    ("postal_code", "Code postal"),
    ("units_studio", "2½ et moins"),
    ("units_1br", "3½"),
    ("units_2br", "4½"),
    ("units_3br", "5½"),
    ("units_4br_plus", "6½ et plus"),
    ("total_units", "Total des logements"),
    ("clienteles", "Clientèles"),
    ("program", "Programme"),
    ("year_built", "Année de construction"),
    ("has_elevator", "Ascenseur"),
    ("adapted_units", "Logements adaptés"),
    ("has_common_room", "Salle communautaire"),
    ("is_demo", "Donnée fictive"),
]
HEADERS = [header for _key, header in COLUMNS]

# Short French labels used in files (the UI uses the models' longer labels).
KIND_LABELS = {
    ProviderKind.OMH: "OMH",
    ProviderKind.OH: "OH",
    ProviderKind.COOP: "Coopérative",
    ProviderKind.OSBL: "OSBL-H",
}
PROGRAM_LABELS = {
    Program.PUBLIC_HLM: "HLM public",
    Program.PRIVATE_HLM: "HLM privé",
    Program.ACCESLOGIS: "AccèsLogis",
    Program.PHAQ: "PHAQ",
    Program.RENT_SUPPLEMENT: "PSL",
    Program.OTHER: "Autre",
}


def yes_no(value: bool) -> str:
    return "oui" if value else "non"


def building_row(b) -> list:
    """One building as spreadsheet cells (numbers stay numbers)."""
    return [
        str(b.public_id),
        b.provider.name,
        KIND_LABELS.get(b.provider.kind, b.provider.kind),
        b.provider.municipality.name if hasattr(b.provider, "municipality") else "",
        b.municipality.mrc.territory.name,
        b.municipality.mrc.name,
        b.name,
        b.address,
        b.municipality.name,
        b.postal_code,
        b.units_studio,
        b.units_1br,
        b.units_2br,
        b.units_3br,
        b.units_4br_plus,
        b.total_units,
        "; ".join(c.name_fr for c in b.clienteles.all()),
        PROGRAM_LABELS.get(b.program, b.program),
        b.year_built if b.year_built is not None else "",
        yes_no(b.has_elevator),
        b.adapted_units,
        yes_no(b.has_common_room),
        yes_no(b.is_demo),
    ]
