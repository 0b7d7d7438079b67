"""Two requests finding the same group stale at once (#17's load test: the dashboard's 500s).

Each thread has its own database connection. A barrier holds both after they have computed the
group's values and before either writes them, so that without the lock on the group both would
delete the old values and insert their own, and the second insert would break the unique key.
"""

import datetime as dt
import threading
import time

import pytest
from django.db import connection

from tremplin.evaluation import engine, setbased
from tremplin.evaluation.models import FactBatch, IndicatorFact
from tremplin.evaluation.periods import Period

from .test_indicators_collective import activity, project

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FY2023 = Period.of("fy", 2023)
GROUP = "collective"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrence : nécessite PostgreSQL (SQLite sérialise toutes les écritures)")


@pytest.fixture
def records(world):
    cooking = project("Cuisine", start=dt.date(2023, 5, 1), buildings=[world["building_a"]])
    activity(cooking, dt.date(2023, 6, 1), 12, 9)
    activity(cooking, dt.date(2023, 9, 1), 8, 5)


def _in_parallel(monkeypatch, pauses, calls):
    """Run the calls in threads, each pausing after one of the ``pauses`` ((module, name)
    pairs) returns until every thread has reached its pause."""
    barrier = threading.Barrier(len(calls))

    def pausing(original):
        def then_wait(*args, **kwargs):
            result = original(*args, **kwargs)
            barrier.wait(timeout=20)
            return result

        return then_wait

    for module, name in pauses:
        monkeypatch.setattr(module, name, pausing(getattr(module, name)))
    return _run(calls)


def _run(calls):
    """Run each call in its own thread (its own connection); the exceptions they raised."""
    errors: list[BaseException] = []

    def run(call):
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def _stored():
    return sorted(
        IndicatorFact.objects.filter(period=FY2023.key).values_list(
            "indicator", "area", "breakdown", "item", "value"
        )
    )


def test_two_refreshes_of_one_stale_group_both_succeed_and_store_it_once(records, monkeypatch):
    expected = engine.compute(engine.catalogue.of_group(GROUP), FY2023, breakdowns=True)
    refresh = lambda: engine.refresh(FY2023, [GROUP], breakdowns=True)  # noqa: E731
    errors = _in_parallel(monkeypatch, [(engine, "compute")], [refresh, refresh])
    assert errors == []
    stored = _stored()
    assert len(stored) == len(expected) > 0
    assert len(set(stored)) == len(stored)
    assert FactBatch.objects.filter(group=GROUP, period=FY2023.key).count() == 1


def test_a_dashboard_refresh_during_the_nightly_set_based_one_waits_its_turn(records, monkeypatch):
    """The set-based refresh has inserted its values and not committed yet when a dashboard
    request, begun after it, finishes computing the same group and comes to write."""
    expected = engine.compute(engine.catalogue.of_group(GROUP), FY2023, breakdowns=True)
    inserted = threading.Event()
    original = setbased._insert_group

    def insert_then_linger(*args, **kwargs):
        written = original(*args, **kwargs)
        inserted.set()
        time.sleep(1.5)  # the dashboard's request computes and tries to write meanwhile
        return written

    monkeypatch.setattr(setbased, "_insert_group", insert_then_linger)

    def dashboard():
        assert inserted.wait(timeout=20)
        engine.refresh(FY2023, [GROUP], breakdowns=True)

    errors = _run([lambda: setbased.refresh_all([FY2023], [GROUP]), dashboard])
    assert errors == []
    stored = _stored()
    assert len(stored) == len(expected) > 0
    assert len(set(stored)) == len(stored)
