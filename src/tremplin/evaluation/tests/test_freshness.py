"""Stored values brought up to date from the change itself (#19): a write makes stale only the
years its record's dates fall in and, of its group, only the indicators reading its model; after
any sequence of writes, the stored values still equal a computation from scratch."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tremplin.casework.models import Intervention, InterventionType
from tremplin.casework.tests.test_privacy_support import (
    make_follow_up,
    make_intervention,
    make_person,
)
from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.models import IndicatorFact, SourceChange
from tremplin.evaluation.periods import Area, Period
from tremplin.projects.models import Project, ProjectActivity

from .test_indicators_collective import activity, project

YEARS = (2022, 2023, 2024)
PERIODS = [Period.of(kind, y) for y in YEARS for kind in ("fy", "cy")]
GROUPS = ("casework", "collective")


@pytest.fixture
def records(world, personas, django_capture_on_commit_callbacks):
    worker = personas["worker_a"]
    with django_capture_on_commit_callbacks(execute=True):
        follow_ups = [
            make_follow_up(
                make_person(world, "Aline", "A"), worker, started_on=dt.date(2022, 5, 1)
            ),
            make_follow_up(
                make_person(world, "Bruno", "B", territory="tb"),
                worker,
                started_on=dt.date(2023, 2, 1),
                closed_on=dt.date(2024, 6, 30),
                outcome="kept",
            ),
        ]
        projects = [
            project("Cuisine", start=dt.date(2022, 1, 10), buildings=[world["building_a"]]),
            project("Jardin", start=dt.date(2023, 3, 1), buildings=[world["building_b"]]),
        ]
    engine.refresh_all(YEARS, GROUPS)
    return {"worker": worker, "follow_ups": follow_ups, "projects": projects}


def stored_equals_scratch():
    """Every stored value (every area, breakdown and item) of both groups and every period,
    after the reads bring them up to date, equals a computation from scratch."""
    for group_id in GROUPS:
        indicators = catalogue.of_group(group_id)
        for period in PERIODS:
            engine.ensure_fresh([period], [group_id], breakdowns=True)
            stored = {
                (ind, area, name, item): value
                for ind, area, name, item, value in IndicatorFact.objects.filter(
                    period=period.key, indicator__in=[i.id for i in indicators]
                ).values_list("indicator", "area", "breakdown", "item", "value")
            }
            scratch = engine.compute(indicators, period, breakdowns=True)
            assert stored == scratch, (group_id, period.key)


def test_it_makes_stale_only_the_years_of_the_record_and_the_indicators_reading_it(
    records, django_capture_on_commit_callbacks
):
    SourceChange.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        make_intervention(records["follow_ups"][0], records["worker"], dt.date(2023, 7, 10))
    marks = set(SourceChange.objects.values_list("group", "period", "source"))
    assert marks == {
        ("casework", "fy2023", "casework.Intervention"),
        ("casework", "cy2023", "casework.Intervention"),
    }
    stale = engine._stale_sources(PERIODS, GROUPS)
    assert stale == {
        ("casework", Period.fiscal(2023)): {"casework.Intervention"},
        ("casework", Period.calendar(2023)): {"casework.Intervention"},
    }
    group = catalogue.GROUPS["casework"]
    chosen = engine._reading("casework", catalogue.of_group("casework"), stale.popitem()[1])
    assert [i.id for i in chosen] == ["casework.interventions"]
    assert all("casework.Intervention" in group.reading(i) for i in chosen)
    stored_equals_scratch()


def test_it_makes_both_years_stale_when_a_record_moves(records, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        logged = activity(records["projects"][0], dt.date(2022, 6, 1), 10, 4)
    stored_equals_scratch()
    SourceChange.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        logged.date = dt.date(2024, 6, 1)
        logged.save()
    periods = set(
        SourceChange.objects.filter(source="projects.ProjectActivity").values_list(
            "period", flat=True
        )
    )
    assert periods == {"fy2022", "cy2022", "fy2024", "cy2024"}
    stored_equals_scratch()


def test_it_marks_every_period_for_a_model_without_dates(
    records, django_capture_on_commit_callbacks
):
    # A provider's kind or territory changes what every year of "collective" counts.
    SourceChange.objects.all().delete()
    building = records["projects"][0].buildings.first()
    with django_capture_on_commit_callbacks(execute=True):
        provider = building.provider
        provider.kind = "coop"
        provider.save()
    assert ("collective", "", "housing.HousingProvider") in set(
        SourceChange.objects.values_list("group", "period", "source")
    )


def test_every_dated_source_names_real_date_fields():
    catalogue.all_indicators()
    from django.apps import apps

    for group in catalogue.GROUPS.values():
        for label, fields in group.dates.items():
            model = apps.get_model(label)
            for lookup in fields:
                model._base_manager.values(lookup).query  # noqa: B018 - raises on a bad lookup
            assert len(fields) in (1, 2), label


DAYS = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2024, 12, 31))
WRITES = st.lists(
    st.one_of(
        st.tuples(st.just("intervention"), st.integers(0, 1), DAYS),
        st.tuples(st.just("activity"), st.integers(0, 1), DAYS, st.integers(0, 30)),
        st.tuples(st.just("move"), st.integers(0, 50), DAYS),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("close"), st.integers(0, 1), DAYS),
        st.tuples(st.just("project_end"), st.integers(0, 1), DAYS),
    ),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=WRITES)
def test_stored_values_equal_a_computation_from_scratch_after_any_writes(
    records, django_capture_on_commit_callbacks, writes
):
    worker, follow_ups, projects = records["worker"], records["follow_ups"], records["projects"]
    for write in writes:
        with django_capture_on_commit_callbacks(execute=True):
            kind = write[0]
            if kind == "intervention":
                make_intervention(
                    follow_ups[write[1]], worker, write[2], type=InterventionType.INFORMATION
                )
            elif kind == "activity":
                built = Project.objects.get(pk=projects[write[1]].pk)
                day = max(write[2], built.start_date)
                if built.end_date is None or day <= built.end_date:
                    activity(built, day, write[3], write[3] // 2)
            elif kind in ("move", "delete"):
                pool = list(Intervention.objects.order_by("pk")) + list(
                    ProjectActivity.objects.order_by("pk")
                )
                if not pool:
                    continue
                record = pool[write[1] % len(pool)]
                if kind == "delete":
                    record.delete()
                elif isinstance(record, Intervention):
                    record.occurred_on = write[2]
                    record.save()
                else:
                    record.date = write[2]
                    record.save()
            elif kind == "close":
                follow_up = follow_ups[write[1]]
                follow_up.refresh_from_db()
                follow_up.closed_on = max(write[2], follow_up.started_on)
                follow_up.status = "closed"
                follow_up.outcome = "kept"
                follow_up.save()
            else:
                built = Project.objects.get(pk=projects[write[1]].pk)
                built.end_date = max(write[2], built.start_date)
                built.save()
        # The dashboard's read between writes (totals only, stale pairs first).
        engine.values(catalogue.all_indicators(), PERIODS[:2], Area())
    stored_equals_scratch()


def test_it_reads_a_date_still_given_as_text():
    assert engine.periods_of("2026-01-05") == {"fy2025", "cy2026"}
    assert engine.periods_of("pas une date") is None  # then every period is marked
