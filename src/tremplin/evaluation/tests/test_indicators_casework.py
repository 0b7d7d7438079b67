"""Individual-support indicators: the statistics' counting rules on any period and area,
small counts suppressed for everyone, seen only by roles that read case statistics.

Fiscal year 2023 runs from 2023-04-01 to 2024-03-31. Every expected figure is counted by hand
from the records built below (the letters name the persons).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tremplin.casework.models import InterventionType, Outcome, ReferralOutcome
from tremplin.casework.tests.casefiles import add_intervention, make_file
from tremplin.casework.tests.test_privacy_support import (
    make_follow_up,
    make_intervention,
    make_person,
    make_referral,
    make_resource,
)
from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.display import format_value, shown
from tremplin.evaluation.periods import Area, Period, current_fiscal_year
from tremplin.evaluation.permissions import may_see_indicator

from .fakes import areas

FY = Period.fiscal(2023)
D = dt.date
IDS = [
    "casework.persons",
    "casework.new_follow_ups",
    "casework.interventions",
    "casework.referrals",
    "casework.closed",
    "casework.closed_stable",
    "casework.stability",
]


def ind(indicator_id):
    return catalogue.get(indicator_id)


def value(indicator_id, area=None, breakdown="", period=FY):
    return engine.compute_one(ind(indicator_id), period, area or Area(), breakdown)


@pytest.fixture
def cases(world, personas):
    """A: moved from Grand Littoral (follow-up closed 2023-08-31, kept) to Beauce (new
    follow-up 2023-09-01); B: Grand Littoral, from 2023-05-01; C: Grand Littoral, closed the day
    before the year; D: Grand Littoral, closed on its first day (other); E: Beauce, started on
    its last day; F: Beauce, started the day after; G: Québec (another region), anonymized,
    closed 2024-01-15 (moved to better housing)."""
    w_a, w_b = personas["worker_a"], personas["worker_b"]
    a = make_person(world, "Aline", "A", territory="ta")
    a_ta = make_follow_up(
        a, w_a, started_on=D(2022, 6, 1), closed_on=D(2023, 8, 31), outcome=Outcome.KEPT
    )
    a.territory = world["tb"]
    a.save()
    a_tb = make_follow_up(a, w_b, started_on=D(2023, 9, 1))
    b = make_follow_up(make_person(world, "Bruno", "B"), w_a, started_on=D(2023, 5, 1))
    c = make_follow_up(
        make_person(world, "Carole", "C"),
        w_a,
        started_on=D(2022, 1, 10),
        closed_on=D(2023, 3, 31),
        outcome=Outcome.LOST,
    )
    d = make_follow_up(
        make_person(world, "Denis", "D"),
        w_a,
        started_on=D(2022, 2, 1),
        closed_on=D(2023, 4, 1),
        outcome=Outcome.OTHER,
    )
    e = make_follow_up(make_person(world, "Émile", "E", territory="tb"), w_b, started_on=FY.end)
    make_follow_up(make_person(world, "Fanny", "F", territory="tb"), w_b, started_on=D(2024, 4, 1))
    g_person = make_person(world, "Gilles", "G", territory="t_other")
    g = make_follow_up(
        g_person,
        w_a,
        started_on=D(2023, 6, 1),
        closed_on=D(2024, 1, 15),
        outcome=Outcome.MOVED_BETTER,
    )
    g_person.first_name = g_person.last_name = ""
    g_person.anonymized_at = timezone.now()
    g_person.save()

    # Interventions in the year: B crisis on its last day, D intake on its first day, three
    # lease interventions for A in Beauce. Outside: D the day before, B the day after.
    make_intervention(b, w_a, FY.end, type=InterventionType.CRISIS)
    make_intervention(d, w_a, FY.start)
    for day in (1, 2, 3):
        make_intervention(a_tb, w_b, D(2023, 10, day), type=InterventionType.LEASE)
    make_intervention(d, w_a, D(2023, 3, 31))
    make_intervention(b, w_a, D(2024, 4, 1))

    # Referrals in the year: B accepted, A (Beauce) waiting and refused, G accepted on the last
    # day. Outside: B the day after.
    resource = make_resource(world)
    make_referral(b, resource, w_a, D(2023, 6, 1))
    make_referral(a_tb, resource, w_b, D(2023, 10, 5), outcome=ReferralOutcome.WAITING)
    make_referral(a_tb, resource, w_b, D(2023, 10, 6), outcome=ReferralOutcome.REFUSED)
    make_referral(g, resource, w_a, FY.end)
    make_referral(b, resource, w_a, D(2024, 4, 1))
    return {"a_ta": a_ta, "a_tb": a_tb, "b": b, "c": c, "d": d, "e": e, "g": g}


def test_it_counts_a_person_followed_in_two_territories_once_per_area(world, cases):
    at = areas(world)
    # Under way during the year: A (Grand Littoral then Beauce), B, D (closed on the first
    # day), E (started on the last day), G; not C (closed the day before), not F (after).
    in_ta = {"A", "B", "D"}
    in_tb = {"A", "E"}
    in_other = {"G"}
    assert value("casework.persons", at["ta"]) == len(in_ta) == 3
    assert value("casework.persons", at["tb"]) == len(in_tb) == 2
    assert value("casework.persons", at["region"]) == len(in_ta | in_tb) == 4
    assert value("casework.persons", at["other"]) == len(in_other) == 1
    assert value("casework.persons") == len(in_ta | in_tb | in_other) == 5


def test_it_still_counts_an_anonymized_person(world, cases):
    assert cases["g"].person.anonymized_at is not None
    assert value("casework.persons", areas(world)["other_region"]) == 1
    assert value("casework.closed", areas(world)["other"]) == 1


def test_it_counts_follow_ups_started_in_the_period(world, cases):
    at = areas(world)
    # Started in the year: A in Beauce (2023-09-01), B (2023-05-01), E (the last day),
    # G (2023-06-01). A's first, C and D started before it; F after it.
    assert value("casework.new_follow_ups", at["ta"]) == 1  # B
    assert value("casework.new_follow_ups", at["tb"]) == 2  # A, E
    assert value("casework.new_follow_ups", at["region"]) == 1 + 2
    assert value("casework.new_follow_ups") == 1 + 2 + 1


def test_it_counts_interventions_by_type_up_to_the_last_day(world, cases):
    at = areas(world)
    crisis, intake, lease = 1, 1, 3  # B's on the last day; D's on the first; A's three
    assert value("casework.interventions") == crisis + intake + lease == 5
    assert value("casework.interventions", at["ta"]) == crisis + intake
    assert value("casework.interventions", at["tb"]) == lease
    assert value("casework.interventions", breakdown="intervention_type") == {
        InterventionType.CRISIS: crisis,
        InterventionType.INTAKE: intake,
        InterventionType.LEASE: lease,
    }
    # The year after holds B's intervention of 2024-04-01 only.
    assert value("casework.interventions", period=Period.fiscal(2024)) == 1


def test_it_counts_referrals_by_outcome(world, cases):
    at = areas(world)
    assert value("casework.referrals", breakdown="referral_outcome") == {
        ReferralOutcome.ACCEPTED: 2,  # B's, G's on the last day
        ReferralOutcome.WAITING: 1,
        ReferralOutcome.REFUSED: 1,
    }
    assert value("casework.referrals") == 2 + 1 + 1
    assert value("casework.referrals", at["tb"]) == 1 + 1
    assert value("casework.referrals", at["region"]) == 1 + 1 + 1


def test_it_counts_closings_by_outcome_and_the_share_in_stable_housing(world, cases):
    at = areas(world)
    # Closed in the year: A in Grand Littoral (kept), D on the first day (other), G (moved to
    # better housing). C closed the day before does not count.
    assert value("casework.closed", breakdown="outcome") == {
        Outcome.KEPT: 1,
        Outcome.OTHER: 1,
        Outcome.MOVED_BETTER: 1,
    }
    assert value("casework.closed") == 3
    assert value("casework.closed_stable") == 2  # kept + moved to better housing
    # 2 of 3, 1 of 2, 1 of 1: each share would name a handful of people; none is given.
    for area in (None, at["ta"], at["region"], at["other"], at["tb"]):
        assert value("casework.stability", area) is None


def test_it_gives_the_share_in_stable_housing_only_when_no_small_count_shows(world, personas):
    """13 closings in Grand Littoral: 8 stable (5 kept, 3 moved to better housing), 5 other →
    8 / 13 = 61.5 %. In Beauce, 6 kept of 7 closings: the one other closing would show; hidden."""
    worker_a, worker_b = personas["worker_a"], personas["worker_b"]
    outcomes_a = [Outcome.KEPT] * 5 + [Outcome.MOVED_BETTER] * 3 + [Outcome.OTHER] * 5
    outcomes_b = [Outcome.KEPT] * 6 + [Outcome.LOST]
    for territory, worker, outcomes in (("ta", worker_a, outcomes_a), ("tb", worker_b, outcomes_b)):
        for n, outcome in enumerate(outcomes):
            person = make_person(world, f"P{n}", territory, territory=territory)
            make_follow_up(
                person,
                worker,
                started_on=D(2023, 5, 1),
                closed_on=D(2023, 9, n + 1),
                outcome=outcome,
            )
    at = areas(world)
    assert value("casework.stability", at["ta"]) == Decimal("61.5")  # 8 / 13
    assert value("casework.stability", at["tb"]) is None  # 6 / 7: 1 not stable
    # The region: 14 stable of 20 closed, 6 not stable: no small count, 70 %.
    assert value("casework.stability", at["region"]) == Decimal("70.0")


def test_it_suppresses_counts_from_one_to_four_for_everyone(world, cases):
    at = areas(world)
    persons = ind("casework.persons")
    region = value("casework.persons", at["region"])
    assert region == 4
    assert format_value(persons, region) == "< 5"
    assert shown(persons, region) is None
    total = value("casework.persons")
    assert format_value(persons, total) == "5" and shown(persons, total) == 5
    assert format_value(persons, 0) == "0"
    for indicator_id in IDS:
        indicator = ind(indicator_id)
        assert indicator.suppress_below == 5
        for n in (1, 2, 3, 4):
            assert format_value(indicator, n) == "< 5"


def test_it_shows_individual_support_only_to_roles_reading_case_statistics(personas):
    indicators = catalogue.of_group("casework")
    assert [i.id for i in indicators] == IDS
    for name in ("coordination", "supervisor_a", "supervisor_b", "privacy_officer"):
        assert all(may_see_indicator(personas[name], i) for i in indicators), name
    for name in ("organizer_a", "organizer_b", "partner", "researcher", "worker_a", "no_role"):
        assert not any(may_see_indicator(personas[name], i) for i in indicators), name
    visible = {i.id for i in catalogue.visible_to(personas["researcher"])}
    assert not visible & set(IDS)


def test_it_never_lists_the_records_behind_a_value(world, cases):
    for indicator in catalogue.of_group("casework"):
        assert indicator.records is None
        assert indicator.audience == catalogue.CASE_STATS


def test_it_recomputes_stored_values_after_an_intervention_is_recorded(
    world, personas, django_capture_on_commit_callbacks
):
    worker = personas["worker_a"]
    today = timezone.localdate()
    period = Period.fiscal(current_fiscal_year(today))
    _person, follow_up = make_file(worker, building=world["building_a"], started=today)
    interventions = ind("casework.interventions")
    key = (interventions.id, period.key)
    assert engine.values([interventions], [period], Area())[key] == 0
    with django_capture_on_commit_callbacks(execute=True):
        add_intervention(follow_up, worker, on=today)
    assert engine.stale([period], ["casework"]) == [("casework", period)]
    assert engine.values([interventions], [period], Area())[key] == 1
    ta = Area("territory", world["ta"].pk)
    assert engine.values([interventions], [period], ta)[key] == 1
