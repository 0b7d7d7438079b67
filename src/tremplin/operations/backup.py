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
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"
PRIVATE_PREFIX = "private/"
DB_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024
# Tables whose rows mean "this database is in use" (a migrated, empty database has none).
IN_USE_TABLES = {"auth_user": "comptes", "audit_auditentry": "entrées du journal"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person running it."""


# --------------------------------------------------------------------------- databases


@dataclass
class Database:
    """A database described by a Django ``DATABASES`` entry, reached without Django's ORM."""

    settings: dict
    alias: str | None = None  # the Django connection, when it is one of the project's

    @classmethod
    def from_alias(cls, alias: str = "default") -> Database:
        return cls(dict(connections[alias].settings_dict), alias=alias)

    @property
    def vendor(self) -> str:
        engine = self.settings["ENGINE"]
        if "sqlite" in engine:
            return "sqlite"
        if "postgresql" in engine:
            return "postgresql"
        raise BackupError(f"Moteur de base de données non pris en charge : {engine}.")

    @property
    def is_memory(self) -> bool:
        return self.vendor == "sqlite" and (
            str(self.settings["NAME"]) == ":memory:" or "mode=memory" in str(self.settings["NAME"])
        )

    # PostgreSQL ---------------------------------------------------------------------------

    def pg_env(self) -> dict:
        s, options = self.settings, self.settings.get("OPTIONS") or {}
        env = dict(os.environ)
        for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
            if s.get(key):
                env[name] = str(s[key])
        if s.get("PASSWORD"):
            env["PGPASSWORD"] = str(s["PASSWORD"])
        if options.get("sslmode"):
            env["PGSSLMODE"] = options["sslmode"]
        env["PGDATABASE"] = str(s["NAME"])
        return env

    def pg_connect(self, **kwargs):
        import psycopg

        s, options = self.settings, self.settings.get("OPTIONS") or {}
        params = {
            "dbname": s["NAME"],
            "user": s.get("USER") or None,
            "password": s.get("PASSWORD") or None,
            "host": s.get("HOST") or None,
            "port": s.get("PORT") or None,
        }
        if options.get("sslmode"):
            params["sslmode"] = options["sslmode"]
        # One time zone for every text form of a row (the checksums), whatever the server's.
        params["options"] = "-c TimeZone=UTC"
        return psycopg.connect(**{k: v for k, v in params.items() if v}, **kwargs)

    # SQLite -------------------------------------------------------------------------------

    def sqlite_connect(self) -> sqlite3.Connection:
        """A connection of its own to a file database; the project's connection for an
        in-memory one (the tests), which no other connection can open."""
        if self.is_memory:
            if self.alias is None:
                raise BackupError("Une base SQLite en mémoire ne se restaure pas.")
            connections[self.alias].ensure_connection()
            return connections[self.alias].connection
        return sqlite3.connect(str(self.settings["NAME"]), timeout=30)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(row[0] for row in cursor.fetchall())


def table_summary(cursor, vendor: str) -> dict[str, dict]:
    """For each table: its row count and a SHA-256 of its rows, whatever their order (the
    sorted digests of the rows, hashed: PostgreSQL's text form of a row, SQLite's values)."""
    summary = {}
    for table in _tables(cursor, vendor):
        if vendor == "postgresql":
            cursor.execute(f"SELECT t::text FROM {_quote(table)} AS t")  # noqa: S608
        else:
            cursor.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608
        digests = []
        while rows := cursor.fetchmany(5000):
            digests.extend(hashlib.sha256(repr(row).encode()).digest() for row in rows)
        digests.sort()
        summary[table] = {
            "rows": len(digests),
            "sha256": hashlib.sha256(b"".join(digests)).hexdigest(),
        }
    return summary


def _migrations(cursor) -> list[list[str]]:
    try:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    except Exception as exc:  # noqa: BLE001 - no migration table: not a Tremplin database
        raise BackupError("La base de données n'a pas de table de migrations.") from exc
    return [[app, name] for app, name in cursor.fetchall()]


def in_use(database: Database) -> dict[str, int]:
    """Rows in the tables that say the database holds data (empty dict: it may be replaced).

    Read through the project's connection when the database is one of its own (what the
    application sees), through a connection of its own otherwise."""
    if database.alias is not None:
        with connections[database.alias].cursor() as cursor:
            return _in_use(cursor, database.vendor)
    if database.vendor == "sqlite":
        if not Path(str(database.settings["NAME"])).exists():
            return {}
        conn = database.sqlite_connect()
        try:
            return _in_use(conn.cursor(), "sqlite")
        finally:
            conn.close()
    with database.pg_connect() as conn, conn.cursor() as cursor:
        return _in_use(cursor, "postgresql")


def _in_use(cursor, vendor: str) -> dict[str, int]:
    found = {}
    tables = set(_tables(cursor, vendor))
    for table in IN_USE_TABLES:
        if table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
            count = cursor.fetchone()[0]
            if count:
                found[table] = count
    return found


# --------------------------------------------------------------------------- writing


def tremplin_version() -> str:
    try:
        return metadata.version("tremplin")
    except metadata.PackageNotFoundError:
        return "inconnue"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _write_error(exc: OSError, directory: Path) -> BackupError:
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        reason = "le disque est plein"
    elif exc.errno == errno.EROFS:
        reason = "le disque est en lecture seule"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        reason = "l'écriture y est refusée"
    else:
        reason = exc.strerror or str(exc)
    return BackupError(
        f"Impossible d'écrire la sauvegarde dans {directory} : {reason}. "
        "Aucun fichier n'a été écrit ni remplacé."
    )


def _dump_sqlite(database: Database, work: Path) -> tuple[Path, dict, list]:
    copy = work / DB_MEMBER["sqlite"]
    source = database.sqlite_connect()
    target = sqlite3.connect(str(copy))
    try:
        source.backup(target)  # one step: a consistent snapshot, even in WAL mode
        cursor = target.cursor()
        summary = table_summary(cursor, "sqlite")
        migrations = _migrations(cursor)
    finally:
        target.close()
        if not database.is_memory:
            source.close()
    return copy, summary, migrations


def _dump_postgresql(database: Database, work: Path) -> tuple[Path, dict, list]:
    dump = work / DB_MEMBER["postgresql"]
    with database.pg_connect(autocommit=True) as conn:
        with conn.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # pg_dump reads the snapshot this transaction holds: the dump and the counts below
            # see the same rows, however busy the application is meanwhile.
            result = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                env=database.pg_env(),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                if "No space left" in result.stderr:
                    raise _write_error(OSError(errno.ENOSPC, "No space left"), work)
                raise BackupError(f"pg_dump a échoué : {result.stderr.strip()[:500]}")
            summary = table_summary(cursor, "postgresql")
            migrations = _migrations(cursor)
            cursor.execute("COMMIT")
    return dump, summary, migrations


class _HashingReader(io.RawIOBase):
    """Reads a file into the archive and hashes what it read."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def private_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(
    output: Path,
    *,
    database: Database | None = None,
    media_root: Path | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> dict:
    """Write the archive to ``output`` (which must not exist); returns the manifest."""
    database = database or Database.from_alias()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output = Path(output).absolute()
    directory = output.parent
    if output.exists():
        raise BackupError(f"{output} existe déjà : choisissez un autre nom (rien n'a été écrit).")
    if not directory.is_dir():
        raise BackupError(f"Le dossier {directory} n'existe pas.")
    vendor = database.vendor
    try:
        fd, partial = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".partiel")
    except OSError as exc:
        raise _write_error(exc, directory) from exc
    partial = Path(partial)
    try:
        with tempfile.TemporaryDirectory(prefix="tremplin-backup-") as work:
            say("Copie de la base de données…")
            dump = _dump_postgresql if vendor == "postgresql" else _dump_sqlite
            db_file, summary, migrations = dump(database, Path(work))
            manifest = {
                "format": FORMAT,
                "application": "tremplin",
                "version": tremplin_version(),
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "engine": vendor,
                "migrations": migrations,
                "tables": summary,
                "members": {},
                "not_included": "TREMPLIN_FIELD_KEY",
            }
            with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as tar:
                name = DB_MEMBER[vendor]
                tar.add(db_file, arcname=name, recursive=False)
                manifest["members"][name] = {
                    "size": db_file.stat().st_size,
                    "sha256": _sha256_file(db_file),
                }
                files = private_files(media_root)
                say(f"Fichiers privés : {len(files)}…")
                for path in files:
                    arcname = PRIVATE_PREFIX + path.relative_to(media_root).as_posix()
                    info = tar.gettarinfo(str(path), arcname=arcname)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    with open(path, "rb") as source:
                        reader = _HashingReader(source)
                        tar.addfile(info, reader)
                    manifest["members"][arcname] = {
                        "size": info.size,
                        "sha256": reader.digest.hexdigest(),
                    }
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(dt.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
                tar.close()
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _write_error(exc, directory) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


# --------------------------------------------------------------------------- reading


@dataclass
class Checked:
    """An archive whose members match its manifest, extracted into ``work``."""

    manifest: dict
    work: Path
    database_file: Path
    files: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.manifest["tables"].values())


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def check_archive(archive: Path, work: Path) -> Checked:
    """Read the whole archive into ``work``, checking every member against the manifest, the
    migrations against this code, and (SQLite) the rows against the manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} n'existe pas.")
    truncated = BackupError(
        f"{archive} est illisible ou tronquée (copie interrompue ?) : elle ne peut pas servir."
    )
    try:
        with tarfile.open(archive, mode="r:") as tar:
            try:
                manifest_info = tar.getmember(MANIFEST)
            except KeyError:
                raise BackupError(
                    f"{archive} n'est pas une sauvegarde Tremplin complète (pas de manifeste)."
                ) from None
            try:
                manifest = json.loads(tar.extractfile(manifest_info).read())
            except ValueError:
                raise BackupError(f"Le manifeste de {archive} est illisible.") from None
            if manifest.get("application") != "tremplin" or "members" not in manifest:
                raise BackupError(f"{archive} n'est pas une sauvegarde Tremplin.")
            if int(manifest.get("format", 0)) > FORMAT:
                raise BackupError(
                    "Cette sauvegarde a été écrite par une version plus récente de Tremplin "
                    f"(format {manifest['format']}) : mettez Tremplin à jour pour la lire."
                )
            expected = dict(manifest["members"])
            for info in tar:
                if info.name == MANIFEST:
                    continue
                wanted = expected.pop(info.name, None)
                if wanted is None or not info.isfile() or ".." in Path(info.name).parts:
                    raise BackupError(
                        f"{archive} a été modifiée : « {info.name} » n'est pas dans son manifeste."
                    )
                target = work / info.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with tar.extractfile(info) as source, open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                if size != wanted["size"] or digest.hexdigest() != wanted["sha256"]:
                    raise BackupError(
                        f"{archive} a été modifiée ou abîmée : la somme de contrôle de "
                        f"« {info.name} » ne correspond pas au manifeste."
                    )
    except (tarfile.TarError, EOFError) as exc:
        raise truncated from exc
    if expected:
        missing = ", ".join(sorted(expected)[:5])
        raise BackupError(f"{archive} est incomplète : il y manque {missing}.")
    unknown = [f"{a}.{n}" for a, n in manifest["migrations"] if (a, n) not in _known_migrations()]
    if unknown:
        raise BackupError(
            "Cette sauvegarde vient d'une version plus récente de Tremplin : migrations inconnues "
            f"ici ({', '.join(unknown[:5])}). Mettez Tremplin à jour avant de la restaurer."
        )
    engine = manifest["engine"]
    checked = Checked(
        manifest=manifest,
        work=work,
        database_file=work / DB_MEMBER[engine],
        files=sorted(n for n in manifest["members"] if n.startswith(PRIVATE_PREFIX)),
    )
    if engine == "sqlite":
        conn = sqlite3.connect(str(checked.database_file))
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("La copie de la base de données de l'archive est abîmée.")
            _compare(table_summary(conn.cursor(), "sqlite"), manifest["tables"], "l'archive")
        finally:
            conn.close()
    else:
        listed = subprocess.run(
            ["pg_restore", "--list", str(checked.database_file)],
            capture_output=True,
            text=True,
            check=False,
        )
        if listed.returncode != 0:
            raise BackupError(
                f"La copie PostgreSQL de l'archive est illisible : {listed.stderr.strip()[:300]}"
            )
    return checked


