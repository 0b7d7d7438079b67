"""Hand-written SQL computing the dashboard's numbers for one region and one period from the raw
tables (no summary table), for ``tremplin bench evaluation``: the bench times it beside the
dashboard's read and checks that both give the same numbers.

Each statement follows its indicator's counting rule (the docstring and code of
``evaluation/indicators/<group>.py``), written directly for one region: a record counts in the
region of its territory (``territories_territory.region_id``), a keyed record (a provider, a
project…) once. The same SQL runs on SQLite and PostgreSQL (standard joins, ``COUNT(DISTINCT)``,
``UNION``, ``COALESCE``; dates and datetimes passed as parameters in the backend's format).
Ratios (percentages, averages) are computed here in Python from their two counts, with the
dashboard's rounding and suppression rule (``ratio``).
"""

# The statements are assembled from constant fragments of this module; every value is a
# query parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone

from tremplin.evaluation.indicators.common import day_bounds
from tremplin.evaluation.periods import Period

# Stop → its territory (where people count).
STOP_PLACE = """
    JOIN territories_municipality sm ON sm.id = s.municipality_id
    JOIN territories_mrc smrc ON smrc.id = sm.mrc_id
    JOIN territories_territory st ON st.id = smrc.territory_id
"""
# Counted stops: of published or held events, beginning in the period.
COUNTED_STOP = """
    s.starts_at >= %(begin)s AND s.starts_at < %(before)s
    AND e.status IN ('published', 'held')
"""
PROVIDER_PLACE = """
    JOIN housing_housingprovider hp ON hp.id = {provider}
    JOIN territories_municipality pm ON pm.id = hp.municipality_id
    JOIN territories_mrc pmrc ON pmrc.id = pm.mrc_id
    JOIN territories_territory pt ON pt.id = pmrc.territory_id
"""

REACH_PROVIDERS = f"""
SELECT COUNT(*) FROM (
    SELECT l.housingprovider_id AS provider
    FROM events_stopattendance_providers l
    JOIN events_stopattendance sa ON sa.id = l.stopattendance_id
    JOIN events_eventstop s ON s.id = sa.stop_id
    JOIN events_event e ON e.id = s.event_id
    {PROVIDER_PLACE.format(provider="l.housingprovider_id")}
    WHERE {COUNTED_STOP} AND pt.region_id = %(region)s
    UNION
    SELECT r.provider_id
    FROM events_registration r
    JOIN events_eventstop s ON s.id = r.stop_id
    JOIN events_event e ON e.id = s.event_id
    {PROVIDER_PLACE.format(provider="r.provider_id")}
    WHERE {COUNTED_STOP} AND pt.region_id = %(region)s
      AND r.checked_in_at IS NOT NULL AND r.status <> 'cancelled'
) reached
"""


def _reach_people(counted: str, checked_filter: str) -> str:
    return f"""
SELECT
    (SELECT COALESCE(SUM({counted}), 0)
     FROM events_stopattendance sa
     JOIN events_eventstop s ON s.id = sa.stop_id
     JOIN events_event e ON e.id = s.event_id
     {STOP_PLACE}
     WHERE {COUNTED_STOP} AND st.region_id = %(region)s)
  + (SELECT COUNT(*)
     FROM events_registration r
     JOIN events_eventstop s ON s.id = r.stop_id
     JOIN events_event e ON e.id = s.event_id
     {STOP_PLACE}
     WHERE {COUNTED_STOP} AND st.region_id = %(region)s
       AND r.checked_in_at IS NOT NULL AND r.status <> 'cancelled' {checked_filter}
       AND NOT EXISTS (SELECT 1 FROM events_stopattendance x WHERE x.stop_id = s.id))
"""


REACH_PEOPLE = _reach_people("sa.tenants + sa.provider_staff + sa.partners + sa.others", "")
REACH_TENANTS = _reach_people("sa.tenants", "AND r.is_tenant")

# --- casework: everything in the follow-up's territory -----------------------------------------

IN_REGION = """
    JOIN territories_territory t ON t.id = {territory} AND t.region_id = %(region)s
"""
FOLLOW_UP_REGION = IN_REGION.format(territory="f.territory_id")

