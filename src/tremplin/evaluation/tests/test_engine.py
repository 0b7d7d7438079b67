"""The engine: rows → values for every area, ratios, the summary table and its freshness."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.catalogue import PERCENT
from tremplin.evaluation.display import format_value
from tremplin.evaluation.models import FactBatch, IndicatorFact
from tremplin.evaluation.periods import Area, Period
from tremplin.events.models import StopAttendance
from tremplin.events.services import attendance_save
from tremplin.events.tests.conftest import at, make_event

from .fakes import fake_indicator

FY = Period.fiscal(2010)


def test_it_counts_a_key_once_per_area_and_sums_unkeyed_rows(world):
    ta, tb, t_other = world["ta"].pk, world["tb"].pk, world["t_other"].pk
    region, other = world["region"].pk, world["t_other"].region_id
    rows = [
        (ta, None, "", "p1", 1),
        (tb, None, "", "p1", 1),  # the same thing in two territories of one region
        (t_other, None, "", "p2", 1),
        (None, region, "", "p3", 1),  # known only by its region
        (None, None, "", "p4", 1),  # known only to the whole program
    ]
    values = engine.reduce_rows(rows, engine.territory_regions())
    assert values[("all", "")] == 4
    assert values[(f"region:{region}", "")] == 2  # p1 once, p3
    assert values[(f"region:{other}", "")] == 1
    assert values[(f"territory:{ta}", "")] == 1
    assert values[(f"territory:{tb}", "")] == 1
    summed = engine.reduce_rows([(ta, None, "x", None, 3), (ta, None, "x", None, 4)], {})
    assert summed[(f"territory:{ta}", "x")] == 7


def test_it_writes_values_in_the_unit_of_the_indicator():
    counted = catalogue.get("reach.people")
    assert format_value(counted, Decimal("1234.0000")) == "1\u202f234"
    assert format_value(counted, None) == "—"
    small = fake_indicator("t.small", "x", rows=lambda p, b: [], suppress_below=5)
    assert [format_value(small, Decimal(n)) for n in (0, 1, 4, 5)] == ["0", "< 5", "< 5", "5"]
    rate = fake_indicator("t.rate", "x", unit=PERCENT, ratio_of=("a", "b", 100))
    assert format_value(rate, Decimal("62.5")) == "62,5 %"


def _tour(world, personas, day=dt.date(2010, 10, 5)):
    """Two stops (territories A and B) with counts: 12 + 9 people, 5 + 4 tenants."""
    event = make_event(
        title="Tournée",
        kind="tour",
        stops=[(world["levis"], at(day)), (world["st_georges"], at(day + dt.timedelta(1)))],
        user=personas["coordination"],
    )
    first, second = event.stops.order_by("starts_at")
    attendance_save(
        user=personas["coordination"],
        attendance=StopAttendance(stop=first, tenants=5, provider_staff=4, partners=2, others=1),
        providers=[world["omh_a"]],
    )
    attendance_save(
        user=personas["coordination"],
        attendance=StopAttendance(stop=second, tenants=4, provider_staff=3, partners=2, others=0),
        providers=[world["omh_a"], world["omh_b"]],
    )
    return event


def test_it_stores_values_equal_to_a_from_scratch_computation(world, personas):
    _tour(world, personas)
    indicators = catalogue.of_group("reach")
    fresh = engine.compute(indicators, FY)
    engine.refresh(FY, ["reach"])
    stored = {
        (f.indicator, f.area, f.breakdown, f.item): f.value
        for f in IndicatorFact.objects.filter(period=FY.key)
    }
    assert stored == fresh
    people = catalogue.get("reach.people")
    assert engine.compute_one(people, FY) == 12 + 9
    assert engine.compute_one(people, FY, Area("territory", world["tb"].pk)) == 9
    providers = catalogue.get("reach.providers")
    # omh_a came to both stops: once; it counts in its own territory (A) even at B's stop.
    assert engine.compute_one(providers, FY) == 2
    assert engine.compute_one(providers, FY, Area("territory", world["ta"].pk)) == 1
    assert engine.compute_one(catalogue.get("reach.tenants"), FY) == 5 + 4


def test_it_recomputes_a_group_after_a_write_and_only_then(
    world, personas, django_capture_on_commit_callbacks
):
    people = catalogue.get("reach.people")
    with django_capture_on_commit_callbacks(execute=True):
        event = _tour(world, personas)
    assert engine.values([people], [FY], Area())[("reach.people", FY.key)] == 21
    batch = FactBatch.objects.get(group="reach", period=FY.key)
    # Nothing changed: reading again recomputes nothing.
    assert engine.stale([FY], ["reach"]) == []
    engine.values([people], [FY], Area())
    assert FactBatch.objects.get(pk=batch.pk).computed_at == batch.computed_at
    # A third stop's walk-in, checked in: the value follows.
    with django_capture_on_commit_callbacks(execute=True):
        from tremplin.events.models import EventStop
        from tremplin.events.services import walk_in_add

        stop = EventStop.objects.create(
            event=event,
            municipality=world["levis"],
            place="Salle",
            starts_at=at(dt.date(2011, 2, 1)),
            ends_at=at(dt.date(2011, 2, 1), 20),
        )
        walk_in_add(user=personas["coordination"], stop=stop, name="Lucie", is_tenant=True)
    assert engine.stale([FY], ["reach"]) == [("reach", FY)]
    assert engine.values([people], [FY], Area())[("reach.people", FY.key)] == 22
    assert (
        engine.values([catalogue.get("reach.tenants")], [FY], Area())[("reach.tenants", FY.key)]
        == 10
    )


def test_it_computes_any_span_from_scratch_without_storing_it(world, personas):
    _tour(world, personas)
    people = catalogue.get("reach.people")
    first_day = Period.span(dt.date(2010, 10, 5), dt.date(2010, 10, 5))
    assert engine.values([people], [first_day], Area())[("reach.people", first_day.key)] == 12
    assert not IndicatorFact.objects.filter(period=first_day.key).exists()
    with pytest.raises(ValueError):
        engine.refresh(first_day)


def test_it_reads_zero_where_nothing_counts_and_none_for_an_undefined_ratio(world):
    reach = catalogue.of_group("reach")
    values = engine.values(reach, [FY], Area("territory", world["t_other"].pk))
    assert all(values[(i.id, FY.key)] == 0 for i in reach)
    assert engine._ratio(3, 0, 100, PERCENT) is None
    assert engine._ratio(1, 3, 100, PERCENT) == Decimal("33.3")


def test_it_reads_the_dashboard_in_a_constant_number_of_queries(
    world, personas, django_assert_max_num_queries
):
    indicators = catalogue.all_indicators()
    periods = FY.trail(5)
    engine.values(indicators, periods, Area())  # fills the table
    with django_assert_max_num_queries(3):
        engine.values(indicators, periods, Area())
    for day in (dt.date(2010, 6, 1), dt.date(2010, 9, 1), dt.date(2011, 1, 10)):
        _tour(world, personas, day)
    engine.refresh_all([2006, 2007, 2008, 2009, 2010])
    with django_assert_max_num_queries(3):
        values = engine.values(indicators, periods, Area())
    assert values[("reach.people", FY.key)] == 3 * 21


def test_it_refreshes_only_stale_pairs_from_the_command(world, personas):
    from django.core.management import call_command

    engine.refresh_all([2010])
    assert engine.refresh_stale([2010]) == 0
    engine.mark_changed("reach")
    # Both the fiscal and the calendar year of 2010 are stale for the reach group only.
    assert engine.refresh_stale([2010]) == 2
    call_command("indicators", "refresh", "--year", "2010")
    assert timezone.now() > FactBatch.objects.get(group="reach", period="fy2010").computed_at


def test_it_stores_totals_for_the_tiles_and_breakdowns_when_a_page_asks(world, personas):
    _tour(world, personas)
    people = catalogue.get("reach.people")
    engine.values([people], [FY], Area())
    assert not FactBatch.objects.get(group="reach", period=FY.key).breakdowns
    assert not IndicatorFact.objects.filter(period=FY.key).exclude(breakdown="").exists()
    by_kind = engine.breakdown_values(people, FY, Area(), "event_kind")
    assert by_kind == {"tour": 12 + 9}
    assert FactBatch.objects.get(group="reach", period=FY.key).breakdowns
    # Totals are still there, and a complete batch serves the tiles without recomputing.
    assert engine.stale([FY], ["reach"]) == []
    assert engine.values([people], [FY], Area())[("reach.people", FY.key)] == 21
