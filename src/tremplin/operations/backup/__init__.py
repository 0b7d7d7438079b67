"""Backups and restores: one tar archive holding the database, the private uploads and a
manifest (``tremplin backup``, ``tremplin backup --verify``, ``tremplin restore``).

Archive members:

* ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom`` run on a snapshot exported by
  the transaction that also counts the rows) or ``database.sqlite3`` (SQLite: a copy made with
  the online backup API, ``sqlite3.Connection.backup``, which is consistent while the
  application writes);
* ``private/…``: every file under ``MEDIA_ROOT`` (uploads, generated prints);
* ``manifest.json``, last: format, Tremplin's version, the engine, the migrations applied, for
  each table its row count and a checksum of its rows, and the size and SHA-256 of every other
  member.

The field-encryption key (``TREMPLIN_FIELD_KEY`` or ``var/field_key``) is never written: the
case notes in a backup are unreadable without it (docs/deployment.md says where it lives).

Why by hand and not django-dbbackup: its SQLite connector dumps SQL text or copies the file
(not the online backup API), the database and the media go to separate files with no manifest,
and it has no verification of an archive nor a refusal to restore over data (see
docs/architecture.md). What it would have given us, ``pg_dump`` and ``pg_restore``, we call
directly.

Errors are ``BackupError`` with a French message; nothing is overwritten when one is raised
before the restore proper (the checks all run first), and the restore itself is one
transaction (PostgreSQL: ``psql --single-transaction``; SQLite: the backup API into the target).

Modules: ``database`` (each engine: reaching it, table checksums, dump and restore),
``manifest`` (format, constants, comparing counts and checksums), ``writing``
(``create_backup``), ``reading`` (``check_archive``, ``verify_backup``); this one restores
(``restore_backup``) and describes an archive for the commands.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import connections

from .database import (
    DB_MEMBER,
    IN_USE_TABLES,
    BackupError,
    Database,
    in_use,
    restore_postgresql,
    restore_sqlite,
    table_summary,
)
from .manifest import FORMAT, MANIFEST, PRIVATE_PREFIX, compare, tremplin_version
from .reading import Checked, check_archive, verify_backup
from .writing import create_backup, private_files

__all__ = [
    "DB_MEMBER",
    "FORMAT",
    "MANIFEST",
    "PRIVATE_PREFIX",
    "BackupError",
    "Checked",
    "Database",
    "check_archive",
    "create_backup",
    "describe",
    "in_use",
    "private_files",
    "restore_backup",
    "table_summary",
    "tremplin_version",
    "verify_backup",
]


def _swap_private(checked: Checked, media_root: Path) -> None:
    staged = checked.work / "private"
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=f".{media_root.name}-restaure-"))
    if staged.exists():
        for path in staged.rglob("*"):
            if path.is_file():
                target = incoming / path.relative_to(staged)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(path), target)
    if media_root.exists():
        old = media_root.with_name(f".{media_root.name}-remplace-{os.getpid()}")
        os.replace(media_root, old)
        os.replace(incoming, media_root)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(incoming, media_root)


def restore_backup(
    archive: Path,
    *,
    database: Database | None = None,
    media_root: Path | None = None,
    replace: bool = False,
    say: Callable[[str], None] = lambda line: None,
) -> Checked:
    """Restore ``archive`` into ``database`` and ``media_root``; refuses one that holds data
    unless ``replace``. Every check runs before anything is changed."""
    database = database or Database.from_alias()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    used = in_use(database)
    if used and not replace:
        what = ", ".join(f"{n} {IN_USE_TABLES[t]}" for t, n in used.items())
        raise BackupError(
            f"La base de données n'est pas vide ({what}) : rien n'a été restauré. "
            "Ajoutez --replace pour remplacer son contenu par celui de la sauvegarde."
        )
    if private_files(media_root) and not replace:
        raise BackupError(
            f"Le dossier des fichiers privés {media_root} n'est pas vide : rien n'a été "
            "restauré. Ajoutez --replace pour le remplacer."
        )
    with tempfile.TemporaryDirectory(prefix="tremplin-restore-") as work:
        say("Vérification de l'archive…")
        checked = check_archive(archive, Path(work))
        engine = checked.manifest["engine"]
        if engine != database.vendor:
            names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
            raise BackupError(
                f"Cette sauvegarde est une base {names[engine]} : elle ne se restaure pas dans "
                f"une base {names[database.vendor]}."
            )
        if database.alias is not None and not database.is_memory:
            connections[database.alias].close()
        say("Restauration de la base de données…")
        if engine == "postgresql":
            found = restore_postgresql(checked.database_file, database, checked.work)
        else:
            found = restore_sqlite(checked.database_file, database)
        compare(found, checked.manifest["tables"], "la base restaurée")
        say("Fichiers privés…")
        _swap_private(checked, media_root)
    return checked


def describe(checked: Checked) -> Iterable[str]:
    """What a checked or restored archive holds, in French, for the commands."""
    from tremplin.core.formatting import number

    manifest = checked.manifest
    size = sum(m["size"] for n, m in manifest["members"].items() if n.startswith(PRIVATE_PREFIX))
    yield (
        f"Sauvegarde du {manifest['created_at']} (Tremplin {manifest['version']}, "
        f"{'PostgreSQL' if manifest['engine'] == 'postgresql' else 'SQLite'})"
    )
    yield (
        f"  {len(manifest['tables'])} tables, {number(checked.rows)} lignes, "
        f"{len(manifest['migrations'])} migrations"
    )
    yield f"  {len(checked.files)} fichiers privés ({number(round(size / 1024))} Kio)"
    yield "  Clé de chiffrement des notes : non incluse (TREMPLIN_FIELD_KEY, voir docs/deployment.md)"
