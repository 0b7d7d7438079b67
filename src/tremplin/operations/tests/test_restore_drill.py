"""The restore drill: the demo, backed up, restored into another database (a new PostgreSQL
database, or a new SQLite file), gives back every table's rows (count and checksum, computed
here independently of the backup module), the private files, and case notes that decrypt.

Its own module: it commits data (transactional), which a module that also builds ``world`` or
``personas`` once, inside a module-wide transaction, would hide from pg_dump (docs/testing.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sqlite3
import tarfile
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from tremplin.core import crypto
from tremplin.operations import backup
from tremplin.operations.backup import BackupError, Database
from tremplin.operations.tests.files import write_private_files

PG = connection.vendor == "postgresql"


# --------------------------------------------------------------------------- helpers


def table_fingerprints(cursor, vendor: str) -> dict[str, tuple[int, str]]:
    """The test's own count and checksum of every table (not the module's code)."""
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite%'"
        )
    result = {}
    for (table,) in cursor.fetchall():
        if vendor == "postgresql":
            cursor.execute(
                f"SELECT COUNT(*), md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608
            )
            result[table] = tuple(cursor.fetchone())
        else:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            rows = sorted(json.dumps(row, default=str) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.md5("|".join(rows).encode()).hexdigest())  # noqa: S324
    return result


@contextlib.contextmanager
def target_database(tmp_path):
    """An empty database beside the test database: a new PostgreSQL database (created and
    dropped here) or a new SQLite file."""
    settings_dict = dict(connection.settings_dict)
    if not PG:
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
        yield Database(settings_dict)
        return
    name = f"h_ops_restore_{uuid.uuid4().hex[:8]}"
    admin = Database(dict(settings_dict, NAME="postgres"))
    with admin.pg_connect(autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database(dict(settings_dict, NAME=name))
    finally:
        with admin.pg_connect(autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def source_cursor():
    """The test database through a plain DB-API connection (no Django type conversion)."""
    if PG:
        with Database.from_alias().pg_connect() as conn, conn.cursor() as cursor:
            yield cursor
        return
    conn = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
    try:
        yield conn.cursor()
    finally:
        conn.close()


@contextlib.contextmanager
def raw_cursor(database: Database):
    if database.vendor == "postgresql":
        with database.pg_connect() as conn, conn.cursor() as cursor:
            yield cursor
    else:
        conn = sqlite3.connect(database.settings["NAME"])
        try:
            yield conn.cursor()
        finally:
            conn.close()


# --------------------------------------------------------------------------- the drill


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_drill_gives_back_every_row_and_file_and_notes_still_decrypt(tmp_path, settings):
    from tremplin.casework.models import Intervention
    from tremplin.demo.loader import load_demo

    settings.MEDIA_ROOT = tmp_path / "private"
    files = write_private_files(settings.MEDIA_ROOT)

    load_demo("demo-de-test-2026")
    notes = dict(Intervention.objects.exclude(note="").values_list("public_id", "note"))
    assert len(notes) >= 20
    with source_cursor() as cursor:
        before = table_fingerprints(cursor, connection.vendor)
    assert before["casework_intervention"][0] == Intervention.objects.count()

    archive = tmp_path / "b.tar"
    manifest = backup.create_backup(archive)
    assert (
        manifest["tables"]["housing_housingprovider"]["rows"]
        == before["housing_housingprovider"][0]
    )
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json" and "private/projets/pieces/compte-rendu.pdf" in names
    # The field-encryption key is nowhere in the archive.
    key = settings.TREMPLIN_FIELD_KEYS[0].encode()
    assert key not in archive.read_bytes()

    restored_media = tmp_path / "restored-private"
    with target_database(tmp_path) as target:
        checked = backup.restore_backup(archive, database=target, media_root=restored_media)
        assert checked.rows == sum(count for count, _ in before.values())
        with raw_cursor(target) as cursor:
            assert table_fingerprints(cursor, target.vendor) == before
            cursor.execute("SELECT public_id, note FROM casework_intervention WHERE note <> ''")
            stored = cursor.fetchall()
        decrypted = {uuid.UUID(str(pid)): crypto.decrypt(note) for pid, note in stored}
        assert decrypted == notes
        assert all(note.startswith(crypto.PREFIX) for _, note in stored)  # still encrypted
        for name, content in files.items():
            assert (restored_media / name).read_bytes() == content

        # Restoring again over it: refused without --replace, and nothing changes.
        with pytest.raises(BackupError, match="n'est pas vide"):
            backup.restore_backup(archive, database=target, media_root=restored_media)

        # A bad day: rows destroyed, a file lost. The restore with --replace brings them back.
        with raw_cursor(target) as cursor:
            cursor.execute("DELETE FROM casework_intervention")
            cursor.execute("DELETE FROM housing_building_clienteles")
            cursor.connection.commit()
        (restored_media / "projets/pieces/compte-rendu.pdf").unlink()
        backup.restore_backup(archive, database=target, media_root=restored_media, replace=True)
        with raw_cursor(target) as cursor:
            assert table_fingerprints(cursor, target.vendor) == before
        assert (restored_media / "projets/pieces/compte-rendu.pdf").read_bytes() == files[
            "projets/pieces/compte-rendu.pdf"
        ]

    # The commands say what they checked and restored.
    out = io.StringIO()
    call_command("backup", "--verify", str(archive), stdout=out)
    assert "archive intacte" in out.getvalue()
    assert "2 fichiers privés" in out.getvalue()
