"""`tremplin bench evaluation` at tiny scale: its data, its hand-written SQL, its measures."""

from decimal import Decimal

import pytest

from tremplin.bench import evaluation as bench
from tremplin.bench.evaluation import EvaluationSuite
from tremplin.bench.evaluation_sql import compare, ratio, region_values
from tremplin.bench.synthetic.province import generate_province
from tremplin.bench.tests.fixtures import tiny_data
from tremplin.evaluation import catalogue
from tremplin.evaluation.catalogue import MONEY, PERCENT
from tremplin.evaluation.periods import Period, current_fiscal_year
from tremplin.projects.models import TenantAssociation
from tremplin.territories.models import Region

PERIODS = [
    Period.fiscal(2025),
    Period.fiscal(2018),
    Period.calendar(2023),
    Period.fiscal(current_fiscal_year()),  # under way: meetings to come are not held yet
]


tiny = tiny_data(EvaluationSuite())


def test_it_generates_every_source_of_the_indicators(tiny):
    assert set(bench.PARTS) <= set(tiny)
    extras = tiny["extras"]
    for count in ("committees", "meetings", "attendance", "action_items", "accompaniments"):
        assert extras[count] > 0, count
    assert extras["associations"] > 0 and extras["allocations"] > 0


def test_it_computes_in_sql_the_numbers_the_dashboard_shows(tiny):
    """Every indicator, both regions, four periods: the SQL equals the summary table."""
    indicators = catalogue.all_indicators()
    seen = {i.id: 0 for i in indicators}
    founded = TenantAssociation.objects.exclude(founded_on=None).order_by("-founded_on").first()
    periods = [*PERIODS, Period.calendar(founded.founded_on.year)]  # a few associations only
    for region in Region.objects.order_by("code"):
        for period in periods:
            sql = region_values(region.pk, period)
            assert set(sql) == set(seen), "an indicator without hand-written SQL"
            assert compare(sql, region.pk, period) == {}, (region.code, period.key)
            for indicator_id, value in sql.items():
                seen[indicator_id] += bool(value)
    # Not a comparison of zeros: every indicator has a value somewhere (but the stability
    # rate, whose tiny counts are all suppressed: see the next test).
    assert [i for i, n in seen.items() if not n] in ([], ["casework.stability"])


def test_it_follows_the_dashboards_rounding_and_suppression_of_ratios():
    assert ratio(Decimal(2), Decimal(3), 100, PERCENT) == Decimal("66.7")
    assert ratio(Decimal(1), Decimal(8), 100, PERCENT) == Decimal("12.5")  # half up
    assert ratio(Decimal(100), Decimal(3), 1, MONEY) == Decimal("33.33")
    assert ratio(Decimal(0), Decimal(0), 100, PERCENT) is None
    assert ratio(Decimal(20), Decimal(40), 100, PERCENT, 5) == Decimal("50.0")
    # 9 of 10 closings stable: the one that was not would show through.
    assert ratio(Decimal(9), Decimal(10), 100, PERCENT, 5) is None
    assert ratio(Decimal(3), Decimal(40), 100, PERCENT, 5) is None


@pytest.fixture
def tiny_committed(transactional_db, django_db_serialized_rollback):
    """The tiny data, committed: a write marks its group stale after commit, as in the bench.
    The migrated state is restored afterwards (groups, clienteles…) for the tests that follow."""
    generate_province("tiny")
    return EvaluationSuite().generate("tiny", 12)


def test_it_measures_the_dashboard_beside_the_sql(tiny_committed, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["testserver"]
    monkeypatch.setattr(bench, "data_years", lambda: [2024, 2025])
    lines = []
    suite = EvaluationSuite()
    suite.run(scale="tiny", repeat=2, emit=lines.append)
    by_measure = {}
    for line in lines:
        by_measure.setdefault(line["measure"], []).append(line)
    assert by_measure["refresh_all"][0]["periods"] == 4
    for measure in ("dashboard_region", "dashboard_region_year", "dashboard_province"):
        # A read of the fresh summary table: a few queries whatever the data.
        assert by_measure[measure][0]["queries"] <= 5, by_measure[measure]
    sql = by_measure["sql_region"][0]
    assert sql["sql_check"] is True and sql["not_covered"] == []
    assert sql["queries"] == len(bench_sql_statements())
    writes = by_measure["refresh_after_write"]
    assert [w["write"] for w in writes] == ["intervention", "activity"]
    # Only the written record's group is recomputed.
    assert {s.split()[0] for s in writes[0]["stale"]} == {"casework"}
    assert {s.split()[0] for s in writes[1]["stale"]} == {"collective"}
    assert "dashboard_page" in by_measure and "pdf_report" in by_measure
    pages = by_measure["indicator_pages"][0]
    assert pages["pages"] == len(catalogue.all_indicators()) and pages["queries"] <= 40
    targets = suite.targets(lines)
    assert targets["sql_equals_dashboard"] is True


def bench_sql_statements():
    from tremplin.bench.evaluation_sql import PROGRAM_STATEMENTS, STATEMENTS

    return {**STATEMENTS, **PROGRAM_STATEMENTS}
