"""The full refresh as set-based SQL (#19): one ``INSERT … SELECT … GROUP BY`` per indicator and
breakdown, over every period at once, instead of a Python loop over the periods and the rows.

An indicator that can be written this way gives ``Indicator.facts(breakdown)``: one or more
``Facts`` (catalogue.py), each a queryset of the records it counts *without* the period filter,
and which of their fields are the date (or span), the territory, the item, the key and the
weight. From them the database matches each record with the periods it counts in (a dated
record: its fiscal and calendar years, computed from its date; a span: every period it
overlaps), spreads it over the whole program, its region and its territory, counts a keyed
record once per area and item (``DISTINCT``), and sums: the same reduction as
``engine.reduce_rows``, for every period and area in one statement. Indicators or breakdowns
without ``facts`` (rules with an "or" between two periods' conditions, lists inside a JSON
column, committees placed by Python) are computed as before, period by period. Ratios are
then worked out from their two stored components.

Each group is written in one transaction (its old values deleted, the new ones inserted, its
batches marked), so a refresh stopped midway leaves every group whole. ``test_setbased.py``
checks that the stored values equal ``engine.compute`` for every group, period, area and item.
"""

# The statements are assembled from constant fragments and the ORM's own SQL; every value is a
# query parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils import timezone

from tremplin.core import locks

from . import catalogue
from .catalogue import Facts, Indicator
from .models import FactBatch, IndicatorFact
from .periods import ALL, CALENDAR, FISCAL, Period

TOTAL = ""
FACT_TABLE = IndicatorFact._meta.db_table


def _null_int():
    return Cast(Value(None), IntegerField())


def _field(path: str | None):
    return F(path) if path else _null_int()


def _base(facts: Facts, breakdown: str | None):
    """The ORM's SELECT of the records: their date (or span), territory, region, item, key and
    weight, under names the outer statement reads."""
    weight = facts.weight if facts.weight is not None else Value(1)
    if isinstance(weight, str):
        weight = F(weight)
    columns = {
        "ev_t": _field(facts.territory),
        "ev_r": _field(facts.region),
        "ev_item": F(facts.item) if breakdown else Value(""),
        "ev_key": _field(facts.key),
    }
    if facts.until:
        columns |= {"ev_start": F(facts.on), "ev_until": F(facts.until)}
        if facts.by_end:
            columns["ev_end"] = F(facts.by_end)
    else:
        # A record dated in January–March belongs to the fiscal year begun the April before.
        columns |= {
            "ev_cy": ExtractYear(facts.on),
            "ev_fy": ExtractYear(facts.on)
            - Case(When(Q(**{f"{facts.on}__month__lt": 4}), then=Value(1)), default=Value(0)),
        }
    records = facts.queryset.order_by()
    if facts.key is None:  # summed as early as possible: by territory, item and date (or span)
        weight = Coalesce(Sum(weight), Value(0), output_field=IntegerField())
        return records.values(**columns).annotate(ev_w=weight).query.sql_with_params()
    weight = Coalesce(weight, Value(0), output_field=IntegerField())
    return records.values(**columns, ev_w=weight).query.sql_with_params()


def _periods_sql(periods: list[Period]) -> tuple[str, list]:
    adapt = connection.ops.adapt_datefield_value
    rows = " UNION ALL ".join("SELECT %s AS pkey, %s AS pstart, %s AS pend" for _ in periods)
    params = [v for p in periods for v in (p.key, adapt(p.start), adapt(p.end))]
    return rows, params


def _part(facts: Facts, breakdown: str | None, periods: list[Period]) -> tuple[str, list]:
    """One Facts' records with the key of each period they count in."""
    sql, params = _base(facts, breakdown)
    columns = "b.ev_t, b.ev_r, b.ev_item, b.ev_key, b.ev_w"
    if facts.until:
        rows, period_params = _periods_sql(periods)
        on = "b.ev_start <= p.pend AND (b.ev_until IS NULL OR b.ev_until >= p.pstart)"
        if facts.by_end:
            on += " AND b.ev_end <= p.pend"
        return (
            f"SELECT p.pkey AS period, {columns} FROM ({sql}) b JOIN ({rows}) p ON {on}",
            [*params, *period_params],
        )
    period = (
        f"CASE k.kind WHEN '{FISCAL}' THEN '{FISCAL}' || CAST(b.ev_fy AS VARCHAR(8)) "
        f"ELSE '{CALENDAR}' || CAST(b.ev_cy AS VARCHAR(8)) END"
    )
    kinds = f"(SELECT '{FISCAL}' AS kind UNION ALL SELECT '{CALENDAR}') k"
    return f"SELECT {period} AS period, {columns} FROM ({sql}) b CROSS JOIN {kinds}", params


def _item_sql(facts: Facts, breakdown: str | None) -> str:
    if not breakdown:
        return "''"
    if not facts.uuid_item:
        return "SUBSTR(r.ev_item, 1, 80)"
    if connection.vendor == "postgresql":
        return "CAST(r.ev_item AS VARCHAR(80))"
    # SQLite keeps a UUID as 32 hex digits; Python's str() gives it with hyphens.
    pieces = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    return " || '-' || ".join(f"SUBSTR(r.ev_item, {a}, {n})" for a, n in pieces)