CASEWORK_PERSONS = f"""
SELECT COUNT(DISTINCT f.person_id) FROM casework_followup f {FOLLOW_UP_REGION}
WHERE f.started_on <= %(end)s AND (f.closed_on IS NULL OR f.closed_on >= %(start)s)
"""
CASEWORK_NEW = f"""
SELECT COUNT(*) FROM casework_followup f {FOLLOW_UP_REGION}
WHERE f.started_on >= %(start)s AND f.started_on <= %(end)s
"""
CASEWORK_INTERVENTIONS = f"""
SELECT COUNT(*) FROM casework_intervention i
JOIN casework_followup f ON f.id = i.follow_up_id {FOLLOW_UP_REGION}
WHERE i.occurred_on >= %(start)s AND i.occurred_on <= %(end)s
"""
CASEWORK_REFERRALS = f"""
SELECT COUNT(*) FROM casework_referral r
JOIN casework_followup f ON f.id = r.follow_up_id {FOLLOW_UP_REGION}
WHERE r.referred_on >= %(start)s AND r.referred_on <= %(end)s
"""
CASEWORK_CLOSED = f"""
SELECT COUNT(*) FROM casework_followup f {FOLLOW_UP_REGION}
WHERE f.status = 'closed' AND f.closed_on >= %(start)s AND f.closed_on <= %(end)s
"""
CASEWORK_CLOSED_STABLE = CASEWORK_CLOSED + " AND f.outcome IN ('kept', 'moved_better')"

# --- collective action -------------------------------------------------------------------------

# A project counts once in a region when one of its territories is there.
PROJECT_IN_REGION = """
    EXISTS (SELECT 1 FROM projects_project_territories ptl
            JOIN territories_territory ptt ON ptt.id = ptl.territory_id
            WHERE ptl.project_id = {project} AND ptt.region_id = %(region)s)
"""
RUNNING = "{p}.status IN ('under_way', 'completed')"
UNDER_WAY = (
    RUNNING
    + " AND {p}.start_date <= %(end)s AND ({p}.end_date IS NULL OR {p}.end_date >= %(start)s)"
)

PROVIDERS_ACCOMPANIED = f"""
SELECT COUNT(DISTINCT a.provider_id) FROM projects_accompaniment a
{PROVIDER_PLACE.format(provider="a.provider_id")}
WHERE pt.region_id = %(region)s
  AND a.start_date <= %(end)s AND (a.end_date IS NULL OR a.end_date >= %(start)s)
"""
PROJECTS_UNDER_WAY = f"""
SELECT COUNT(*) FROM projects_project p
WHERE {UNDER_WAY.format(p="p")} AND {PROJECT_IN_REGION.format(project="p.id")}
"""
PROJECTS_STARTED = f"""
SELECT COUNT(*) FROM projects_project p
WHERE {RUNNING.format(p="p")} AND p.start_date >= %(start)s AND p.start_date <= %(end)s
  AND {PROJECT_IN_REGION.format(project="p.id")}
"""
PROJECTS_COMPLETED = f"""
SELECT COUNT(*) FROM projects_project p
WHERE p.status = 'completed' AND p.end_date >= %(start)s AND p.end_date <= %(end)s
  AND {PROJECT_IN_REGION.format(project="p.id")}
"""


def _participations(column: str) -> str:
    return f"""
SELECT COALESCE(SUM(a.{column}), 0) FROM projects_projectactivity a
WHERE a.date >= %(start)s AND a.date <= %(end)s AND {PROJECT_IN_REGION.format(project="a.project_id")}
"""


ASSOCIATION_REGION = PROVIDER_PLACE.format(provider="ta.provider_id")
ASSOCIATIONS_ACTIVE = f"""
SELECT COUNT(*) FROM projects_tenantassociation ta {ASSOCIATION_REGION}
WHERE pt.region_id = %(region)s AND (
    EXISTS (SELECT 1 FROM projects_associationmeeting am
            WHERE am.association_id = ta.id AND am.date >= %(start)s AND am.date <= %(end)s)
    OR (ta.status = 'active' AND (ta.founded_on IS NULL OR ta.founded_on <= %(end)s)))
"""
ASSOCIATIONS_FOUNDED = f"""
SELECT COUNT(*) FROM projects_tenantassociation ta {ASSOCIATION_REGION}
WHERE pt.region_id = %(region)s AND ta.founded_on >= %(start)s AND ta.founded_on <= %(end)s
"""

