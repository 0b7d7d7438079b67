"""Test data made once per module and rolled back after it (Django's ``setUpTestData``).

Building the shared ``world`` and ``personas`` (territories, two housing offices, one user per
role: about 230 queries) before each of 1,300 tests cost minutes, on PostgreSQL most of all.
For a test that runs in a transaction (``db``), ``world`` and ``personas`` are now built once
per module, inside an outer transaction that is rolled back when the module ends; each test runs
in a savepoint within it and gets its own deep copy of the objects (as ``setUpTestData`` does),
so that a test that changes one, in the database or in memory, changes it for nobody else.

Transactional tests (``transactional_db``, ``live_server``, the browser tests) cannot see an
uncommitted transaction: they build their own ``world`` and ``personas`` as before.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

# Fixture name → the module-scoped fixture that builds it once.
SHARED = {"world": "_world_once", "personas": "_personas_once"}
TRANSACTIONAL_FIXTURES = frozenset({"transactional_db", "live_server", "live_url"})


@contextmanager
def rolled_back():
    """A transaction kept open while the ``with`` block runs, then rolled back."""
    from django.db import transaction

    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def is_transactional(item) -> bool:
    """As pytest-django decides it: the test commits for real and the database is flushed."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool(TRANSACTIONAL_FIXTURES.intersection(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Put the module-scoped builders first in each eligible test's fixtures, so that they are
    set up before ``db`` opens the test's own transaction (nested inside theirs)."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None or is_transactional(item):
            continue
        # ``personas`` needs ``world``: both are in the closure, world first.
        wanted = [SHARED[name] for name in SHARED if name in names]
        for name in reversed(wanted):
            if name not in names:
                names.insert(0, name)
