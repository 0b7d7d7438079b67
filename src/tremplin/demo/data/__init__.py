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


# One demo account per role, in display order (accounts.json). ``role`` is a
# ``tremplin.accounts.roles.Role`` value; ``territories`` are Territory slugs; ``manages`` names
# the providers [name, municipality code] the account manages; ``supervisor`` is the username of
# a worker's clinical supervisor. Accounts whose role requires two-factor authentication get a
# TOTP device from the loader (``tremplin demo-code USERNAME`` prints its current code).
ACCOUNTS = read_json("accounts.json")
