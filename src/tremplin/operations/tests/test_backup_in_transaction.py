"""A backup of the tests' shared in-memory SQLite database while a transaction is open on its
connection (a test's, or a module's data made once) finishes: the SQLite backup API retried
SQLITE_LOCKED without end there (in C, deaf to signals), and the suite hung at 99 % when a
module's data was still open as the backup tests began. Before the fix this test never ends."""

import tarfile

import pytest
from django.db import connection

from tremplin.operations import backup
from tremplin.territories.models import Region


def test_a_backup_inside_an_open_transaction_finishes_and_holds_what_it_sees(db, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("la base en mémoire des tests : SQLite seulement")
    Region.objects.create(code="99", name="Région d'essai")  # a write: the transaction holds a lock
    assert connection.in_atomic_block
    path = tmp_path / "b.tar"
    backup.create_backup(path)
    with tarfile.open(path) as tar:
        assert any(m.name.endswith(".sqlite3") for m in tar.getmembers())
