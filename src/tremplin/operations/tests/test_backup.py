"""Backups: every bad input the issue names (truncated, tampered, newer schema, non-empty
database, read-only or full destination); the restore drill is in ``test_restore_drill``."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tremplin.operations import backup
from tremplin.operations.backup import BackupError, Database
from tremplin.operations.tests.files import write_private_files

PG = connection.vendor == "postgresql"


# --------------------------------------------------------------------------- bad input


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory, django_db_setup, django_db_blocker):
    """An archive of the migrated test database and two private files, made once."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("ops-backup")
    media = root / "private"
    write_private_files(media)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        path = root / "small.tar"
        backup.create_backup(path)
    return path


def copy_of(archive: Path, tmp_path: Path, name="copie.tar") -> Path:
    target = tmp_path / name
    target.write_bytes(archive.read_bytes())
    return target


def test_a_truncated_archive_is_refused(small_archive, tmp_path, db):
    damaged = copy_of(small_archive, tmp_path)
    damaged.write_bytes(small_archive.read_bytes()[: small_archive.stat().st_size // 2])
    with pytest.raises(BackupError, match="tronquée"):
        backup.verify_backup(damaged)
    with pytest.raises(CommandError, match="tronquée"):
        call_command("restore", str(damaged), "--replace")


def test_a_tampered_archive_is_refused_and_nothing_is_restored(small_archive, tmp_path, db):
    from django.contrib.auth.models import User

    User.objects.create(username="still-here")
    tampered = copy_of(small_archive, tmp_path)
    with tarfile.open(small_archive) as tar:
        member = tar.getmember("private/partenaires/ententes/entente-2009.pdf")
    data = bytearray(tampered.read_bytes())
    data[member.offset_data + 3] ^= 0x01  # one bit of one file
    tampered.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="modifiée ou abîmée.*entente-2009.pdf"):
        backup.verify_backup(tampered)
    with pytest.raises(CommandError, match="modifiée ou abîmée"):
        call_command("restore", str(tampered), "--replace")
    assert User.objects.filter(username="still-here").exists()


def rewrite_manifest(archive: Path, target: Path, change) -> Path:
    with tarfile.open(archive) as tar, tarfile.open(target, "w") as out:
        for info in tar:
            data = tar.extractfile(info).read()
            if info.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def test_an_archive_from_a_newer_schema_is_refused(small_archive, tmp_path, db):
    newer = rewrite_manifest(
        small_archive,
        tmp_path / "newer.tar",
        lambda m: m["migrations"].append(["casework", "0099_dossiers_futurs"]),
    )
    with pytest.raises(BackupError, match="plus récente.*casework.0099_dossiers_futurs"):
        backup.verify_backup(newer)
    with pytest.raises(CommandError, match="Mettez Tremplin à jour"):
        call_command("restore", str(newer), "--replace")


def test_a_file_added_to_the_archive_is_refused(small_archive, tmp_path, db):
    added = copy_of(small_archive, tmp_path)
    with tarfile.open(added, "a") as tar:
        info = tarfile.TarInfo("private/../../etc/cron.d/x")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"x\n"))
    with pytest.raises(BackupError, match="modifiée"):
        backup.verify_backup(added)


def test_a_restore_into_a_database_in_use_is_refused_without_replace(
    small_archive, tmp_path, personas, settings
):
    from django.contrib.auth.models import User

    users = User.objects.count()
    settings.MEDIA_ROOT = tmp_path / "empty-private"
    with pytest.raises(CommandError, match=rf"n'est pas vide \({users} comptes.*--replace"):
        call_command("restore", str(small_archive))
    assert User.objects.count() == users


def test_it_never_overwrites_an_existing_file(small_archive, tmp_path, db):
    existing = tmp_path / "b.tar"
    existing.write_bytes(b"une autre sauvegarde")
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("backup", "-o", str(existing))
    assert existing.read_bytes() == b"une autre sauvegarde"


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    """A real small file system (tmpfs), when this process may mount one (root on Linux)."""
    path.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        yield False
        return
    try:
        yield True
    finally:
        subprocess.run(["umount", str(path)], check=False)


def test_a_backup_to_a_read_only_disk_says_so_and_writes_nothing(tmp_path, db):
    destination = tmp_path / "ro"
    with tmpfs(destination, "ro,size=64k") as mounted:
        if not mounted:
            if os.geteuid() == 0:
                pytest.skip("ni tmpfs (mount refusé) ni dossier en lecture seule pour root")
            destination.chmod(0o555)
        with pytest.raises(CommandError, match="lecture seule|écriture y est refusée") as raised:
            call_command("backup", "-o", str(destination / "b.tar"))
        assert "Aucun fichier n'a été écrit" in str(raised.value)
        assert list(destination.iterdir()) == []


def file_database(archive: Path) -> Database:
    """The database to back up: the test database on PostgreSQL (pg_dump sees what is
    committed); on SQLite, a file copy of the small archive's (the in-memory test database
    cannot be copied from inside the test's open transaction)."""
    if PG:
        return Database.from_alias()
    path = archive.with_name("source.sqlite3")
    if not path.exists():
        with tarfile.open(archive) as tar:
            path.write_bytes(tar.extractfile("database.sqlite3").read())
    return Database(dict(connection.settings_dict, NAME=str(path)))


def test_a_backup_to_a_full_disk_says_so_and_leaves_no_partial_file(
    small_archive, tmp_path, db, monkeypatch
):
    destination = tmp_path / "full"
    with tmpfs(destination, "size=64k") as mounted:
        if not mounted:
            # No file system of our own: ENOSPC injected at the archive's write layer only.
            real_fdopen = os.fdopen

            def small_disk(fd, *args, **kwargs):
                handle = real_fdopen(fd, *args, **kwargs)
                write, written = handle.write, [0]

                def limited(data):
                    written[0] += len(data)
                    if written[0] > 64 * 1024:
                        raise OSError(errno.ENOSPC, "No space left on device")
                    return write(data)

                handle.write = limited
                return handle

            monkeypatch.setattr(backup.os, "fdopen", small_disk)
        with pytest.raises(BackupError, match="le disque est plein"):
            backup.create_backup(destination / "b.tar", database=file_database(small_archive))
        assert list(destination.iterdir()) == []
