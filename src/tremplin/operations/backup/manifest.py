"""The manifest's constants and checks, shared by the writing and the reading of an archive."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from .database import BackupError

FORMAT = 1
MANIFEST = "manifest.json"
PRIVATE_PREFIX = "private/"
CHUNK = 1024 * 1024


def tremplin_version() -> str:
    try:
        return metadata.version("tremplin")
    except metadata.PackageNotFoundError:
        return "inconnue"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def compare(found: dict, expected: dict, where: str) -> None:
    differences = []
    for table in sorted(set(found) | set(expected)):
        a, b = found.get(table), expected.get(table)
        if a == b:
            continue
        if a is None or b is None:
            differences.append(f"{table} ({'absente' if a is None else 'en trop'})")
        elif a["rows"] != b["rows"]:
            differences.append(f"{table} ({a['rows']} lignes au lieu de {b['rows']})")
        else:
            differences.append(f"{table} (contenu différent)")
    if differences:
        raise BackupError(
            f"Les données de {where} ne correspondent pas au manifeste : "
            + ", ".join(differences[:8])
            + (" …" if len(differences) > 8 else "")
        )
