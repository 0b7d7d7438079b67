"""Charts: SVG safe for the Content-Security-Policy, PNG for Word, gaps for missing values,
and the hand-drawn sparklines of the dashboard's tiles."""

import re

import pytest
from django.core.cache import cache
from django.utils import translation

from tremplin.evaluation import charts
from tremplin.evaluation.catalogue import COUNT, MONEY, PERCENT


@pytest.fixture(autouse=True)
def _no_cached_charts():
    cache.clear()
    yield
    cache.clear()


def texts(svg: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def _csp_safe(svg: str) -> None:
    assert svg.startswith("<svg ")
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    assert "<?xml" not in svg and "<metadata" not in svg


def test_it_draws_horizontal_bars_with_values_and_gaps():
    svg = charts.bars(["Atelier", "Tournée d'information", "Forum"], [5, 30, None], unit=COUNT)
    _csp_safe(svg)
    found = texts(svg)
    assert {"Atelier", "Tournée d'information", "Forum", "5", "30", "—"} <= set(found)


def test_it_draws_columns_over_periods():
    labels = ["2019-2020", "2020-2021", "2021-2022", "2022-2023", "2023-2024"]
    svg = charts.trend(labels, [0, None, 2.5, 62.5, 70], unit=PERCENT)
    _csp_safe(svg)
    found = texts(svg)
    assert set(labels) <= set(found)
    assert "—" in found and "62,5 %" in found and "2,5 %" in found


def test_it_keeps_dollar_signs_as_text_and_takes_given_labels():
    with translation.override("fr"):
        svg = charts.bars(
            ["Ville de Lévis ($)", "B"],
            [255000, None],
            unit=MONEY,
            value_labels=["255 000 $", "< 5"],
        )
    found = texts(svg)
    assert "Ville de Lévis ($)" in found and "255 000 $" in found and "&lt; 5" in found
    with translation.override("fr"):
        default = charts.bars(["A"], [255000], unit=MONEY)
    assert "255\u202f000\u00a0$" in texts(default)


def test_it_draws_png_for_word_reports():
    png = charts.trend(["2022", "2023"], [1, 2], unit=COUNT, fmt="png")
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG\r\n\x1a\n")
    png = charts.bars(["A"], [None], unit=COUNT, fmt="png")
    assert png.startswith(b"\x89PNG")


def test_it_draws_empty_charts_without_failing():
    _csp_safe(charts.bars([], [], unit=COUNT))
    _csp_safe(charts.trend(["2023"], [None], unit=COUNT))


def test_it_caches_word_charts_by_their_figures(monkeypatch):
    drawn = []
    draw = charts._bars_figure
    monkeypatch.setattr(charts, "_bars_figure", lambda *a: drawn.append(a) or draw(*a))
    first = charts.bars(["A", "B"], [1, 2], unit=COUNT, fmt="png")
    assert charts.bars(["A", "B"], [1, 2], unit=COUNT, fmt="png") == first
    assert len(drawn) == 1
    assert charts.bars(["A", "B"], [1, 3], unit=COUNT, fmt="png") != first
    assert len(drawn) == 2


def test_it_draws_page_charts_without_matplotlib(monkeypatch):
    # An indicator's page draws up to seven charts: matplotlib took ~70 ms each (#21).
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # any import of it now fails
    svg = charts.bars(["Atelier", "Forum"], [3, -1], unit=COUNT)
    _csp_safe(svg)
    assert {"Atelier", "Forum", "3", "-1"} <= set(texts(svg))
    svg = charts.trend(["2023-2024", "2024-2025"], [4, None], unit=COUNT)
    _csp_safe(svg)
    assert {"2023-2024", "2024-2025", "4", "—"} <= set(texts(svg))


def test_it_draws_bars_in_proportion_to_their_values():
    svg = charts.bars(["A", "B", "C"], [10, 5, None], unit=COUNT)
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert len(widths) == 2  # no bar for the missing value
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)
    columns = charts.trend(["2022", "2023", "2024"], [2, 8, 4], unit=COUNT)
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([0-9.]+)"', columns)]
    assert heights[1] == pytest.approx(4 * heights[0], rel=0.01)
    assert heights[2] == pytest.approx(2 * heights[0], rel=0.01)


def test_it_draws_an_accessible_sparkline_with_gaps():
    svg = str(charts.sparkline([1, None, 3, 4, 5], "Tendance : 2019-2020 : 1 ; 2020-2021 : < 5"))
    assert 'role="img"' in svg
    assert 'aria-label="Tendance : 2019-2020 : 1 ; 2020-2021 : &lt; 5"' in svg
    assert "style" not in svg
    assert svg.count("<polyline") == 1  # 1 stands alone after the gap; 3-4-5 are joined
    assert svg.count("<circle") == 4
    empty = str(charts.sparkline([None, None], "Aucune valeur"))
    assert "<polyline" not in empty and "<circle" not in empty


def test_survey_percentages_are_drawn_on_a_scale_of_100():
    from tremplin.surveys.charts import bar_chart

    svg = bar_chart(["Oui", "Non"], [10, 5])
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    full = 640 - 84 - (8 + 200 + 8)  # the bars' room (core.charts.bars)
    assert widths[0] == pytest.approx(full * 0.10, rel=0.01)
    assert widths[1] == pytest.approx(full * 0.05, rel=0.01)