# --- concertation --------------------------------------------------------------------------------

# Where a committee counts: an ÉLÉ in the territories of its local team's municipalities (a
# team with none there: its region); another committee in the territories it lists.
TEAM_PLACES = """
    territories_localteam_municipalities ltm
    JOIN territories_municipality ltmu ON ltmu.id = ltm.municipality_id
    JOIN territories_mrc ltmrc ON ltmrc.id = ltmu.mrc_id
"""
COMMITTEE_IN_REGION = f"""
    EXISTS (SELECT 1 FROM concertation_committee c WHERE c.id = {{committee}} AND (
        (c.kind = 'local_team' AND c.local_team_id IS NOT NULL AND (
            EXISTS (SELECT 1 FROM {TEAM_PLACES}
                    JOIN territories_territory ltt ON ltt.id = ltmrc.territory_id
                    WHERE ltm.localteam_id = c.local_team_id AND ltt.region_id = %(region)s)
            OR (NOT EXISTS (SELECT 1 FROM {TEAM_PLACES}
                            WHERE ltm.localteam_id = c.local_team_id
                              AND ltmrc.territory_id IS NOT NULL)
                AND EXISTS (SELECT 1 FROM territories_localteam lt
                            WHERE lt.id = c.local_team_id AND lt.region_id = %(region)s))))
        OR (c.kind <> 'local_team' AND EXISTS (
            SELECT 1 FROM concertation_committee_territories ct
            JOIN territories_territory ctt ON ctt.id = ct.territory_id
            WHERE ct.committee_id = c.id AND ctt.region_id = %(region)s))))
"""
# Held: dated in the period, not after today, not cancelled, with attendance or minutes
# recorded.
HELD = """
    {m}.date >= %(start)s AND {m}.date <= %(last_held)s AND {m}.cancelled_at IS NULL
    AND (EXISTS (SELECT 1 FROM concertation_attendance ha WHERE ha.meeting_id = {m}.id)
         OR {m}.minutes <> '')
"""
MEETINGS = f"""
SELECT COUNT(*) FROM concertation_meeting m
WHERE {HELD.format(m="m")} AND {COMMITTEE_IN_REGION.format(committee="m.committee_id")}
"""


def _attendance(status_filter: str) -> str:
    return f"""
SELECT COUNT(*) FROM concertation_attendance at
JOIN concertation_meeting m ON m.id = at.meeting_id
WHERE {HELD.format(m="m")} AND {COMMITTEE_IN_REGION.format(committee="m.committee_id")}
  {status_filter}
"""


ACTIONS_DONE = f"""
SELECT COUNT(*) FROM concertation_actionitem ai
JOIN concertation_meeting m ON m.id = ai.meeting_id
WHERE ai.status = 'done' AND ai.closed_on >= %(start)s AND ai.closed_on <= %(end)s
  AND {COMMITTEE_IN_REGION.format(committee="m.committee_id")}
"""

# --- mobilization --------------------------------------------------------------------------------

CAMPAIGN_RUN = "{c}.opens_on <= %(end)s AND {c}.closes_on >= %(start)s"
SITE_REGION = IN_REGION.format(territory="cs.territory_id")
CAMPAIGNS = f"""
SELECT COUNT(*) FROM surveys_campaign c
WHERE {CAMPAIGN_RUN.format(c="c")} AND EXISTS (
    SELECT 1 FROM surveys_campaignsite cs {SITE_REGION} WHERE cs.campaign_id = c.id)
"""
SITES = f"""
SELECT COUNT(*) FROM surveys_campaignsite cs {SITE_REGION}
JOIN surveys_campaign c ON c.id = cs.campaign_id
WHERE {CAMPAIGN_RUN.format(c="c")}
"""
RESPONSES = f"""
SELECT COUNT(*) FROM surveys_response r
JOIN surveys_campaignsite cs ON cs.id = r.site_id {SITE_REGION}
WHERE r.submitted_on >= %(start)s AND r.submitted_on <= %(end)s
"""
GOAL = f"""
SELECT COALESCE(SUM(cs.goal), 0) FROM surveys_campaignsite cs {SITE_REGION}
JOIN surveys_campaign c ON c.id = cs.campaign_id
WHERE {CAMPAIGN_RUN.format(c="c")} AND cs.goal > 0
"""
GOAL_RESPONSES = f"""
SELECT COUNT(*) FROM surveys_response r
JOIN surveys_campaignsite cs ON cs.id = r.site_id {SITE_REGION}
JOIN surveys_campaign c ON c.id = cs.campaign_id
WHERE {CAMPAIGN_RUN.format(c="c")} AND cs.goal > 0 AND r.submitted_on <= %(end)s
"""

