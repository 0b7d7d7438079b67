"""From rows to values for every area, the summary table, and keeping it fresh.

``compute`` is the from-scratch computation. ``refresh`` stores its result for a period
(``IndicatorFact``) and when it was computed (``FactBatch``). A write to a record that a group
counts sets ``SourceChange.changed_at`` after commit (``signals.py``) for that group, the
periods the record's dates fall in (old and new; every period when the model has no dates in
``Group.dates``) and the record's model. Reads (``values`` and friends) first recompute the
stale (group, period) pairs they need, and of those only the indicators that read a model
written since (``Indicator.reads``): one intervention recomputes the interventions of its
year, not the group's five years. So what the dashboard shows always equals a from-scratch
computation, and reading stays a constant number of queries whatever the size of the data
once fresh. ``tremplin indicators refresh`` (a timer) keeps them fresh ahead of reads.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from tremplin.core import locks
from tremplin.territories.models import Territory

from . import catalogue
from .catalogue import MONEY, Indicator, Row
from .models import FactBatch, IndicatorFact, SourceChange
from .periods import ALL, CALENDAR, CUSTOM, FISCAL, Area, Period

# The program began with the 2008–2011 agreement; nothing is counted before.
FIRST_YEAR = 2007
TOTAL = ""  # the breakdown name (and item) of an indicator's overall value
WHOLE = Area()
Key = tuple[str, str, str, str]  # (indicator id, area key, breakdown, item)


def territory_regions() -> dict[int, int]:
    return dict(Territory.objects.values_list("id", "region_id"))


def reduce_rows(rows: Iterable[Row], regions: dict[int, int]) -> dict[tuple[str, str], Decimal]:
    """Values by (area key, item) from an indicator's rows (see catalogue.py)."""
    seen: dict[tuple[str, str], dict] = defaultdict(dict)
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for territory_id, region_id, item, key, weight in rows:
        if region_id is None and territory_id is not None:
            region_id = regions.get(territory_id)
        areas = [ALL]
        if region_id is not None:
            areas.append(f"region:{region_id}")
        if territory_id is not None:
            areas.append(f"territory:{territory_id}")
        weight = Decimal(weight or 0)
        for area in areas:
            cell = (area, item)
            if key is None:
                sums[cell] += weight
            elif key not in seen[cell]:
                seen[cell][key] = weight
                sums[cell] += weight
    return dict(sums)


def _ratio(numerator, denominator, scale: int, unit: str) -> Decimal | None:
    if not denominator:
        return None
    places = Decimal("0.01") if unit == MONEY else Decimal("0.1")
    return (Decimal(numerator or 0) * scale / Decimal(denominator)).quantize(
        places, rounding=ROUND_HALF_UP
    )


def cells(indicator: Indicator, name: str, period: Period, regions: dict[int, int]) -> dict:
    """{(indicator, area, breakdown, item): value} of one indicator and breakdown (TOTAL: its
    overall value), from its rows, for every area at once."""
    values = {}
    for (area, item), value in reduce_rows(indicator.rows(period, name or None), regions).items():
        if indicator.territorial or area == ALL:
            values[(indicator.id, area, name, item if name else TOTAL)] = value
    return values


def ratios(indicators: list[Indicator], values: dict) -> dict:
    """The values of these ratio indicators, from their components' values in ``values``
    ({(indicator, area, breakdown, item): value}, one period)."""
    result = {}
    for indicator in indicators:
        num_id, den_id, scale = indicator.ratio_of
        found = {(a, b, i) for (ind, a, b, i) in values if ind in (num_id, den_id)}
        for area, name, item in found:
            numerator = values.get((num_id, area, name, item))
            denominator = values.get((den_id, area, name, item))
            if _reveals_small_count(indicator, numerator, denominator):
                result[(indicator.id, area, name, item)] = None
            else:
                result[(indicator.id, area, name, item)] = _ratio(
                    numerator, denominator, scale, indicator.unit
                )
    return result


