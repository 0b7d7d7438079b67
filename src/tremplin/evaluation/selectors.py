"""What the dashboard, the indicator pages and the exports show, given the user.

Indicators come from ``catalogue.visible_to(user)`` (casework and funding indicators only for
the roles that read them); values from the engine's summary table. The dashboard reads every
tile's values (chosen period and the four before it) with one ``engine.values`` call, so its
number of queries does not grow with the data or the catalogue.

Small counts of individual-support indicators are suppressed (``< 5``, display.py). In a table
of parts (a breakdown, the territories of a region) one suppressed part could be worked out by
subtraction from the whole: ``secondary_suppression`` then also hides the smallest other
non-zero part.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from . import catalogue, charts, engine
from .catalogue import PERCENT, Indicator
from .display import change, format_value, shown
from .forms import AreaOption, Areas
from .periods import ALL, REGION, TERRITORY, Area, Period
from .permissions import may_see_indicator, require_evaluation

TRAIL = 5  # periods on the dashboard and in the exports (the chosen one last)
DETAIL_TRAIL = 10  # periods on an indicator's page
HIDDEN = "hidden"  # a value hidden by secondary suppression


def get_indicator_for_user(user, indicator_id: str) -> Indicator:
    """The indicator, or 404 when it does not exist or the user may not see it."""
    require_evaluation(user)
    indicator = catalogue.get(indicator_id)
    if indicator is None or not may_see_indicator(user, indicator):
        raise Http404
    return indicator


def visible_groups(user) -> list[tuple[catalogue.Group, list[Indicator]]]:
    """The user's indicators by group, groups in GROUP_ORDER (then any other), indicators in
    catalogue order."""
    require_evaluation(user)
    indicators = catalogue.visible_to(user)
    order = [g for g in catalogue.GROUP_ORDER if g in catalogue.GROUPS]
    order += [g for g in catalogue.GROUPS if g not in order]
    result = []
    for group_id in order:
        members = [i for i in indicators if i.group == group_id]
        if members:
            result.append((catalogue.GROUPS[group_id], members))
    return result


def query(period: Period, area: Area, **extra) -> str:
    params = {"period": period.key, "area": area.key}
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def indicator_url(indicator: Indicator, period: Period, area: Area) -> str:
    url = reverse("evaluation:indicator", args=[indicator.id])
    return f"{url}?{query(period, area)}"


def records_url(indicator, period, area, breakdown="", item="") -> str:
    url = reverse("evaluation:records", args=[indicator.id])
    return f"{url}?{query(period, area, breakdown=breakdown, item=item)}"


def applies(indicator: Indicator, area: Area) -> bool:
    """False for an indicator counted only for the whole program when an area is chosen."""
    return indicator.territorial or area.kind == ALL


# --- the change from the previous period ------------------------------------------------


@dataclass
class Change:
    text: str  # "+3", "−2", "0", "—"
    words: str  # for screen readers
    direction: str  # "up", "down", "same", "none"


def _magnitude(indicator: Indicator, delta: Decimal) -> tuple[str, str]:
    """(shown, spoken) magnitude of a change."""
    if indicator.unit == PERCENT:
        amount = charts.format_number(abs(delta), catalogue.AVERAGE)
        return _("%(n)s pts") % {"n": amount}, _("%(n)s points de pourcentage") % {"n": amount}
    amount = charts.format_number(abs(delta), indicator.unit)
    return amount, amount


def describe_change(indicator: Indicator, current, previous, previous_label: str) -> Change:
    delta = change(indicator, current, previous)
    if delta is None:
        return Change(
            "—", _("pas de comparaison possible avec %(p)s") % {"p": previous_label}, "none"
        )
    if delta == 0:
        return Change("0", _("stable par rapport à %(p)s") % {"p": previous_label}, "same")
    shown_amount, spoken = _magnitude(indicator, delta)
    if delta > 0:
        words = _("en hausse de %(n)s par rapport à %(p)s")
        return Change(f"+{shown_amount}", words % {"n": spoken, "p": previous_label}, "up")
    words = _("en baisse de %(n)s par rapport à %(p)s")
    return Change(f"\u2212{shown_amount}", words % {"n": spoken, "p": previous_label}, "down")


# --- the dashboard ----------------------------------------------------------------------


@dataclass
class Tile:
    indicator: Indicator
    value: str
    change: Change
    sparkline: str
    trail: list[tuple[str, str]]  # (period label, formatted value)
    url: str  # the indicator's page
    records_url: str | None  # the records behind the value (None: suppressed)
    applies: bool


@dataclass
class Section:
    group: catalogue.Group
    tiles: list[Tile] = field(default_factory=list)


def trail_values(user, period: Period, area: Area, count: int = TRAIL):
    """(groups, periods, values): one engine call for every visible indicator."""
    groups = visible_groups(user)
    periods = period.trail(count)
    indicators = [i for _g, members in groups for i in members if applies(i, area)]
    found = engine.values(indicators, periods, area) if indicators else {}
    return groups, periods, found


def dashboard(user, period: Period, area: Area) -> list[Section]:
    groups, periods, found = trail_values(user, period, area)
    sections = []
    for group, members in groups:
        section = Section(group)
        for indicator in members:
            ok = applies(indicator, area)
            series = [found.get((indicator.id, p.key)) if ok else None for p in periods]
            texts = [format_value(indicator, v) for v in series]
            trail = [(p.label, t) for p, t in zip(periods, texts, strict=True)]
            description = _("Tendance sur %(n)s périodes : %(values)s") % {
                "n": len(periods),
                "values": " ; ".join(f"{label} : {text}" for label, text in trail),
            }
            section.tiles.append(
                Tile(
                    indicator=indicator,
                    value=texts[-1],
                    change=describe_change(indicator, series[-1], series[-2], periods[-2].label)
                    if ok
                    else Change("—", _("pas de comparaison possible"), "none"),
                    sparkline=charts.sparkline([shown(indicator, v) for v in series], description)
                    if ok
                    else "",
                    trail=trail,
                    url=indicator_url(indicator, period, area if ok else Area()),
                    records_url=records_url(indicator, period, area)
                    if ok and not indicator.suppressed(series[-1])
                    else None,
                    applies=ok,
                )
            )
        sections.append(section)
    return sections


# --- suppression in tables of parts -----------------------------------------------------


def secondary_suppression(indicator: Indicator, values: dict) -> set:
    """Keys of ``values`` to hide besides the suppressed ones: when exactly one part is
    suppressed, the smallest other non-zero part, so that no hidden count can be worked out
    by subtraction from the whole."""
    if not indicator.suppress_below:
        return set()
    suppressed = [k for k, v in values.items() if indicator.suppressed(v)]
    if len(suppressed) != 1:
        return set()
    others = [k for k, v in values.items() if k not in suppressed and v]
    if not others:
        return set()
    return {min(others, key=lambda k: (values[k], str(k)))}


@dataclass
class Cell:
    label: str
    value: str  # formatted
    number: Decimal | None  # what a chart may draw (None: nothing to show)
    url: str | None
    hidden: bool = False
    current: bool = False


def _cell(indicator, label, value, url, hidden=False, current=False) -> Cell:
    if hidden:
        return Cell(str(label), _("masqué"), None, None, True, current)
    visible = shown(indicator, value)
    link = url if (visible is not None or value is None) else None
    return Cell(str(label), format_value(indicator, value), visible, link, False, current)


def default_value(indicator: Indicator):
    return None if indicator.ratio_of else Decimal(0)


# --- an indicator's page ----------------------------------------------------------------


@dataclass
class Table:
    title: str
    cells: list[Cell]
    chart: str = ""  # data URI of the SVG
    name: str = ""  # breakdown name
    total: Cell | None = None
    hidden_note: bool = False


def _chart_of(indicator: Indicator, cells: list[Cell]) -> str:
    if not cells or all(c.number is None for c in cells):
        return ""
    svg = charts.bars(
        [c.label for c in cells],
        [c.number for c in cells],
        unit=indicator.unit,
        value_labels=[c.value for c in cells],
    )
    return charts.data_uri(svg)


def trend_table(indicator: Indicator, period: Period, area: Area, count=DETAIL_TRAIL) -> Table:
    periods = period.trail(count)
    found = engine.values([indicator], periods, area)
    cells = [
        _cell(
            indicator,
            p.label,
            found.get((indicator.id, p.key)),
            records_url(indicator, p, area),
            current=p == period,
        )
        for p in periods
    ]
    table = Table(_("Évolution"), cells)
    if any(c.number is not None for c in cells):
        svg = charts.trend(
            [c.label for c in cells],
            [c.number for c in cells],
            unit=indicator.unit,
            value_labels=[c.value for c in cells],
        )
        table.chart = charts.data_uri(svg)
    return table


def breakdown_tables(indicator, period, area, *, with_charts=True) -> list[Table]:
    tables = []
    for breakdown in indicator.breakdowns:
        found = engine.breakdown_values(indicator, period, area, breakdown.name)
        labels = dict(breakdown.labels())
        for item in found:
            labels.setdefault(item, item or _("(non précisé)"))
        values = {item: found.get(item, default_value(indicator)) for item in labels}
        hidden = secondary_suppression(indicator, values)
        cells = [
            _cell(
                indicator,
                label,
                values[item],
                records_url(indicator, period, area, breakdown.name, item),
                hidden=item in hidden,
            )
            for item, label in labels.items()
        ]
        table = Table(str(breakdown.label), cells, name=breakdown.name, hidden_note=bool(hidden))
        if with_charts:
            table.chart = _chart_of(indicator, cells)
        tables.append(table)
    return tables


def _parent_key(option: AreaOption) -> str:
    return ALL if option.kind == REGION else f"{REGION}:{option.region_id}"


def area_table(indicator, period, area, areas: Areas) -> Table | None:
    """The value in each region and territory (whole program), each territory of the region
    (a region or a territory): None for an indicator counted only for the whole program."""
    if not indicator.territorial:
        return None
    parent, children = areas.siblings(area)
    if not children:
        return None
    keys = [o.key for o in children] + ([parent.key] if parent else [])
    found = engine.area_values([indicator], period, keys)
    values = {o.key: found.get((indicator.id, o.key), default_value(indicator)) for o in children}
    # Parts of one whole: the regions (of the program), the territories of each region.
    hidden = set()
    for whole in {_parent_key(o) for o in children}:
        part = {o.key: values[o.key] for o in children if _parent_key(o) == whole}
        hidden |= secondary_suppression(indicator, part)

    def cell_of(option: AreaOption, value, is_hidden=False):
        label = option.label
        if area.kind == ALL and option.kind == TERRITORY:
            label = f"{option.label} ({areas.by_key[_parent_key(option)].label})"
        return _cell(
            indicator,
            label,
            value,
            records_url(indicator, period, Area.from_key(option.key)),
            hidden=is_hidden,
            current=option.key == area.key,
        )

    cells = [cell_of(o, values[o.key], o.key in hidden) for o in children]
    table = Table(_("Par territoire"), cells, hidden_note=bool(hidden))
    if parent:
        table.total = cell_of(
            parent, found.get((indicator.id, parent.key), default_value(indicator))
        )
    table.chart = _chart_of(indicator, cells)
    return table


# --- the exports ------------------------------------------------------------------------


@dataclass
class ExportRow:
    indicator: Indicator
    group: str
    values: list  # trail values then territories' values (raw; None: no value)


def export_table(user, period: Period, area: Area, areas: Areas):
    """(periods, territories, rows) of the dashboard's table; territories are those of the
    chosen region (empty otherwise)."""
    groups, periods, found = trail_values(user, period, area)
    territories = areas.territories_of(area.pk) if area.kind == REGION else []
    across = {}
    territorial = [i for _g, members in groups for i in members if i.territorial]
    if territories and territorial:
        across = engine.area_values(territorial, period, [t.key for t in territories])
    rows = []
    for group, members in groups:
        for indicator in members:
            ok = applies(indicator, area)
            trail = [found.get((indicator.id, p.key)) if ok else None for p in periods]
            parts = {
                t.key: across.get((indicator.id, t.key), default_value(indicator))
                if indicator.territorial
                else None
                for t in territories
            }
            hidden = secondary_suppression(indicator, parts)
            values = trail + [HIDDEN if t.key in hidden else parts[t.key] for t in territories]
            rows.append(ExportRow(indicator, str(group.label), values))
    return periods, territories, rows