def _compare(found: dict, expected: dict, where: str) -> None:
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


def verify_backup(archive: Path) -> Checked:
    with tempfile.TemporaryDirectory(prefix="tremplin-verify-") as work:
        checked = check_archive(archive, Path(work))
    return checked


# --------------------------------------------------------------------------- restoring


def _restore_sqlite(checked: Checked, database: Database) -> dict:
    source = sqlite3.connect(str(checked.database_file))
    target = database.sqlite_connect()
    try:
        source.backup(target)  # replaces the target's content in one transaction
        return table_summary(target.cursor(), "sqlite")
    finally:
        source.close()
        if not database.is_memory:
            target.close()


def _restore_postgresql(checked: Checked, database: Database) -> dict:
    script = checked.work / "restore.sql"
    with open(script, "w") as out:
        # Everything the database holds goes, then the dump comes back, in one transaction:
        # an error anywhere leaves the database as it was.
        out.write("DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
        out.flush()
        result = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(checked.database_file)],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_restore a échoué : {result.stderr.strip()[:500]}")
    result = subprocess.run(
        [
            "psql",
            "--quiet",
            "--no-psqlrc",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            str(script),
        ],
        env=database.pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            "La restauration a échoué et a été annulée (la base est restée telle quelle) : "
            + result.stderr.strip()[:500]
        )
    with database.pg_connect() as conn, conn.cursor() as cursor:
        return table_summary(cursor, "postgresql")


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
        restore = _restore_postgresql if engine == "postgresql" else _restore_sqlite
        found = restore(checked, database)
        _compare(found, checked.manifest["tables"], "la base restaurée")
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
