"""The synthetic province-scale data and the `tremplin bench` command (on tiny scales)."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from tremplin.accounts.services import membership_set
from tremplin.accounts.two_factor import sign_in_verified
from tremplin.bench.directory import DirectorySuite
from tremplin.bench.measure import percentile
from tremplin.bench.synthetic.province import NotEmptyError, generate_province, plan, plan_region
from tremplin.core.text import fold
from tremplin.housing.models import Building, HousingProvider, normalize_postal_code
from tremplin.housing.services import provider_refresh
from tremplin.territories.models import Mrc, Municipality, Region, Territory


def _wipe():
    HousingProvider.objects.all().delete()
    for model in (Municipality, Mrc, Territory, Region):
        model.objects.all().delete()


def test_it_generates_counts_consistent_with_the_rows(db):
    summary = generate_province("tiny")

    assert summary["providers"] == HousingProvider.objects.count() == 20
    assert summary["providers_by_kind"] == {"coop": 9, "oh": 2, "osbl": 9}
    assert summary["buildings"] == Building.objects.count()
    assert summary["units"] == Building.objects.aggregate(u=Sum("total_units"))["u"]
    assert summary["regions"] == Region.objects.count() == 2
    providers = HousingProvider.objects.select_related("municipality__mrc__territory").annotate(
        n=Count("buildings"), units=Sum("buildings__total_units")
    )
    for p in providers:
        assert p.is_demo
        assert p.building_count == p.n >= 1
        assert p.unit_count == p.units
        assert p.name_key == fold(p.name)
        assert fold(p.municipality.name) in p.search_key
        assert fold(p.municipality.mrc.territory.name) in p.search_key
        assert normalize_postal_code(p.postal_code) == p.postal_code
    for b in Building.objects.select_related("municipality__mrc", "provider__municipality__mrc"):
        assert b.is_demo
        assert normalize_postal_code(b.postal_code) == b.postal_code
        assert b.total_units == sum(getattr(b, f) for f in Building.UNIT_FIELDS)
        assert b.adapted_units <= b.total_units
        assert b.municipality.mrc.region_id == b.provider.municipality.mrc.region_id
    assert not Building.objects.filter(clienteles=None).exists()
    assert all(m.name_key == fold(m.name) for m in Municipality.objects.all())


def test_it_fills_derived_fields_as_provider_refresh_would(db):
    generate_province("tiny")
    for p in HousingProvider.objects.order_by("-building_count")[:5]:
        before = (p.building_count, p.unit_count, sorted(p.search_key.split(" | ")), p.name_key)
        provider_refresh(p)
        p.refresh_from_db()
        after = (p.building_count, p.unit_count, sorted(p.search_key.split(" | ")), p.name_key)
        assert before == after


def test_it_refuses_a_database_that_is_not_empty(db):
    generate_province("tiny")
    with pytest.raises(NotEmptyError):
        generate_province("tiny")


def test_it_plans_the_region_scale_as_region_12_of_the_province():
    alone = plan_region("12", "region")
    in_province = plan_region("12", "province")

    assert [p.name for p in alone.providers] == [p.name for p in in_province.providers]
    assert [b.address for b in alone.buildings] == [b.address for b in in_province.buildings]
    assert 130 <= len(alone.providers) <= 180
    assert 600 <= len(alone.buildings) <= 950
    assert alone.region.name == "Chaudière-Appalaches"


def test_it_plans_a_province_of_the_right_size():
    regions = plan("province")

    providers = [p for r in regions for p in r.providers]
    buildings = [b for r in regions for b in r.buildings]
    munis = [m for r in regions for m in r.municipalities]
    assert [r.region.code for r in regions] == [f"{i:02d}" for i in range(1, 18)]
    assert 1000 <= len(munis) <= 1200
    assert len({m.code for m in munis}) == len(munis)
    assert len({t.slug for r in regions for t in r.territories}) == sum(
        len(r.territories) for r in regions
    )
    kinds = [p.kind for p in providers]
    assert kinds.count("omh") + kinds.count("oh") == 149
    assert kinds.count("coop") == 1250
    assert kinds.count("osbl") == 1200
    assert 12000 <= len(buildings) <= 14000
    assert 145_000 <= sum(b.total_units for b in buildings) <= 175_000
    assert len({(p.name_key, p.municipality.code) for p in providers}) == len(providers)


def _coordination_client(client):
    user = get_user_model().objects.create_user("bench-coord", "coord@example.org", None)
    membership_set(user=user, role="coordination")
    sign_in_verified(client, user)
    return client


def _page_queries(client) -> dict:
    territory = Territory.objects.filter(region__code="12").order_by("slug").first()
    variants = {
        "plain": {},
        "search": {"q": "saint", "kind": "coop", "sort": "-units"},
        "filters": {"clientele": "aines", "territory": territory.slug},
        "deep": {"sort": "name", "page": "2"},
    }
    counts = {}
    for name, params in variants.items():
        for per_page in ("25", "100"):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get("/repertoire/", {**params, "per_page": per_page})
            assert response.status_code == 200
            counts[(name, per_page)] = len(ctx.captured_queries)
    return counts


def test_it_lists_with_as_many_queries_whatever_the_page_size_and_data_size(client, db):
    client = _coordination_client(client)
    generate_province("tiny")
    tiny = _page_queries(client)
    response = client.get("/repertoire/", {"per_page": "100"})
    assert response.content.count(b"<tr") == 20 + 1

    _wipe()
    generate_province("small")
    small = _page_queries(client)
    response = client.get("/repertoire/", {"per_page": "100"})
    assert response.content.count(b"<tr") == 100 + 1

    assert small == tiny
    for name in ("plain", "search", "filters", "deep"):
        assert tiny[(name, "25")] == tiny[(name, "100")]
    assert max(tiny.values()) <= 15


def test_it_prints_one_json_line_per_measure(db):
    out = io.StringIO()
    call_command("bench", "directory", "--worker", "--scale", "tiny", "--repeat", "2", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]

    assert [line["measure"] for line in lines] == [
        "environment",
        "generate",
        "directory_search",
        "directory_deep_page",
        "directory_clientele_territory",
        "directory_export_csv",
    ]
    assert lines[0]["database"].split()[0] in ("SQLite", "PostgreSQL")
    lines = lines[1:]
    generate = lines[0]
    assert generate["scale"] == "tiny" and generate["providers"] == 20 and not generate["reused"]
    assert generate["buildings"] == Building.objects.count()
    for line in lines[1:]:
        assert {"measure", "scale", "p50_ms", "p95_ms", "queries", "n"} <= set(line)
        assert line["n"] == 2 and line["p50_ms"] <= line["p95_ms"]
    assert all(line["queries"] <= 15 for line in lines[1:4])
    assert lines[4]["rows"] == lines[4]["buildings"] == Building.objects.count()
    assert lines[4]["rows_match"] is True

    # A second run finds its data (the marker) and does not generate again.
    out = io.StringIO()
    call_command("bench", "directory", "--worker", "--scale", "tiny", "--repeat", "1", stdout=out)
    assert json.loads(out.getvalue().splitlines()[1])["reused"] is True


def test_it_computes_ratios_and_targets():
    suite = DirectorySuite()
    results = []
    for scale, p50 in (("region", 20.0), ("province", 30.0)):
        for measure in suite.list_measures:
            results.append({"measure": measure, "scale": scale, "p50_ms": p50, "queries": 12})
        results.append(
            {
                "measure": "directory_export_csv",
                "scale": scale,
                "p50_ms": p50 * 100,
                "queries": 8,
                "rows_match": True,
            }
        )

    ratios = suite.ratio_lines(results)
    targets = suite.targets(results)

    assert {"measure": "directory_search", "ratio_province_over_region": 1.5} in ratios
    assert targets["pages_at_most_15_queries"] is True
    assert targets["province_p50_at_most_2x_region"] is True
    assert targets["export_under_3s"] is False  # 3,000 ms is not under 3 s
    assert targets["all"] is False


def test_it_rejects_an_unknown_suite_or_scale():
    with pytest.raises(CommandError):
        call_command("bench", "nope")
    with pytest.raises(CommandError):
        call_command("bench", "directory", "--scales", "planet")


def test_it_takes_nearest_rank_percentiles():
    values = [float(v) for v in range(30, 0, -1)]
    assert percentile(values, 50) == 15
    assert percentile(values, 95) == 29
