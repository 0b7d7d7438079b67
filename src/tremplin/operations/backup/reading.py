"""Reading an archive back: every member checked against the manifest while it is extracted,
the migrations against this code, and the database copy (SQLite: its rows; PostgreSQL: that
``pg_restore`` can list it)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .database import DB_MEMBER, BackupError, table_summary
from .manifest import CHUNK, FORMAT, MANIFEST, PRIVATE_PREFIX, compare, known_migrations


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
    unknown = [f"{a}.{n}" for a, n in manifest["migrations"] if (a, n) not in known_migrations()]
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
            compare(table_summary(conn.cursor(), "sqlite"), manifest["tables"], "l'archive")
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


def verify_backup(archive: Path) -> Checked:
    with tempfile.TemporaryDirectory(prefix="tremplin-verify-") as work:
        checked = check_archive(archive, Path(work))
    return checked
