"""Counts for evaluation: by fiscal year and territory, cells under 5 suppressed (« < 5 »),
secondary suppression so that no hidden cell can be recovered by subtraction, and a query
count that does not grow with the data.

Fiscal year 2023 runs from 2023-04-01 to 2024-03-31. Expected figures are counted by hand
from the records built below.
"""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.casework.models import InterventionType, Outcome, ReferralOutcome
from tremplin.casework.privacy import stats

from .test_privacy_support import (
    make_follow_up,
    make_intervention,
    make_person,
    make_referral,
    make_resource,
)

FY_START, FY_END = dt.date(2023, 4, 1), dt.date(2024, 3, 31)


def _fu(world, worker, territory, started, closed=None, outcome=Outcome.KEPT, i=[0]):  # noqa: B006
    i[0] += 1
    person = make_person(world, f"Zéphirine{i[0]}", f"Quenneville{i[0]}", territory=territory)
    return make_follow_up(
        person, worker, started_on=started, closed_on=closed, outcome=outcome if closed else ""
    )


@pytest.fixture
def data(world, personas):
    w_a, w_b = personas["worker_a"], personas["worker_b"]
    resource = make_resource(world)
    a = []
    # Grand Littoral: 7 persons followed during FY 2023.
    a += [_fu(world, w_a, "ta", dt.date(2023, 5, 1)) for _ in range(4)]
    a.append(_fu(world, w_a, "ta", dt.date(2022, 1, 10), FY_START))  # closed on its first day
    a.append(_fu(world, w_a, "ta", dt.date(2022, 6, 1), dt.date(2023, 9, 1), Outcome.LOST))
    a.append(_fu(world, w_a, "ta", FY_END))  # started on its last day
    # Not followed during FY 2023: closed the day before, started the day after.
    _fu(world, w_a, "ta", dt.date(2021, 1, 4), dt.date(2023, 3, 31))
    _fu(world, w_a, "ta", dt.date(2024, 4, 1))
    # Four of the five closings in FY 2023 in Grand Littoral "kept" (a[4] plus three more).
    for _ in range(3):
        a.append(_fu(world, w_a, "ta", dt.date(2022, 2, 1), dt.date(2024, 1, 15), Outcome.KEPT))
    # → Grand Littoral persons followed: 7 + 3 = 10; closings: kept 4, lost 1.
    b = [_fu(world, w_b, "tb", dt.date(2023, 6, 1)) for _ in range(3)]
    b.append(_fu(world, w_b, "tb", dt.date(2022, 6, 1), dt.date(2023, 12, 1), Outcome.MOVED_BETTER))
    b.append(_fu(world, w_b, "tb", dt.date(2022, 6, 1), dt.date(2023, 12, 2), Outcome.MOVED_BETTER))
    # → Beauce: 5 persons followed; closings: moved to better housing 2.
    # Interventions: Grand Littoral intake 6, lease 5, crisis 2; Beauce intake 5; one outside.
    for k in range(6):
        make_intervention(a[k % 4], w_a, dt.date(2023, 5, 1) + dt.timedelta(days=k))
    for k in range(5):
        make_intervention(a[k % 4], w_a, dt.date(2023, 7, 1), type=InterventionType.LEASE)
    make_intervention(a[0], w_a, FY_END, type=InterventionType.CRISIS)
    make_intervention(a[1], w_a, FY_START, type=InterventionType.CRISIS)
    make_intervention(a[0], w_a, dt.date(2024, 4, 1))  # FY 2024
    for k in range(5):
        make_intervention(b[k % 3], w_b, dt.date(2023, 8, 1))
    # Referrals: Grand Littoral accepted 5, waiting 1; Beauce refused 4.
    for k in range(5):
        make_referral(a[k % 4], resource, w_a, dt.date(2023, 6, 1))
    make_referral(a[0], resource, w_a, dt.date(2023, 6, 2), outcome=ReferralOutcome.WAITING)
    for k in range(4):
        make_referral(b[k % 3], resource, w_b, dt.date(2023, 6, 1), outcome=ReferralOutcome.REFUSED)
    return {"a": a, "b": b}


def _grid(table):
    """{(territory, column): display} with "Total" for the margins."""
    out = {}
    for label, cells, total in table.rows:
        for column, cell in cells:
            out[(label, column)] = cell.display
        if total is not None:
            out[(label, "Total")] = total.display
    for column, cell in table.totals_row:
        out[("Total", column)] = cell.display
    if table.total is not None:
        out[("Total", "Total")] = table.total.display
    return out


