"""Locks that serialize one kind of write across processes and app servers.

On PostgreSQL, a transaction-scoped advisory lock (released at commit or rollback); on
SQLite, nothing is needed: a write transaction already holds the database's only write lock.
"""

import hashlib

from django.db import connection


def _key(name: str) -> int:
    """A stable signed 64-bit key for a lock's name (the same in every process)."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


def hold_for_transaction(name: str) -> None:
    """Wait for, then hold until the current transaction ends, the lock called ``name``.
    Call it inside ``transaction.atomic()``, before the first write it protects."""
    if not connection.in_atomic_block:
        raise RuntimeError("hold_for_transaction() must be called inside a transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_key(name)])