def compute(indicators: list[Indicator], period: Period, *, breakdowns: bool = True) -> dict:
    """From scratch: {(indicator, area, breakdown, item): value} for every area at once."""
    regions = territory_regions()
    values: dict[Key, Decimal | None] = {}
    for indicator in indicators:
        if indicator.rows is None:
            continue
        for name in [TOTAL] + ([b.name for b in indicator.breakdowns] if breakdowns else []):
            values |= cells(indicator, name, period, regions)
    chosen = [i for i in indicators if i.ratio_of is not None]
    for indicator in chosen:
        if not {*indicator.ratio_of[:2]} <= {i.id for i in indicators}:
            num_id, den_id, _scale = indicator.ratio_of
            raise ValueError(f"{indicator.id}: compute {num_id} and {den_id} with it")
    values |= ratios(chosen, values)
    return values


def _reveals_small_count(indicator: Indicator, numerator, denominator) -> bool:
    """A suppressed indicator's ratio is not given when its numerator, its denominator or
    their difference is a small count (1 of 10 closings, or 9 of 10, names one person)."""
    if not indicator.suppress_below:
        return False
    numerator, denominator = numerator or 0, denominator or 0
    return any(
        0 < n < indicator.suppress_below for n in (numerator, denominator, denominator - numerator)
    )


def compute_one(indicator: Indicator, period: Period, area: Area = WHOLE, breakdown: str = TOTAL):
    """From scratch, one indicator for one area: the total, or {item: value} for a breakdown.
    Zero when nothing counts (None for a ratio without denominator)."""
    needed = [indicator]
    if indicator.ratio_of:
        needed = [
            catalogue.get(indicator.ratio_of[0]),
            catalogue.get(indicator.ratio_of[1]),
            indicator,
        ]
    values = compute(needed, period, breakdowns=bool(breakdown))
    found = {
        item: value
        for (ind, a, name, item), value in values.items()
        if ind == indicator.id and a == area.key and name == breakdown
    }
    if breakdown:
        return found
    default = None if indicator.ratio_of else Decimal(0)
    return found.get(TOTAL, default)


# --- the summary table ------------------------------------------------------------------


def refresh(
    period: Period,
    groups: Iterable[str] | None = None,
    *,
    breakdowns: bool = True,
    sources: set[str] | None = None,
) -> int:
    """Recompute and store the values of these groups (all by default) for a period; with
    ``breakdowns=False`` only the totals (what the dashboard's tiles read, several times
    faster), the breakdowns being computed when a page first asks for them. With ``sources``
    (models written since the group's values were stored), only the indicators reading one
    of them are recomputed, as completely as the stored batch was (its other values stand)."""
    if period.kind == CUSTOM:
        raise ValueError("only fiscal and calendar years are stored")
    group_ids = list(groups or catalogue.GROUP_ORDER)
    written = 0
    for group_id in group_ids:
        indicators = catalogue.of_group(group_id)
        started = timezone.now()
        if sources is not None:
            batch = FactBatch.objects.filter(group=group_id, period=period.key).first()
            if batch is not None:
                indicators = _reading(group_id, indicators, sources)
                breakdowns = batch.breakdowns
        values = compute(indicators, period, breakdowns=breakdowns) if indicators else {}
        facts = [
            IndicatorFact(
                indicator=ind,
                period=period.key,
                area=area,
                breakdown=name,
                item=item[:80],
                value=value,
            )
            for (ind, area, name, item), value in values.items()
        ]
        with transaction.atomic():
            locks.hold_for_transaction(f"evaluation.refresh:{group_id}")
            if _computed_since(group_id, period, started):
                continue  # another process stored values computed after these began
            if indicators:
                IndicatorFact.objects.filter(
                    period=period.key, indicator__in=[i.id for i in indicators]
                ).delete()
                IndicatorFact.objects.bulk_create(facts, batch_size=2000)
            FactBatch.objects.update_or_create(
                group=group_id,
                period=period.key,
                defaults={"computed_at": started, "breakdowns": breakdowns},
            )
        written += len(facts)
    return written


def _computed_since(group_id: str, period: Period, started) -> bool:
    """Whether this group's values for the period were stored by a computation that began
    after ``started`` (two requests finding the same group stale: the later one's stand)."""
    return FactBatch.objects.filter(
        group=group_id, period=period.key, computed_at__gt=started
    ).exists()