# --- funding ---------------------------------------------------------------------------------------

# Committed, topped up and spent count for the whole program only (no territory).
COMMITTED = """
SELECT COALESCE(SUM(cm.initial_amount), 0) FROM partners_commitment cm
JOIN partners_agreement ag ON ag.id = cm.agreement_id
WHERE ag.status <> 'draft'
  AND ag.start_date <= %(end)s AND (ag.end_date IS NULL OR ag.end_date >= %(start)s)
"""
TOPPED_UP = """
SELECT COALESCE(SUM(tu.amount), 0) FROM partners_topup tu
JOIN partners_commitment cm ON cm.id = tu.commitment_id
JOIN partners_agreement ag ON ag.id = cm.agreement_id
WHERE ag.status <> 'draft'
  AND tu.fiscal_year >= %(first_fiscal)s AND tu.fiscal_year <= %(last_fiscal)s
"""
SPENT = """
SELECT COALESCE(SUM(d.amount), 0) FROM partners_disbursement d
WHERE d.date >= %(start)s AND d.date <= %(end)s
"""
ALLOCATIONS = f"""
FROM projects_projectfunding pf JOIN projects_project p ON p.id = pf.project_id
WHERE {UNDER_WAY.format(p="p")} AND {PROJECT_IN_REGION.format(project="p.id")}
"""
ALLOCATED = f"SELECT COALESCE(SUM(pf.amount), 0) {ALLOCATIONS}"
FUNDED_PROJECTS = f"SELECT COUNT(DISTINCT pf.project_id) {ALLOCATIONS}"

# indicator id → SQL returning one number for the region (parameters: see ``parameters``).
STATEMENTS: dict[str, str] = {
    "reach.providers": REACH_PROVIDERS,
    "reach.people": REACH_PEOPLE,
    "reach.tenants": REACH_TENANTS,
    "collective.providers_accompanied": PROVIDERS_ACCOMPANIED,
    "collective.projects_under_way": PROJECTS_UNDER_WAY,
    "collective.projects_started": PROJECTS_STARTED,
    "collective.projects_completed": PROJECTS_COMPLETED,
    "collective.participations": _participations("participants"),
    "collective.tenant_participations": _participations("tenants"),
    "collective.associations_active": ASSOCIATIONS_ACTIVE,
    "collective.associations_founded": ASSOCIATIONS_FOUNDED,
    "casework.persons": CASEWORK_PERSONS,
    "casework.new_follow_ups": CASEWORK_NEW,
    "casework.interventions": CASEWORK_INTERVENTIONS,
    "casework.referrals": CASEWORK_REFERRALS,
    "casework.closed": CASEWORK_CLOSED,
    "casework.closed_stable": CASEWORK_CLOSED_STABLE,
    "concertation.meetings": MEETINGS,
    "concertation.attendance_present": _attendance("AND at.status = 'present'"),
    "concertation.attendance_expected": _attendance(""),
    "concertation.actions_done": ACTIONS_DONE,
    "mobilization.campaigns": CAMPAIGNS,
    "mobilization.sites": SITES,
    "mobilization.responses": RESPONSES,
    "mobilization.goal": GOAL,
    "mobilization.goal_responses": GOAL_RESPONSES,
    "funding.allocated": ALLOCATED,
    "funding.funded_projects": FUNDED_PROJECTS,
}
# The same for the whole program: indicators without territory (``territorial=False``).
PROGRAM_STATEMENTS: dict[str, str] = {
    "funding.committed": COMMITTED,
    "funding.topped_up": TOPPED_UP,
    "funding.spent": SPENT,
}
MONEY_PLACES = Decimal("0.01")


