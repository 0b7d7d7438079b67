"""Mobilization indicators: survey campaigns run, their sites (« milieux ciblés »), responses
received and how far sites with a goal came.

Fiscal year 2023 runs from 2023-04-01 to 2024-03-31. Every expected figure is counted by hand
from the records built below; the demo's figure is the seed's (000: the Enquête mobilisante
started « dans 10 milieux ciblés » in Year 1, fiscal year 2008-2009).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.periods import Area, Period, current_fiscal_year
from tremplin.surveys import services
from tremplin.surveys.models import Campaign
from tremplin.surveys.tests.conftest import build_questionnaire, make_campaign, submit

from .fakes import areas

FY = Period.fiscal(2023)
D = dt.date


def value(indicator_id, area=None, breakdown="", period=FY):
    return engine.compute_one(catalogue.get(indicator_id), period, area or Area(), breakdown)


def campaign(version, title, opens, closes, buildings=(), providers=(), goals=None):
    made = services.campaign_save(
        user=None,
        campaign=Campaign(title=title, version=version, opens_on=opens, closes_on=closes),
        buildings=buildings,
        providers=providers,
    )
    if goals:
        by_place = {s.building or s.provider: s.pk for s in made.sites.all()}
        services.site_goals_update(
            user=None,
            campaign=made,
            goals={by_place[place]: goal for place, goal in goals.items()},
        )
    return made


def answer(site, day, times):
    for _i in range(times):
        submit(site, day=day, satisfaction=4)


@pytest.fixture
def surveys(world, personas):
    """K1 (2023-05-01 to 06-30): building A (goal 10), building B (goal 4). K2 (opens on the
    year's last day): provider OMH A (no goal), building A (goal 5). Not run in the year:
    K0 (closed the day before it), K3 (opens the day after)."""
    version = build_questionnaire(user=personas["organizer_a"]).versions.get(number=1)
    building_a, building_b, omh_a = world["building_a"], world["building_b"], world["omh_a"]
    k1 = campaign(
        version,
        "K1",
        D(2023, 5, 1),
        D(2023, 6, 30),
        [building_a, building_b],
        goals={building_a: 10, building_b: 4},
    )
    k2 = campaign(
        version,
        "K2",
        FY.end,
        D(2024, 5, 15),
        [building_a],
        [omh_a],
        goals={building_a: 5},
    )
    k0 = campaign(version, "K0", D(2023, 1, 1), D(2023, 3, 31), [building_b], goals={building_b: 9})
    campaign(version, "K3", D(2024, 4, 1), D(2024, 6, 1), [building_a, building_b])

    answer(k1.sites.get(building=building_a), D(2023, 5, 15), 6)
    answer(k1.sites.get(building=building_b), D(2023, 6, 30), 3)
    k2_a = k2.sites.get(building=building_a)
    answer(k2_a, FY.end, 2)
    answer(k2_a, D(2024, 4, 2), 1)  # after the year
    answer(k2.sites.get(provider=omh_a), D(2024, 4, 1), 1)  # after the year, no goal
    answer(k0.sites.get(), D(2023, 3, 31), 2)  # the day before the year
    return {"k1": k1, "k2": k2, "k0": k0}


def test_it_counts_campaigns_open_on_a_day_of_the_period(world, surveys):
    at = areas(world)
    # K1 and K2 (opens on the last day); not K0 (closed the day before), not K3.
    assert value("mobilization.campaigns") == 2
    assert value("mobilization.campaigns", at["ta"]) == 2  # K1 and K2 have sites there
    assert value("mobilization.campaigns", at["tb"]) == 1  # K1
    assert value("mobilization.campaigns", at["region"]) == 2  # each once
    assert value("mobilization.campaigns", period=Period.fiscal(2022)) == 1  # K0


def test_it_counts_each_site_of_those_campaigns_in_its_territory(world, surveys):
    at = areas(world)
    k1_sites, k2_sites = 2, 2  # building A twice: a site of K1 and one of K2
    assert value("mobilization.sites") == k1_sites + k2_sites
    assert value("mobilization.sites", at["ta"]) == 1 + 2  # K1 building A; K2 both
    assert value("mobilization.sites", at["tb"]) == 1  # K1 building B
    assert value("mobilization.sites", breakdown="campaign") == {
        str(surveys["k1"].public_id): k1_sites,
        str(surveys["k2"].public_id): k2_sites,
    }


def test_it_counts_responses_dated_in_the_period(world, surveys):
    at = areas(world)
    in_ta, in_tb = 6 + 2, 3  # K1 building A, K2 building A on the last day; K1 building B
    assert value("mobilization.responses") == in_ta + in_tb
    assert value("mobilization.responses", at["ta"]) == in_ta
    assert value("mobilization.responses", at["tb"]) == in_tb
    # The year after: K2's two responses of April (building A and OMH A).
    assert value("mobilization.responses", period=Period.fiscal(2024)) == 2


def test_it_compares_responses_of_sites_with_a_goal_to_their_goals(world, surveys):
    at = areas(world)
    # Sites with a goal: K1 building A (10), K1 building B (4), K2 building A (5); OMH A has
    # none. Their responses up to 2024-03-31: 6, 3 and 2 (K2's of 2024-04-02 comes later).
    assert value("mobilization.goal") == 10 + 4 + 5
    assert value("mobilization.goal_responses") == 6 + 3 + 2
    assert value("mobilization.goal_rate") == Decimal("57.9")  # 11 / 19 = 57.89…
    assert value("mobilization.goal_rate", at["ta"]) == Decimal("53.3")  # 8 / 15
    assert value("mobilization.goal_rate", at["tb"]) == Decimal("75.0")  # 3 / 4
    # The next year, K2 (still open) has 2 + 1 of its 5.
    assert value("mobilization.goal_rate", period=Period.fiscal(2024)) == Decimal("60.0")


def test_it_lists_the_campaigns_the_viewer_manages(world, personas, surveys):
    sites = catalogue.get("mobilization.sites")
    everything = sites.records(personas["coordination"], FY, Area(), "", "")
    assert [row[0][0] for row in everything.rows] == ["K1", "K2"]
    assert everything.rows[0][0][3:] == [2, 6 + 3]  # sites, responses in the year
    beauce = areas(world)["tb"]
    assert [r[0][0] for r in sites.records(personas["coordination"], FY, beauce, "", "").rows] == [
        "K1"
    ]
    one = sites.records(
        personas["coordination"], FY, Area(), "campaign", str(surveys["k2"].public_id)
    )
    assert [row[0][0] for row in one.rows] == ["K2"]
    # Organizer of Beauce: the campaigns with a site in Beauce (K1 only in this year).
    organizer = sites.records(personas["organizer_b"], FY, Area(), "", "")
    assert [row[0][0] for row in organizer.rows] == ["K1"]
    for name in ("partner", "researcher", "supervisor_a"):  # no survey pages: closed to them
        with pytest.raises(Http404):
            sites.records(personas[name], FY, Area(), "", "")


def test_it_recomputes_stored_values_after_a_response_is_received(
    world, personas, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    period = Period.fiscal(current_fiscal_year(today))
    version = build_questionnaire(user=personas["organizer_a"]).versions.get(number=1)
    running = make_campaign(version, [world["building_a"]], opens=0, closes=10)
    responses = catalogue.get("mobilization.responses")
    key = (responses.id, period.key)
    assert engine.values([responses], [period], Area())[key] == 0
    with django_capture_on_commit_callbacks(execute=True):
        submit(running.sites.get(), satisfaction=5)
    assert engine.values([responses], [period], Area())[key] == 1
