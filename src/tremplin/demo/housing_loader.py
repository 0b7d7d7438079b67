"""Load the demo housing directory: providers, their contacts and buildings (all fictitious).

The records are in ``data/housing_providers.csv``, ``data/housing_contacts.csv`` and
``data/housing_buildings.csv`` (README.md beside them describes the columns). A provider is
found again by its natural key (folded name, municipality code), a contact by (provider, name),
a building by (provider, address): a second run creates nothing and only resets the demo
records to the data. Records that are not demo records (``is_demo=False``) are never modified.
It writes in bulk; the caller refreshes each provider's derived fields (``provider_refresh``).
"""

from collections import Counter

from tremplin.core.text import fold
from tremplin.housing.models import Building, Clientele, Contact, HousingProvider
from tremplin.housing.models import normalize_postal_code as postal

from .data import read_csv

NOTE = (
    "Donnée fictive de démonstration : les coordonnées, les personnes-ressources et les "
    "immeubles de cette fiche sont inventés."
)
PROVIDER_FIELDS = ("kind", "address", "postal_code", "phone", "email", "notes", "is_demo")
BUILDING_DATA_FIELDS = (
    "name",
    "postal_code",
    "municipality",
    "units_studio",
    "units_1br",
    "units_2br",
    "units_3br",
    "units_4br_plus",
    "total_units",
    "program",
    "year_built",
    "has_elevator",
    "adapted_units",
    "has_common_room",
    "is_demo",
)
BOOLEANS = {"true": True, "false": False}


def providers_data() -> list[dict]:
    return read_csv("housing_providers.csv")


def contacts_data() -> list[dict]:
    return read_csv("housing_contacts.csv")


def buildings_data() -> list[dict]:
    """The buildings' rows, typed: unit counts and years as ints, flags as booleans,
    ``clienteles`` as a list of Clientele codes."""
    rows = read_csv("housing_buildings.csv")
    for row in rows:
        for field in (*Building.UNIT_FIELDS, "year_built", "adapted_units"):
            row[field] = int(row[field])
        for field in ("has_elevator", "has_common_room"):
            row[field] = BOOLEANS[row[field]]
        row["clienteles"] = row["clienteles"].split()
    return rows


def load_housing(munis: dict, created: Counter) -> dict:
    """Create or reset the demo directory; returns {(name_key, municipality code): provider}."""
    providers = _load_providers(munis, created)
    _load_contacts(providers, created)
    _load_buildings(providers, munis, created)
    return providers


def _owner(row: dict, providers: dict):
    return providers.get((fold(row["provider"]), row["provider_municipality"]))


def _load_providers(munis: dict, created: Counter) -> dict:
    specs = {(fold(p["name"]), p["municipality"]): p for p in providers_data()}
    existing = {
        (p.name_key, p.municipality.code): p
        for p in HousingProvider.objects.filter(
            municipality__code__in={code for _key, code in specs},
            name_key__in={key for key, _code in specs},
        ).select_related("municipality")
    }
    new, changed = [], []
    for key, spec in specs.items():
        values = {
            "kind": spec["kind"],
            "address": spec["address"],
            "postal_code": postal(spec["postal_code"]),
            "phone": spec["phone"],
            "email": spec["email"],
            "notes": NOTE,
            "is_demo": True,
        }
        provider = existing.get(key)
        if provider is None:
            new.append(
                HousingProvider(
                    name=spec["name"],
                    name_key=key[0],
                    municipality=munis[spec["municipality"]],
                    **values,
                )
            )
        elif provider.is_demo:
            for field, value in values.items():
                setattr(provider, field, value)
            changed.append(provider)
    HousingProvider.objects.bulk_create(new)
    HousingProvider.objects.bulk_update(changed, PROVIDER_FIELDS)
    created["providers"] += len(new)
    providers = HousingProvider.objects.filter(
        is_demo=True,
        municipality__code__in={code for _key, code in specs},
        name_key__in={key for key, _code in specs},
    ).select_related("municipality__mrc__territory")
    return {
        (p.name_key, p.municipality.code): p
        for p in providers
        if (p.name_key, p.municipality.code) in specs
    }


def _load_contacts(providers: dict, created: Counter) -> None:
    existing = {
        (c.provider_id, c.name): c
        for c in Contact.objects.filter(provider__in=list(providers.values()))
    }
    new, changed = [], []
    for row in contacts_data():
        provider = _owner(row, providers)
        if provider is None:
            continue
        name, role, phone, email = row["name"], row["role"], row["phone"], row["email"]
        contact = existing.get((provider.pk, name))
        if contact is None:
            new.append(Contact(provider=provider, name=name, role=role, phone=phone, email=email))
        else:
            contact.role, contact.phone, contact.email = role, phone, email
            changed.append(contact)
    Contact.objects.bulk_create(new)
    Contact.objects.bulk_update(changed, ["role", "phone", "email"])
    created["contacts"] += len(new)


def _building_values(row: dict, munis: dict) -> dict:
    units = {field: row[field] for field in Building.UNIT_FIELDS}
    return {
        "name": row["name"],
        "postal_code": postal(row["postal_code"]),
        "municipality": munis[row["municipality"]],
        **units,
        "total_units": sum(units.values()),
        "program": row["program"],
        "year_built": row["year_built"],
        "has_elevator": row["has_elevator"],
        "adapted_units": row["adapted_units"],
        "has_common_room": row["has_common_room"],
        "is_demo": True,
    }


def _load_buildings(providers: dict, munis: dict, created: Counter) -> None:
    existing = {
        (b.provider_id, b.address): b
        for b in Building.objects.filter(provider__in=list(providers.values()))
    }
    wanted_clienteles = {}  # (provider_id, address) -> set of clientele codes
    new, changed = [], []
    for row in buildings_data():
        provider = _owner(row, providers)
        if provider is None:
            continue
        address, values = row["address"], _building_values(row, munis)
        key = (provider.pk, address)
        wanted_clienteles[key] = set(row["clienteles"])
        building = existing.get(key)
        if building is None:
            new.append(Building(provider=provider, address=address, **values))
        elif building.is_demo:
            for field, value in values.items():
                setattr(building, field, value)
            changed.append(building)
        else:
            del wanted_clienteles[key]  # a real building: leave it alone
    Building.objects.bulk_create(new)
    Building.objects.bulk_update(changed, BUILDING_DATA_FIELDS)
    created["buildings"] += len(new)

    # Clienteles: add the missing links, remove the ones the data no longer has.
    buildings = {
        (b.provider_id, b.address): b.pk
        for b in Building.objects.filter(provider__in=list(providers.values()), is_demo=True)
    }
    clientele_ids = dict(Clientele.objects.values_list("code", "pk"))
    through = Building.clienteles.through
    wanted = {
        (buildings[key], clientele_ids[code])
        for key, codes in wanted_clienteles.items()
        if key in buildings
        for code in codes
    }
    current = {
        (row["building_id"], row["clientele_id"]): row["pk"]
        for row in through.objects.filter(building_id__in=buildings.values()).values(
            "pk", "building_id", "clientele_id"
        )
    }
    through.objects.filter(
        pk__in=[pk for pair, pk in current.items() if pair not in wanted]
    ).delete()
    through.objects.bulk_create(
        [through(building_id=b, clientele_id=c) for b, c in sorted(wanted - set(current))]
    )
