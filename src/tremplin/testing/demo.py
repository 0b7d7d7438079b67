"""The demo data set for tests: loaded once per test module, rolled back after it.

Loading the demo takes 2–3 s on SQLite and more on PostgreSQL; modules whose every test loaded
it again spent minutes doing the same thing. ``demo_data`` (module scope) loads it once inside
an outer transaction. Each test that also asks for ``db`` runs in a savepoint within it, rolled
back after the test, as with Django's ``TestCase.setUpTestData``; at the end of the module the
outer transaction is rolled back, and the next module finds the database as the migrations left
it.

Rules for a module that uses it:

* its tests ask for ``db`` (never ``transactional_db`` or ``live_server``: a live server cannot
  see an uncommitted transaction; browser tests load the demo themselves);
* module-scoped fixtures that add to the demo take ``demo_data`` and write inside
  ``django_db_blocker.unblock()`` (they are rolled back with it).

Every module that uses it is kept on one xdist worker (``xdist_group`` named after the module),
so that it is loaded once per module and not once per worker.
"""

from __future__ import annotations

import pytest

DEMO_PASSWORD = "demo-de-test-2026"  # noqa: S105 (the demo accounts of the tests)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "demo_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(name=f"demo:{item.module.__name__}"))


def row_counts(models) -> dict[str, int]:
    """{model name: its number of rows}: what loading the demo a second time must not change."""
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The summary of ``load_demo`` (counts created); the demo is in the database."""
    from tremplin.demo.loader import load_demo

    from .once import rolled_back

    with django_db_blocker.unblock(), rolled_back():
        yield load_demo(DEMO_PASSWORD)


def demo_reloaded(loader):
    """Fixtures for a module that checks one app's demo loader: the demo, then ``loader`` run a
    second time, once for the module. ``loaded`` (function scope, with ``db``) is what that
    second run reports, which an idempotent loader leaves empty.

    In the module: ``_demo_reloaded, loaded = demo_reloaded(load_events)``.
    """
    from collections import Counter

    @pytest.fixture(scope="module", name="_demo_reloaded")
    def second_load(demo_data, django_db_blocker):
        with django_db_blocker.unblock():
            return loader(Counter())

    @pytest.fixture(name="loaded")
    def loaded(db, _demo_reloaded):
        return _demo_reloaded

    return second_load, loaded
