"""The indicator catalogue: what each indicator counts, in words users read and in code.

An indicator yields *rows* for a period: ``(territory_id, region_id, item, key, weight)``.

- ``territory_id`` / ``region_id``: where the row counts (either may be None; the region is
  taken from the territory when only the territory is given; a row with neither counts only
  for the whole program).
- ``item``: the breakdown value ("" when no breakdown is asked).
- ``key``: what is counted once per area and item (a provider id, a project id…); rows with the
  same key in the same area and item count once, with the first weight seen. ``None`` when the
  row is already counted once (a row grouped in SQL by a single-valued territory).
- ``weight``: 1 to count, or the amount to sum.

The engine (``engine.py``) turns rows into values for every area at once, so each rule is
written once and serves the whole program, each region and each territory.
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COUNT = "count"
PERCENT = "percent"
MONEY = "money"
AVERAGE = "average"

# Who may see an indicator besides its group's own rule.
PROGRAM = "program"  # every role with the dashboard
CASE_STATS = "case_stats"  # membership.can_read_case_stats
FUNDING = "funding"  # membership.can_read_funding
SPENDING = "spending"  # can_read_funding, partners excepted (they see no one else's spending)

Row = tuple[int | None, int | None, str, Hashable | None, int | Decimal]


@dataclass(frozen=True)
class Breakdown:
    """A way to split an indicator: project kind, determinant, ÉLÉ, provider kind…"""

    name: str
    label: Promise
    labels: Callable[[], dict[str, str]]  # item → label, read when displayed


@dataclass(frozen=True)
class Facts:
    """An indicator's records for every period at once, for the set-based refresh
    (``setbased.py``): the same records its rows count, without the period filter.

    ``on``: the date (or datetime, read in local time) a record counts on; with ``until``, the
    start and end of a span (an empty end runs on) counted in every period it overlaps;
    ``by_end``: a date that must also fall on or before the period's last day. ``territory``,
    ``region``, ``item``, ``key`` and ``weight`` are ORM paths (``weight`` also an expression;
    None: 1) playing the parts of a row's fields; ``uuid_item``: the item is a UUID."""

    queryset: Any
    on: str
    until: str | None = None
    by_end: str | None = None
    territory: str | None = None
    region: str | None = None
    item: str | None = None
    key: str | None = None
    weight: Any = None
    uuid_item: bool = False


@dataclass(frozen=True)
class RecordTable:
    """The records behind a value, as the viewer may see them."""

    columns: list[str]
    rows: list[tuple[list, str | None]]  # (cells, url or None)
    total: int
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    id: str
    group: str
    label: Promise
    definition: Promise  # plain language, shown to users
    unit: str
    source: Promise  # the records it counts
    rows: Callable[..., Iterable[Row]] | None = None  # rows(period, breakdown_name | None)
    breakdowns: tuple[Breakdown, ...] = ()
    # A ratio of two indicators of the same group, computed per area and item:
    # (numerator id, denominator id, scale): 100 for a percentage, 1 for an average.
    ratio_of: tuple[str, str, int] | None = None
    audience: str = PROGRAM
    suppress_below: int = 0  # individual support: counts from 1 to 4 are never shown
    # records(user, period, area, breakdown_name, item) -> RecordTable | None
    records: Callable[..., RecordTable | None] | None = None
    territorial: bool = True  # False: only meaningful for the whole program
    extra: dict = field(default_factory=dict)
    # The group's sources ("app.Model") its rows read; None: all of them. After a write, only
    # the indicators reading the written model are recomputed (engine.refresh): a model read
    # but not named here would leave the value stale (test_freshness.py checks the catalogue).
    reads: tuple[str, ...] | None = None
    # facts(breakdown_name | None) -> [Facts, …] (their union), or None where the rows must be
    # computed period by period: how refresh_all computes it as set-based SQL.
    facts: Callable[[str | None], list[Facts] | None] | None = None

    def breakdown(self, name: str) -> Breakdown | None:
        return next((b for b in self.breakdowns if b.name == name), None)

    def suppressed(self, value) -> bool:
        return bool(self.suppress_below) and value is not None and 0 < value < self.suppress_below


@dataclass(frozen=True)
class Group:
    id: str
    label: Promise
    # "app_label.Model" whose changes make this group's stored values stale.
    sources: tuple[str, ...]
    audience: str = PROGRAM
    # For a source whose records count in the periods of their own dates: "app.Model" → the
    # date fields (ORM lookups) — one: the day it counts on; two: a span (start, end; an empty
    # end runs on). A write then makes stale only the fiscal and calendar years of those
    # dates (old and new); a source not listed makes every period stale.
    dates: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def reading(self, indicator: "Indicator") -> tuple[str, ...]:
        return self.sources if indicator.reads is None else indicator.reads


GROUPS: dict[str, Group] = {}
INDICATORS: dict[str, Indicator] = {}


def group(
    id: str,
    label: Promise,
    sources: tuple[str, ...],
    audience: str = PROGRAM,
    dates: dict[str, tuple[str, ...]] | None = None,
) -> Group:
    if set(dates or {}) - set(sources):
        raise ValueError(f"group {id}: dates of a model it does not count")
    GROUPS[id] = Group(id, label, sources, audience, dict(dates or {}))
    return GROUPS[id]


def register(indicator: Indicator) -> Indicator:
    if indicator.id in INDICATORS:
        raise ValueError(f"indicator {indicator.id} registered twice")
    if indicator.group not in GROUPS:
        raise ValueError(f"indicator {indicator.id}: unknown group {indicator.group}")
    if (indicator.rows is None) == (indicator.ratio_of is None):
        raise ValueError(f"indicator {indicator.id}: give rows or ratio_of")
    if indicator.reads is not None and set(indicator.reads) - set(GROUPS[indicator.group].sources):
        raise ValueError(f"indicator {indicator.id}: reads a model its group does not count")
    INDICATORS[indicator.id] = indicator
    return indicator


def all_indicators() -> list[Indicator]:
    from . import indicators  # noqa: F401  (registers the catalogue)

    return list(INDICATORS.values())


def get(indicator_id: str) -> Indicator | None:
    all_indicators()
    return INDICATORS.get(indicator_id)


def of_group(group_id: str) -> list[Indicator]:
    return [i for i in all_indicators() if i.group == group_id]


def visible_to(user) -> list[Indicator]:
    """The indicators a user may see (the dashboard's rule is in permissions.py)."""
    from .permissions import may_see_indicator

    return [i for i in all_indicators() if may_see_indicator(user, i)]


GROUP_ORDER = ("reach", "collective", "casework", "concertation", "mobilization", "funding")
UNIT_LABELS = {COUNT: _("nombre"), PERCENT: _("%"), MONEY: _("$"), AVERAGE: _("moyenne")}