def _reading(group_id: str, indicators: list[Indicator], sources: set[str]) -> list[Indicator]:
    """The indicators of a group that read one of these models, with the ratios over them
    and the other side of those ratios (a ratio is computed with both its components)."""
    group = catalogue.GROUPS[group_id]
    chosen = {i.id for i in indicators if i.rows is not None and set(group.reading(i)) & sources}
    for indicator in indicators:
        if indicator.ratio_of and chosen & set(indicator.ratio_of[:2]):
            chosen |= {indicator.id, *indicator.ratio_of[:2]}
    return [i for i in indicators if i.id in chosen]


def data_years() -> range:
    """Fiscal/calendar years worth storing: from the program's first year to next year."""
    from .periods import current_fiscal_year

    return range(FIRST_YEAR, current_fiscal_year() + 2)


def refresh_all(years: Iterable[int] | None = None, groups: Iterable[str] | None = None) -> int:
    """Recompute every fiscal and calendar year (a timer runs this; the demo loader too), as
    set-based SQL where the indicators allow it (``setbased.py``)."""
    from . import setbased

    periods = [Period.of(kind, y) for y in (years or data_years()) for kind in (FISCAL, CALENDAR)]
    return setbased.refresh_all(periods, list(groups) if groups else None)


def refresh_stale(years: Iterable[int] | None = None) -> int:
    """Recompute only the (group, period) pairs changed since they were stored."""
    periods = [Period.of(k, y) for y in (years or data_years()) for k in (FISCAL, CALENDAR)]
    return ensure_fresh(periods, catalogue.GROUP_ORDER, breakdowns=True)


def stale(
    periods: Iterable[Period], groups: Iterable[str], *, breakdowns: bool = False
) -> list[tuple[str, Period]]:
    """(group, period) pairs whose stored values are missing or older than a change (or
    hold only totals when ``breakdowns`` are wanted)."""
    return list(_stale_sources(periods, groups, breakdowns=breakdowns))


def _stale_sources(
    periods: Iterable[Period], groups: Iterable[str], *, breakdowns: bool = False
) -> dict[tuple[str, Period], set[str] | None]:
    """{(group, period): the models written since its values were stored, or None when the
    whole group must be computed (nothing stored, totals only, or a change of any model)}."""
    periods = [p for p in periods if p.kind != CUSTOM]
    groups = list(groups)
    keys = [p.key for p in periods]
    changes = defaultdict(list)  # (group, period key or "") -> [(source, changed_at)]
    for group_id, period_key, source, at in SourceChange.objects.filter(
        group__in=groups, period__in=[*keys, ""]
    ).values_list("group", "period", "source", "changed_at"):
        changes[(group_id, period_key)].append((source, at))
    batches = {
        (g, p): (at, complete)
        for g, p, at, complete in FactBatch.objects.filter(
            group__in=groups, period__in=keys
        ).values_list("group", "period", "computed_at", "breakdowns")
    }
    result = {}
    for group_id in groups:
        for period in periods:
            at, complete = batches.get((group_id, period.key), (None, False))
            if at is None or (breakdowns and not complete):
                result[(group_id, period)] = None
                continue
            written = {
                source
                for key in ((group_id, period.key), (group_id, ""))
                for source, changed_at in changes.get(key, ())
                if changed_at >= at
            }
            if written:
                result[(group_id, period)] = None if "" in written else written
    return result


def ensure_fresh(
    periods: Iterable[Period], groups: Iterable[str], *, breakdowns: bool = False
) -> int:
    """Recompute what is stale among these (totals only unless ``breakdowns``); returns how
    many (group, period) pairs were."""
    pairs = _stale_sources(periods, groups, breakdowns=breakdowns)
    for (group_id, period), sources in pairs.items():
        refresh(period, [group_id], breakdowns=breakdowns, sources=sources)
    return len(pairs)


def forget() -> int:
    """Drop every stored value (after writes that sent no change signal); reads recompute."""
    FactBatch.objects.all().delete()
    return IndicatorFact.objects.all().delete()[0]


