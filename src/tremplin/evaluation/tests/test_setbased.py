"""The full refresh as set-based SQL (#19) stores exactly what the computation from scratch
gives, for every group, period, area, breakdown and item, on the demo's data."""

from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.models import FactBatch, IndicatorFact
from tremplin.evaluation.periods import Period

YEARS = (2008, 2010, 2024)  # the agreement's first year, a later one, and a recent one


def test_the_set_based_refresh_equals_a_computation_from_scratch(db, demo_data):
    written = engine.refresh_all(YEARS)
    assert written == IndicatorFact.objects.count() > 0
    for group_id in catalogue.GROUP_ORDER:
        indicators = catalogue.of_group(group_id)
        for year in YEARS:
            for period in (Period.fiscal(year), Period.calendar(year)):
                stored = {
                    (ind, area, name, item): value
                    for ind, area, name, item, value in IndicatorFact.objects.filter(
                        period=period.key, indicator__in=[i.id for i in indicators]
                    ).values_list("indicator", "area", "breakdown", "item", "value")
                }
                assert stored == engine.compute(indicators, period), (group_id, period.key)
    assert FactBatch.objects.filter(breakdowns=True).count() == 6 * 2 * len(YEARS)
    assert not engine.stale([Period.fiscal(y) for y in YEARS], catalogue.GROUP_ORDER)


def test_every_set_based_indicator_has_rows_for_one_period():
    for indicator in catalogue.all_indicators():
        assert indicator.facts is None or indicator.rows is not None, indicator.id
