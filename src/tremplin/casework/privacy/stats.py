"""Counts of individual support for evaluation, by fiscal year and territory.

Only counts, and never a small one: a count under ``THRESHOLD`` (5, zero included) is
suppressed and shown as « < 5 ». Because tables carry totals, a lone hidden cell could be
worked out by subtraction (total minus the other cells); **secondary suppression** then hides
the totals of its row and column (« masqué »), repeating until no small count can be worked
out from what is shown (``exposed``: bounds propagated line by line). Only totals are hidden for that reason, so a « < 5 » is always true.
The counts themselves are computed in a fixed number of queries (one per table, plus the
years and territories), whatever the data size.

Measures (fiscal year April–March, named by its first year: 2023 = 2023-2024):

- persons followed: distinct persons with a follow-up under way on at least one day of the
  year, by the follow-up's territory (the total counts each person once);
- interventions by type, dated in the year;
- referrals by outcome, dated in the year;
- residential stability at closing: follow-ups closed in the year, by outcome.

Territories where nobody was followed during the year are left out of the tables.

``casework_stats(user, year)`` is the selector the stats page and the evaluation module read;
it answers ``Http404`` to roles that see no counts (``permissions.can_read_stats``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.fiscal import (  # noqa: F401
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
)
from tremplin.core.formatting import number
from tremplin.territories.models import Territory

from ..models import (
    FollowUp,
    FollowUpStatus,
    Intervention,
    InterventionType,
    Outcome,
    Referral,
    ReferralOutcome,
)
from . import permissions

THRESHOLD = 5


@dataclass(eq=False)  # cells are compared by identity: two counts of 4 are different cells
class Cell:
    """A count, or None once suppressed. A hidden table cell reads « < 5 »; a hidden total
    reads « masqué » (it may be large, hidden so that a small cell cannot be worked out)."""

    raw: int
    value: int | None
    is_total: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        if self.value is not None:
            return number(self.value)
        return str(_("masqué")) if self.is_total else f"< {THRESHOLD}"


@dataclass
class Table:
    """Rows are territories, columns categories; ``row_totals``, ``column_totals`` and
    ``total`` are the margins (``row_totals`` is empty for single-column tables)."""

    key: str
    title: str
    columns: list[str]
    row_labels: list[str]
    cells: list[list[Cell]]
    row_totals: list[Cell] = field(default_factory=list)
    column_totals: list[Cell] = field(default_factory=list)
    total: Cell | None = None

    @property
    def rows(self):
        """(territory, [(column, cell)…], row total or None) for templates."""
        return [
            (
                label,
                list(zip(self.columns, cells, strict=True)),
                self.row_totals[i] if self.row_totals else None,
            )
            for i, (label, cells) in enumerate(zip(self.row_labels, self.cells, strict=True))
        ]

    @property
    def totals_row(self):
        return list(zip(self.columns, self.column_totals, strict=True))


@dataclass
class CaseworkStats:
    year: int
    years: list[int]
    territories: list[Territory]
    tables: list[Table]

    @property
    def year_label(self) -> str:
        return fiscal_year_label(self.year)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


# --------------------------------------------------------------------------- suppression


def _lines(table: Table) -> list[tuple[list[Cell], Cell]]:
    """Every (cells, total) relation a reader could subtract along."""
    lines = []
    n_cols = len(table.columns)
    if table.row_totals:
        for cells, total in zip(table.cells, table.row_totals, strict=True):
            lines.append((cells, total))
    for j in range(n_cols):
        lines.append(([row[j] for row in table.cells], table.column_totals[j]))
    if table.row_totals and table.total is not None:
        lines.append((table.row_totals, table.total))
        lines.append((table.column_totals, table.total))
    return lines


def _margins(table: Table) -> list[Cell]:
    margins = table.row_totals + table.column_totals
    return margins + ([table.total] if table.total is not None else [])


def _derived(table: Table, threshold: int = THRESHOLD) -> set[int]:
    """Ids of the cells whose exact value a reader can work out from what is shown.

    Bounds propagation over every line (row, column, margins, and the grand total as the sum
    of all cells): a shown count is exact; a hidden table cell lies between 0 and
    ``threshold`` − 1 (it reads « < 5 »); a hidden total is only known to be ≥ 0. Each line
    says total = sum of its cells, which narrows every member to what the others leave room
    for; this repeats until nothing narrows. A cell whose bounds meet is worked out.
    """
    cells = [c for row in table.cells for c in row]
    margins = _margins(table)
    unbounded = sum(c.raw for c in cells) + 1  # no count exceeds the grand total
    bounds: dict[int, list[int]] = {}
    for c in cells + margins:
        if not c.suppressed:
            bounds[id(c)] = [c.raw, c.raw]
        elif c.is_total:
            bounds[id(c)] = [0, unbounded]
        else:
            bounds[id(c)] = [0, threshold - 1]
    lines = _lines(table)
    if table.row_totals and table.total is not None:
        lines.append((cells, table.total))  # the grand total is also the sum of every cell
    for _round in range(50 * (len(cells) + len(margins))):
        changed = False
        for line, total in lines:
            lo_sum = sum(bounds[id(c)][0] for c in line)
            hi_sum = sum(bounds[id(c)][1] for c in line)
            t = bounds[id(total)]
            new_t = [max(t[0], lo_sum), min(t[1], hi_sum)]
            if new_t != t:
                bounds[id(total)] = new_t
                changed = True
            t = bounds[id(total)]
            for c in line:
                b = bounds[id(c)]
                others_lo = lo_sum - b[0]
                others_hi = hi_sum - b[1]
                new_b = [max(b[0], t[0] - others_hi), min(b[1], t[1] - others_lo)]
                if new_b != b:
                    lo_sum += new_b[0] - b[0]
                    hi_sum += new_b[1] - b[1]
                    bounds[id(c)] = new_b
                    changed = True
        if not changed:
            break
    return {key for key, (lo, hi) in bounds.items() if lo == hi}


def exposed(table: Table, threshold: int = THRESHOLD) -> list[Cell]:
    """The small counts a reader could work out (see ``_derived``)."""
    known = _derived(table, threshold)
    small = [c for row in table.cells for c in row] + _margins(table)
    return [c for c in small if c.raw < threshold and id(c) in known]


def _totals_of_lines_with(table: Table, cell: Cell) -> list[Cell]:
    return [
        total
        for line, total in _lines(table)
        if total is not cell and (cell is total or any(c is cell for c in line))
    ]


def suppress(table: Table, threshold: int = THRESHOLD) -> Table:
    """Hide every count under ``threshold``; then, while one of them can still be worked out
    (``exposed``), hide totals: those of the lines holding it, else those of the lines holding
    a hidden total that was worked out, else every total of the table. A table cell is never
    hidden unless it is small, so « < 5 » always tells the truth.

    The check narrows bounds line by line; a linear-programming audit could still narrow some
    hidden counts further (rarely to a single value): a residual risk, docs/privacy.md."""
    for cell in [c for row in table.cells for c in row] + _margins(table):
        cell.value = cell.raw if cell.raw >= threshold else None
    while True:
        found = exposed(table, threshold)
        if not found:
            return table
        targets = [t for c in found for t in _totals_of_lines_with(table, c) if not t.suppressed]
        if not targets:
            known = _derived(table, threshold)
            worked_out = [m for m in _margins(table) if m.suppressed and id(m) in known]
            targets = [
                t for m in worked_out for t in _totals_of_lines_with(table, m) if not t.suppressed
            ]
        if not targets:
            targets = [m for m in _margins(table) if not m.suppressed]
            if not targets:
                return table  # every total hidden: nothing left to subtract from
        for total in targets:
            total.value = None


# --------------------------------------------------------------------------- counts


def available_years(territory_ids=None) -> list[int]:
    """Fiscal years from the first follow-up to this year (newest last)."""
    qs = FollowUp.objects.all()
    if territory_ids is not None:
        qs = qs.filter(territory_id__in=territory_ids)
    bounds = qs.aggregate(first=Min("started_on"), last=Max("started_on"))
    current = fiscal_year_of(timezone.localdate())
    if not bounds["first"]:
        return [current]
    return list(range(fiscal_year_of(bounds["first"]), current + 1))


def _grid(rows_by_key, territories, categories) -> list[list[int]]:
    return [[rows_by_key.get((t.pk, code), 0) for code, _label in categories] for t in territories]


def _table(key, title, territories, categories, counts) -> Table:
    grid = _grid(counts, territories, categories)
    cells = [[Cell(v, v) for v in row] for row in grid]
    row_totals = [Cell(sum(row), None, is_total=True) for row in grid]
    column_totals = [
        Cell(sum(row[j] for row in grid), None, is_total=True) for j in range(len(categories))
    ]
    grand = sum(sum(row) for row in grid)
    return suppress(
        Table(
            key=key,
            title=title,
            columns=[str(label) for _code, label in categories],
            row_labels=[t.name for t in territories],
            cells=cells,
            row_totals=row_totals,
            column_totals=column_totals,
            total=Cell(grand, None, is_total=True),
        )
    )


def casework_stats(user, year: int | None = None) -> CaseworkStats:
    """The suppressed count tables of fiscal ``year`` (default: the current one) in the
    user's scope: the region, or a supervisor's territories."""
    if not permissions.can_read_stats(user):
        raise Http404
    scope = permissions.stats_territory_ids(user)
    territories = Territory.objects.order_by("name")
    if scope is not None:
        territories = territories.filter(pk__in=scope)
    territories = list(territories)
    ids = [t.pk for t in territories]
    years = available_years(ids if scope is not None else None)
    if year not in years:
        year = years[-1]
    start, end = fiscal_year_bounds(year)

    follow_ups = FollowUp.objects.filter(territory_id__in=ids)
    running = follow_ups.filter(started_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )
    by_territory = dict(
        running.order_by()
        .values("territory_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("territory_id", "n")
    )
    persons_total = running.aggregate(n=Count("person_id", distinct=True))["n"]
    # Territories without anyone followed this year have nothing but zeros: leaving them out
    # says no more than a row of zeros would, and keeps their hidden zeros from forcing the
    # totals of every column to be hidden.
    territories = [t for t in territories if by_territory.get(t.pk)]
    persons = Table(
        key="persons",
        title=_("Personnes suivies"),
        columns=[_("Personnes suivies")],
        row_labels=[t.name for t in territories],
        cells=[[Cell(by_territory.get(t.pk, 0), None)] for t in territories],
        column_totals=[Cell(persons_total, None, is_total=True)],
    )
    suppress(persons)

    def grouped(qs, territory_field, category_field):
        return {
            (row[0], row[1]): row[2]
            for row in qs.order_by()
            .values(territory_field, category_field)
            .annotate(n=Count("id"))
            .values_list(territory_field, category_field, "n")
        }

    interventions = grouped(
        Intervention.objects.filter(
            follow_up__territory_id__in=ids, occurred_on__gte=start, occurred_on__lte=end
        ),
        "follow_up__territory_id",
        "type",
    )
    referrals = grouped(
        Referral.objects.filter(
            follow_up__territory_id__in=ids, referred_on__gte=start, referred_on__lte=end
        ),
        "follow_up__territory_id",
        "outcome",
    )
    closings = grouped(
        follow_ups.filter(status=FollowUpStatus.CLOSED, closed_on__gte=start, closed_on__lte=end),
        "territory_id",
        "outcome",
    )
    tables = [
        persons,
        _table(
            "interventions",
            _("Interventions par type"),
            territories,
            InterventionType.choices,
            interventions,
        ),
        _table(
            "referrals",
            _("Références selon le résultat"),
            territories,
            ReferralOutcome.choices,
            referrals,
        ),
        _table(
            "stability",
            _("Stabilité résidentielle à la fermeture des suivis"),
            territories,
            Outcome.choices,
            closings,
        ),
    ]
    return CaseworkStats(year=year, years=years, territories=territories, tables=tables)