def mark_changed(group_id: str, periods: Iterable[str] | None = None, source: str = "") -> None:
    """Called after commit when a record that the group counts was written: for these period
    keys (every period by default) and this model ("app.Model"; any by default)."""
    now = timezone.now()
    keys = sorted(set(periods)) if periods is not None else [""]
    if not keys:
        return
    found = SourceChange.objects.filter(group=group_id, source=source, period__in=keys)
    if found.update(changed_at=now) < len(keys):
        for key in keys:
            SourceChange.objects.update_or_create(
                group=group_id, period=key, source=source, defaults={"changed_at": now}
            )


def periods_of(start, end=None, *, span: bool = False) -> set[str] | None:
    """The keys of the fiscal and calendar years a record dated ``start`` counts in (with
    ``span``: every year from ``start`` to ``end``, an empty end running to the last stored
    year); None when the date is unknown (then every period)."""
    import datetime as dt

    def day(value):
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, str):  # a record saved with its date still as text
            try:
                return dt.datetime.fromisoformat(value).date()
            except ValueError:
                return None
        return value if isinstance(value, dt.date) else None

    start, end = day(start), day(end)
    if start is None:
        return None
    if not span:
        end = start
    elif end is None or end < start:
        end = dt.date(data_years()[-1], 12, 31) if end is None else start
    keys = set()
    first_fiscal = start.year if start.month >= 4 else start.year - 1
    last_fiscal = end.year if end.month >= 4 else end.year - 1
    keys |= {Period.of(FISCAL, y).key for y in range(first_fiscal, last_fiscal + 1)}
    keys |= {Period.of(CALENDAR, y).key for y in range(start.year, end.year + 1)}
    return keys


# --- reading ----------------------------------------------------------------------------


def _groups(indicators: list[Indicator]) -> list[str]:
    return sorted({i.group for i in indicators})


def _with_components(indicators: list[Indicator]) -> list[Indicator]:
    needed = {i.id: i for i in indicators}
    for indicator in indicators:
        if indicator.ratio_of:
            for other in indicator.ratio_of[:2]:
                needed.setdefault(other, catalogue.get(other))
    return list(needed.values())


def values(indicators: list[Indicator], periods: list[Period], area: Area) -> dict:
    """{(indicator id, period key): value} — totals, from the summary table (custom periods
    are computed from scratch). Missing cells are zero (None for a ratio)."""
    result: dict[tuple[str, str], Decimal | None] = {}
    stored = [p for p in periods if p.kind != CUSTOM]
    if stored:
        ensure_fresh(stored, _groups(indicators))
        for ind, period, value in IndicatorFact.objects.filter(
            period__in=[p.key for p in stored],
            area=area.key,
            breakdown=TOTAL,
            indicator__in=[i.id for i in indicators],
        ).values_list("indicator", "period", "value"):
            result[(ind, period)] = value
    for period in periods:
        if period.kind == CUSTOM:
            computed = compute(_with_components(indicators), period, breakdowns=False)
            for (ind, a, name, _item), value in computed.items():
                if a == area.key and name == TOTAL:
                    result[(ind, period.key)] = value
    for indicator in indicators:
        for period in periods:
            result.setdefault(
                (indicator.id, period.key), None if indicator.ratio_of else Decimal(0)
            )
    return result


def breakdown_values(indicator: Indicator, period: Period, area: Area, name: str) -> dict:
    """{item: value} of one breakdown."""
    if period.kind == CUSTOM:
        return compute_one(indicator, period, area, name)
    ensure_fresh([period], [indicator.group], breakdowns=True)
    return dict(
        IndicatorFact.objects.filter(
            indicator=indicator.id, period=period.key, area=area.key, breakdown=name
        ).values_list("item", "value")
    )


def area_values(indicators: list[Indicator], period: Period, area_keys: list[str]) -> dict:
    """{(indicator id, area key): value} — to compare territories or regions."""
    if period.kind == CUSTOM:
        computed = compute(_with_components(indicators), period, breakdowns=False)
        return {
            (ind, a): v
            for (ind, a, name, _i), v in computed.items()
            if name == TOTAL and a in area_keys
        }
    ensure_fresh([period], _groups(indicators))
    return {
        (ind, a): v
        for ind, a, v in IndicatorFact.objects.filter(
            indicator__in=[i.id for i in indicators],
            period=period.key,
            area__in=area_keys,
            breakdown=TOTAL,
        ).values_list("indicator", "area", "value")
    }
