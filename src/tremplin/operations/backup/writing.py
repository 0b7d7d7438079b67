"""Writing an archive: the database's copy, the private files and the manifest, into a hidden
partial file renamed into place once complete (never over an existing file; a full or
read-only disk leaves nothing behind)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from .database import DB_MEMBER, BackupError, Database, dump_postgresql, dump_sqlite, write_error
from .manifest import FORMAT, MANIFEST, PRIVATE_PREFIX, sha256_file, tremplin_version


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
        raise write_error(exc, directory) from exc
    partial = Path(partial)
    try:
        with tempfile.TemporaryDirectory(prefix="tremplin-backup-") as work:
            say("Copie de la base de données…")
            dump = dump_postgresql if vendor == "postgresql" else dump_sqlite
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
                    "sha256": sha256_file(db_file),
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
        raise write_error(exc, directory) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest
