"""The demo's records, as data files beside this module (CSV and JSON; README.md says what each
holds and which facts are real), and the two readers the demo loaders use.

People, addresses, telephone numbers and e-mail addresses are fictitious.
"""

import csv
import json
from importlib import resources


def _path(name: str):
    return resources.files(__name__).joinpath(name)


def read_json(name: str):
    """The parsed content of the JSON file ``name`` of this folder (a fresh copy each call)."""
    with _path(name).open(encoding="utf-8") as f:
        return json.load(f)


def read_csv(name: str) -> list[dict[str, str]]:
    """The rows of the CSV file ``name`` of this folder, as dicts keyed by its header."""
    with _path(name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# One demo account per role, in display order. ``role`` is a ``tremplin.accounts.roles.Role``
# value; ``territories`` are Territory slugs; ``manages`` names the providers (name, municipality
# code) the account manages; ``supervisor`` is the username of a worker's clinical supervisor.
# Accounts whose role requires two-factor authentication get a TOTP device from the loader
# (``tremplin demo-code USERNAME`` prints its current code).
ACCOUNTS = [
    {
        "username": "coordination",
        "role": "coordination",
        "first_name": "Claudine",
        "last_name": "Bérubé",
        "organization": "CISSS de Chaudière-Appalaches – Direction de santé publique",
        "territories": [],
        "description": "Coordination régionale – toute la région",
    },
    {
        "username": "organisateur",
        "role": "organizer",
        "first_name": "Mathieu",
        "last_name": "Fortier",
        "organization": "CISSS de Chaudière-Appalaches",
        "territories": ["grand-littoral", "montmagny-lislet"],
        "description": "Organisateur communautaire – Grand Littoral et Montmagny-L'Islet",
    },
    {
        "username": "organisatrice-beauce",
        "role": "organizer",
        "first_name": "Annie",
        "last_name": "Veilleux",
        "organization": "CISSS de Chaudière-Appalaches",
        "territories": ["beauce", "etchemins", "region-de-thetford"],
        "description": "Organisatrice communautaire – Beauce, Etchemins et région de Thetford",
    },
    {
        "username": "intervenant",
        "role": "worker",
        "first_name": "Samuel",
        "last_name": "Turgeon",
        "organization": "CISSS de Chaudière-Appalaches",
        "territories": ["grand-littoral"],
        "description": "Intervenant sociocommunautaire – Grand Littoral",
        "supervisor": "superviseure",
    },
    {
        "username": "intervenante-beauce",
        "role": "worker",
        "first_name": "Kim",
        "last_name": "Poirier",
        "organization": "CISSS de Chaudière-Appalaches",
        "territories": ["beauce"],
        "description": "Intervenante sociocommunautaire – Beauce",
        "supervisor": "superviseure",
    },
    {
        "username": "superviseure",
        "role": "supervisor",
        "first_name": "Geneviève",
        "last_name": "Lachance",
        "organization": "CISSS de Chaudière-Appalaches",
        "territories": ["grand-littoral", "beauce"],
        "description": "Superviseure clinique – équipe des deux intervenant·es",
    },
    {
        "username": "responsable-vie-privee",
        "role": "privacy_officer",
        "first_name": "Hélène",
        "last_name": "Gosselin",
        "organization": "CISSS de Chaudière-Appalaches",
        "territories": [],
        "description": "Responsable de la protection des renseignements personnels",
    },
    {
        "username": "gestionnaire",
        "role": "housing_manager",
        "first_name": "Marc-Antoine",
        "last_name": "Ouellet",
        "organization": "Office municipal d'habitation de Lévis",
        "territories": ["grand-littoral"],
        "manages": [("Office municipal d'habitation de Lévis", "25213")],
        "description": "Gestionnaire d'habitation – Office municipal d'habitation de Lévis",
    },
    {
        "username": "partenaire",
        "role": "partner",
        "first_name": "Isabelle",
        "last_name": "Nadeau",
        "organization": "Société d'habitation du Québec",
        "territories": [],
        "description": "Partenaire signataire – Société d'habitation du Québec",
    },
    {
        "username": "chercheur",
        "role": "researcher",
        "first_name": "Olivier",
        "last_name": "Létourneau",
        "organization": "Université du Québec à Rimouski – Campus de Lévis",
        "territories": [],
        "description": "Chercheur universitaire – exportations dépersonnalisées seulement",
    },
]