def _assert_safe(table):
    """Every shown count ≥ 5 and true; every hidden table cell really under 5; no small count
    pinned down by the shown figures (see ``_feasible``)."""
    cells = [c for row in table.cells for c in row]
    margins = table.row_totals + table.column_totals + ([table.total] if table.total else [])
    for cell in cells + margins:
        assert cell.suppressed or (cell.value >= stats.THRESHOLD and cell.value == cell.raw)
    for cell in cells:
        assert not cell.suppressed or cell.raw < stats.THRESHOLD
    hidden = sum(c.suppressed for c in cells)
    if table.row_totals and hidden <= 7:
        for _cell, values in _feasible(table).items():
            assert len(values) > 1, f"a hidden count can only be {values}"
    else:  # too many combinations to try them all: the line-by-line check
        assert stats.exposed(table) == []


def _feasible(table):
    """Brute force, independent of the suppression code: every way to fill the hidden cells
    with 0–4 that gives back the totals shown; the values each small hidden count can take."""
    import itertools

    hidden = [
        (i, j) for i, row in enumerate(table.cells) for j, c in enumerate(row) if c.suppressed
    ]
    grid = [[c.raw for c in row] for row in table.cells]
    options = {}
    for values in itertools.product(range(stats.THRESHOLD), repeat=len(hidden)):
        for (i, j), v in zip(hidden, values, strict=True):
            grid[i][j] = v
        rows = [sum(r) for r in grid]
        cols = [sum(r[j] for r in grid) for j in range(len(grid[0]))]
        margins = (
            list(zip(table.row_totals, rows, strict=True))
            + list(zip(table.column_totals, cols, strict=True))
            + [(table.total, sum(rows))]
        )
        if all(m.suppressed or m.value == v for m, v in margins):
            for (i, j), v in zip(hidden, values, strict=True):
                options.setdefault(("cell", i, j), set()).add(v)
            for k, (m, v) in enumerate(margins):
                if m.suppressed and m.raw < stats.THRESHOLD:
                    options.setdefault(("total", k), set()).add(v)
    return options


def test_it_counts_persons_followed_by_territory(personas, data):
    result = stats.casework_stats(personas["coordination"], 2023)
    persons = _grid(result.table("persons"))
    # Québec (nobody followed) is left out.
    assert persons == {
        ("Grand Littoral", "Personnes suivies"): "10",
        ("Beauce", "Personnes suivies"): "5",
        ("Total", "Personnes suivies"): "15",
    }
    _assert_safe(result.table("persons"))


def test_it_counts_interventions_by_type_with_secondary_suppression(personas, data):
    table = stats.casework_stats(personas["coordination"], 2023).table("interventions")
    grid = _grid(table)
    intake = str(InterventionType.INTAKE.label)
    lease = str(InterventionType.LEASE.label)
    crisis = str(InterventionType.CRISIS.label)
    raw = {(t, c): cell.raw for t, cells, _ in table.rows for c, cell in cells}
    assert raw[("Grand Littoral", intake)] == 6 and raw[("Beauce", intake)] == 5
    assert raw[("Grand Littoral", lease)] == 5 and raw[("Grand Littoral", crisis)] == 2
    assert grid[("Grand Littoral", intake)] == "6"
    assert grid[("Grand Littoral", lease)] == "5"
    assert grid[("Grand Littoral", crisis)] == "< 5"  # 2
    assert grid[("Grand Littoral", "Total")] == "13"
    assert grid[("Beauce", intake)] == "5"
    assert grid[("Beauce", lease)] == "< 5"  # 0
    # Beauce's zero in « lease » would be 5 − 5 in its column, and its other zeros would
    # follow from its total (18 − 13 = 5, all intakes): totals are hidden instead.
    assert grid[("Total", lease)] == "masqué"
    assert grid[("Beauce", "Total")] == "masqué"
    assert grid[("Total", intake)] == "11"
    assert grid[("Total", crisis)] == "masqué"  # 2
    assert grid[("Total", "Total")] == "masqué"
    _assert_safe(table)


