"""`tremplin bench api` on the tiny scale: every measure answers, within the query budget,
the full sync reads every building, and the targets are judged."""

from tremplin.bench.api import ApiSuite
from tremplin.bench.management.commands.bench import SUITES
from tremplin.bench.tests.fixtures import tiny_data
from tremplin.housing.models import Building

tiny = tiny_data(ApiSuite())


def test_it_runs_the_api_suite_and_judges_its_targets(tiny):
    assert isinstance(SUITES["api"], ApiSuite)
    assert tiny["projects"] == 24
    suite = ApiSuite()
    assert suite.generate("tiny", 12)["seconds"] == 0.0  # kept data: not generated twice
    lines = []
    suite.run(scale="tiny", repeat=2, emit=lines.append)
    measured = {line["measure"]: line for line in lines}
    assert set(measured) == {*suite.list_measures, "api_buildings_sync"}
    assert all(line["queries"] <= suite.max_queries for line in lines), [
        (line["measure"], line["queries"]) for line in lines
    ]
    sync = measured["api_buildings_sync"]
    assert sync["rows"] == Building.objects.count() and sync["rows_match"]
    assert all(measured[m]["rows"] > 0 for m in suite.list_measures)
    as_region = [dict(line, scale="region") for line in lines]
    as_province = [dict(line, scale="province") for line in lines]
    targets = suite.targets(as_region + as_province)
    assert targets["all"] is True and targets["province_p50_at_most_2x_region"] is True
    slow = dict(sync, scale="province", p50_ms=6000.0)
    assert suite.targets([slow])["buildings_sync_under_5s_at_province"] is False
    assert suite.targets([slow])["all"] is False
    many = dict(measured["api_buildings"], queries=11)
    assert suite.targets([many])["pages_at_most_10_queries"] is False
    assert {line["measure"] for line in suite.ratio_lines(as_region + as_province)} == set(measured)