def insert(indicator: Indicator, breakdown: str, parts: list[Facts], periods: list[Period]) -> int:
    """INSERT … SELECT … GROUP BY the values of one indicator and breakdown for these periods."""
    selects, params = [], []
    for facts in parts:
        sql, part_params = _part(facts, breakdown or None, periods)
        selects.append(sql)
        params += part_params
    region = "COALESCE(r.ev_r, t.region_id)"
    if indicator.territorial:
        levels = "(SELECT 0 AS lvl UNION ALL SELECT 1 UNION ALL SELECT 2) l"
        area = (
            f"CASE l.lvl WHEN 0 THEN %s WHEN 1 THEN 'region:' || CAST({region} AS VARCHAR(12)) "
            "ELSE 'territory:' || CAST(r.ev_t AS VARCHAR(12)) END"
        )
        level = (
            f"(l.lvl = 0 OR (l.lvl = 1 AND {region} IS NOT NULL) "
            "OR (l.lvl = 2 AND r.ev_t IS NOT NULL))"
        )
    else:
        levels, area, level = "(SELECT 0 AS lvl) l", "%s", "l.lvl = 0"
    keyed = parts[0].key is not None
    keys = [p.key for p in periods]
    statement = f"""
        INSERT INTO {FACT_TABLE} (indicator, period, area, breakdown, item, value)
        SELECT %s, f.period, f.area, %s, f.item, SUM(f.w) FROM (
            SELECT {"DISTINCT" if keyed else ""} r.period, {area} AS area,
                   {_item_sql(parts[0], breakdown)} AS item, r.ev_key AS k, r.ev_w AS w
            FROM ({" UNION ALL ".join(selects)}) r
            LEFT JOIN territories_territory t ON t.id = r.ev_t
            CROSS JOIN {levels}
            WHERE r.period IN ({", ".join(["%s"] * len(keys))}) AND {level}
              {"AND r.ev_item IS NOT NULL" if breakdown else ""}
        ) f
        GROUP BY f.period, f.area, f.item
    """
    with connection.cursor() as cursor:
        cursor.execute(statement, [indicator.id, breakdown, ALL, *params, *keys])
        return cursor.rowcount


def _python_facts(indicator: Indicator, breakdown: str, periods, regions) -> list[IndicatorFact]:
    from .engine import cells

    return [
        IndicatorFact(indicator=ind, period=period.key, area=a, breakdown=b, item=i[:80], value=v)
        for period in periods
        for (ind, a, b, i), v in cells(indicator, breakdown, period, regions).items()
    ]


def _ratio_facts(indicators: list[Indicator], keys: list[str]) -> list[IndicatorFact]:
    """The ratios of a group, from their components just stored (engine.ratios' rule)."""
    from .engine import ratios

    ratio_ids = [i for i in indicators if i.ratio_of]
    if not ratio_ids:
        return []
    components = {c for i in ratio_ids for c in i.ratio_of[:2]}
    by_period = defaultdict(dict)
    for ind, period, area, name, item, value in IndicatorFact.objects.filter(
        period__in=keys, indicator__in=components
    ).values_list("indicator", "period", "area", "breakdown", "item", "value"):
        by_period[period][(ind, area, name, item)] = value
    return [
        IndicatorFact(indicator=ind, period=period, area=a, breakdown=b, item=i, value=v)
        for period, values in by_period.items()
        for (ind, a, b, i), v in ratios(ratio_ids, values).items()
    ]


def _insert_group(indicators: list[Indicator], periods: list[Period], regions) -> int:
    """Every value of a group's indicators for these periods (inside its transaction)."""
    written, facts = 0, []
    for indicator in indicators:
        if indicator.rows is None:
            continue
        for name in [TOTAL, *(b.name for b in indicator.breakdowns)]:
            parts = indicator.facts(name or None) if indicator.facts else None
            if parts:
                written += insert(indicator, name, parts, periods)
            else:
                facts += _python_facts(indicator, name, periods, regions)
    IndicatorFact.objects.bulk_create(facts, batch_size=2000)
    ratio_facts = _ratio_facts(indicators, [p.key for p in periods])
    IndicatorFact.objects.bulk_create(ratio_facts, batch_size=2000)
    return written + len(facts) + len(ratio_facts)


def refresh_all(periods: list[Period], groups: Iterable[str] | None = None) -> int:
    """Recompute and store every value of these groups (all by default) for these periods."""
    from .engine import territory_regions

    regions = territory_regions()
    keys = [p.key for p in periods]
    written = 0
    for group_id in groups or catalogue.GROUP_ORDER:
        indicators = catalogue.of_group(group_id)
        started = timezone.now()
        with transaction.atomic():
            locks.hold_for_transaction(f"evaluation.refresh:{group_id}")
            IndicatorFact.objects.filter(
                period__in=keys, indicator__in=[i.id for i in indicators]
            ).delete()
            written += _insert_group(indicators, periods, regions)
            FactBatch.objects.filter(group=group_id, period__in=keys).delete()
            FactBatch.objects.bulk_create(
                FactBatch(group=group_id, period=k, computed_at=started, breakdowns=True)
                for k in keys
            )
    return written