def parameters(region_id: int, period: Period) -> dict:
    ops = connection.ops
    begin, before = day_bounds(period)
    # Fiscal years whose first day (April 1) falls in the period.
    first_fiscal = period.start.year + (period.start > dt.date(period.start.year, 4, 1))
    last_fiscal = period.end.year - (period.end < dt.date(period.end.year, 4, 1))
    return {
        "region": region_id,
        "begin": ops.adapt_datetimefield_value(begin),
        "before": ops.adapt_datetimefield_value(before),
        "start": ops.adapt_datefield_value(period.start),
        "end": ops.adapt_datefield_value(period.end),
        "last_held": ops.adapt_datefield_value(min(period.end, timezone.localdate())),
        "first_fiscal": first_fiscal,
        "last_fiscal": last_fiscal,
    }


def region_values(region_id: int, period: Period) -> dict[str, Decimal | None]:
    """{indicator id: value} for the indicators covered here, computed from the raw tables:
    for region ``region_id``, or for the whole program when the indicator has no territory
    (``PROGRAM_STATEMENTS``)."""
    from tremplin.evaluation import catalogue
    from tremplin.evaluation.catalogue import MONEY

    indicators = {i.id: i for i in catalogue.all_indicators()}
    params = parameters(region_id, period)
    values: dict[str, Decimal | None] = {}
    with connection.cursor() as cursor:
        for indicator_id, sql in (*STATEMENTS.items(), *PROGRAM_STATEMENTS.items()):
            if indicator_id not in indicators:
                continue
            cursor.execute(sql, params)
            value = Decimal(str(cursor.fetchone()[0] or 0))
            if indicators[indicator_id].unit == MONEY:
                # SQLite sums decimals as floating point: back to cents.
                value = value.quantize(MONEY_PLACES)
            values[indicator_id] = value
    for indicator in indicators.values():
        if indicator.ratio_of and {*indicator.ratio_of[:2]} <= set(values):
            numerator, denominator, scale = indicator.ratio_of
            values[indicator.id] = ratio(
                values[numerator], values[denominator], scale, indicator.unit,
                indicator.suppress_below,
            )  # fmt: skip
    return values


def ratio(numerator, denominator, scale, unit, suppress_below=0) -> Decimal | None:
    """The dashboard's rule for a percentage or an average: none without a denominator, none
    either when a small count would show through (numerator, denominator or their difference
    from 1 to ``suppress_below`` - 1, for indicators that suppress small counts); rounded half
    up to 0.1 (0.01 for money)."""
    from tremplin.evaluation.catalogue import MONEY

    if not denominator:
        return None
    if suppress_below and any(
        0 < n < suppress_below for n in (numerator, denominator, denominator - numerator)
    ):
        return None
    places = Decimal("0.01") if unit == MONEY else Decimal("0.1")
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(
        places, rounding=ROUND_HALF_UP
    )


def compare(sql: dict, region_id: int, period: Period) -> dict:
    """The indicators whose SQL value differs from the dashboard's (the summary table, as
    ``engine.values`` reads it): {id: {"dashboard": …, "sql": …}}."""
    from tremplin.evaluation import catalogue, engine
    from tremplin.evaluation.periods import Area

    indicators = [i for i in catalogue.all_indicators() if i.id in sql]
    region = engine.values(indicators, [period], Area("region", region_id))
    program = engine.values(indicators, [period], Area())
    mismatches = {}
    for indicator_id, value in sql.items():
        source = program if indicator_id in PROGRAM_STATEMENTS else region
        expected = source[(indicator_id, period.key)]
        same = (
            expected is None and value is None
            if expected is None or value is None
            else Decimal(expected) == Decimal(value)
        )
        if not same:
            mismatches[indicator_id] = {"dashboard": _plain(expected), "sql": _plain(value)}
    return mismatches


def _plain(value):
    """A JSON-friendly number."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)