def test_it_counts_referrals_and_residential_stability(personas, data):
    result = stats.casework_stats(personas["privacy_officer"], 2023)
    referrals = _grid(result.table("referrals"))
    accepted = str(ReferralOutcome.ACCEPTED.label)
    assert referrals[("Grand Littoral", accepted)] == "5"
    assert referrals[("Beauce", str(ReferralOutcome.REFUSED.label))] == "< 5"
    raw = result.table("referrals")
    assert (raw.total.raw, [c.raw for c in raw.row_totals]) == (10, [4, 6])  # Beauce first
    stability = result.table("stability")
    raw = {(t, c): cell.raw for t, cells, _ in stability.rows for c, cell in cells}
    assert raw[("Grand Littoral", str(Outcome.KEPT.label))] == 4
    assert raw[("Grand Littoral", str(Outcome.LOST.label))] == 1
    assert raw[("Beauce", str(Outcome.MOVED_BETTER.label))] == 2
    assert stability.total.raw == 7
    for table in result.tables:
        _assert_safe(table)


def test_it_limits_a_supervisor_to_their_territories(personas, data):
    result = stats.casework_stats(personas["supervisor_b"], 2023)
    assert [t.name for t in result.territories] == ["Beauce"]
    persons = _grid(result.table("persons"))
    assert persons == {("Beauce", "Personnes suivies"): "5", ("Total", "Personnes suivies"): "5"}
    assert "Grand Littoral" not in str(_grid(result.table("interventions")))


def test_it_shows_the_tables_on_a_page_with_a_year_choice(login, personas, data):
    client = login(personas["coordination"])
    response = client.get(reverse("casework:privacy-stats"), {"annee": "2023"})
    html = response.content.decode()
    assert "Année financière 2023-2024" in html
    assert "&lt; 5" in html
    assert "Interventions par type" in html
    # Counts only: no tenant's name. (Short names such as "P1" also matched random CSP nonces.)
    assert "Zéphirine" not in html and "Quenneville" not in html
    response = client.get(reverse("casework:privacy-stats"), {"annee": "abc"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_it_computes_with_a_constant_number_of_queries(
    login, world, personas, data, django_assert_max_num_queries
):
    client = login(personas["coordination"])
    url = reverse("casework:privacy-stats")
    client.get(url, {"annee": "2023"})
    with django_assert_max_num_queries(20) as small:
        client.get(url, {"annee": "2023"})
    for k in range(30):
        fu = _fu(world, personas["worker_a"], "ta" if k % 2 else "tb", dt.date(2023, 5, 1))
        make_intervention(fu, personas["worker_a"], dt.date(2023, 6, 1))
    with django_assert_max_num_queries(20) as large:
        client.get(url, {"annee": "2023"})
    assert len(large.captured_queries) == len(small.captured_queries)


def test_it_suppresses_a_hand_made_table():
    def cell(n):
        return stats.Cell(n, n)

    def total(n):
        return stats.Cell(n, n, is_total=True)

    table = stats.Table(
        key="t",
        title="t",
        columns=["x", "y"],
        row_labels=["r1", "r2"],
        cells=[[cell(10), cell(3)], [cell(8), cell(9)]],
        row_totals=[total(13), total(17)],
        column_totals=[total(18), total(12)],
        total=total(30),
    )
    stats.suppress(table)
    # 3 is hidden; 13 − 10 and 12 − 9 would give it away: the totals of its row and column
    # are hidden instead, never another cell; then 30 − 17 would give its row total back
    # (and 30 − 18 its column total): the grand total goes too.
    assert [[c.display for c in row] for row in table.cells] == [["10", "< 5"], ["8", "9"]]
    assert [c.display for c in table.row_totals + table.column_totals] == [
        "masqué", "17", "18", "masqué",
    ]  # fmt: skip
    assert table.total.display == "masqué"
    _assert_safe(table)
    _assert_safe(table)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=3).flatmap(
        lambda rows: st.integers(min_value=1, max_value=6 // rows).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(min_value=0, max_value=12), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_it_never_leaves_a_recoverable_cell(grid):
    territories = [type("T", (), {"pk": i, "name": f"T{i}"})() for i in range(len(grid))]
    categories = [(f"c{j}", f"c{j}") for j in range(len(grid[0]))]
    counts = {(i, f"c{j}"): v for i, row in enumerate(grid) for j, v in enumerate(row)}
    table = stats._table("t", "t", territories, categories, counts)
    _assert_safe(table)
    # Whatever is shown is the true count.
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            cell = table.cells[i][j]
            assert cell.suppressed or cell.value == value
