"""An indicator's page (trend, breakdowns, comparison of areas, each with a chart and its data
table, every value linking to its records) and the records page.

Besides the reach indicators and the dataset of test_dashboard.py, two test indicators:
``test.small`` (individual support: suppressed counts, aggregates only) and ``test.many``
(records cut at 500).
"""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import escape

from tremplin.evaluation import catalogue
from tremplin.evaluation.catalogue import Breakdown, RecordTable

from .fakes import fake_indicator, install
from .test_dashboard import build_reach, reach_query_counts


def indicator_url(indicator_id, query=""):
    return reverse("evaluation:indicator", args=[indicator_id]) + query


def records_url(indicator_id, query=""):
    return reverse("evaluation:records", args=[indicator_id]) + query


def rows_of(html: str, caption: str) -> dict[str, str]:
    """{row header: cell text} of the table with this caption."""
    table = html.split(f"<caption>{escape(caption)}</caption>")[1].split("</table>")[0]
    found = {}
    for header, cell in re.findall(
        r'<th scope="row">(.*?)</th>\s*<td class="num">(.*?)</td>', table, re.S
    ):
        header = re.sub(r"<[^>]+>.*", "", header).strip()
        cell = re.sub(r'<span class="visually-hidden">.*?</span>', "", cell)
        found[unescape(header)] = unescape(re.sub(r"<[^>]+>", "", cell).strip())
    return found


@pytest.fixture
def reach_data(world, personas):
    return build_reach(world)


@pytest.fixture
def small(monkeypatch, world):
    """Individual support, by kind: a = 3 (Grand Littoral), b = 6 and c = 10 (Beauce), d none.
    Totals: Grand Littoral 3, Beauce 16, region and program 19."""
    ta, tb = world["ta"].pk, world["tb"].pk

    def rows(period, breakdown):
        if breakdown == "kind":
            return [(ta, None, "a", None, 3), (tb, None, "b", None, 6), (tb, None, "c", None, 10)]
        return [(ta, None, "", None, 3), (tb, None, "", None, 16)]

    indicator = fake_indicator(
        "test.small",
        "Petits nombres d'essai",
        rows=rows,
        breakdowns=(
            Breakdown(
                "kind",
                "Sorte",
                lambda: {"a": "Sorte A", "b": "Sorte B", "c": "Sorte C", "d": "Sorte D"},
            ),
        ),
        audience=catalogue.CASE_STATS,
        suppress_below=5,
    )
    return install(monkeypatch, indicator)


@pytest.fixture
def many(monkeypatch, db):
    def records(user, period, area, breakdown, item):
        rows = [([f"Ligne {n}", n], f"/ligne/{n}/") for n in range(500)]
        return RecordTable(["Nom", "Numéro"], rows, total=650, note="Une note d'essai.")

    return install(
        monkeypatch,
        fake_indicator("test.many", "Beaucoup d'enregistrements", value=650, records=records),
    )


def test_it_shows_an_indicator_with_its_trend_breakdowns_and_areas(
    client, login, personas, world, reach_data
):
    login(personas["coordination"])
    response = client.get(indicator_url("reach.people", "?period=fy2023&area=all"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Personnes rejointes</h1>" in html
    assert "Présences aux étapes des événements publiés ou tenus" in html  # source
    assert "nombre" in html  # unit
    trend = rows_of(html, "Valeur des 10 dernières périodes")
    assert list(trend)[0] == "2014-2015" and list(trend)[-1] == "2023-2024"
    assert trend["2022-2023"] == "5" and trend["2023-2024"] == "35" and trend["2018-2019"] == "0"
    kinds = rows_of(html, "Type d'événement, 2023-2024")
    assert kinds["Tournée d'information"] == "30" and kinds["Atelier"] == "5"
    areas = rows_of(html, "Valeur par région et territoire, 2023-2024")
    assert areas == {
        "Capitale-Nationale": "3",
        "Chaudière-Appalaches": "32",
        "Beauce (Chaudière-Appalaches)": "9",
        "Grand Littoral (Chaudière-Appalaches)": "23",
        "Québec (Capitale-Nationale)": "3",
    }
    # Three charts (trend, breakdown, areas), as images with a text alternative and a caption.
    assert html.count('<img class="chart" src="data:image/svg+xml;base64,') == 3
    assert 'alt="Graphique à barres : Type d&#x27;événement.' in html
    assert html.count("<figcaption>") == 3
    assert "style=" not in html.split("<main")[1]
    # Every value leads to its records, with the same period, area, breakdown and item.
    assert (
        records_url(
            "reach.people", "?period=fy2023&amp;area=all&amp;breakdown=event_kind&amp;item=tour"
        )
        in html
    )
    assert records_url("reach.people", "?period=fy2022&amp;area=all") in html
    assert (
        records_url("reach.people", f"?period=fy2023&amp;area=territory%3A{world['tb'].pk}") in html
    )


def test_it_compares_the_territories_of_a_region(client, login, personas, world, reach_data):
    login(personas["organizer_b"])
    region = world["region"].pk
    html = client.get(
        indicator_url("reach.people", f"?period=fy2023&area=region:{region}")
    ).content.decode()
    areas = rows_of(html, "Valeur par région et territoire, 2023-2024")
    assert areas == {"Beauce": "9", "Grand Littoral": "23", "Chaudière-Appalaches": "32"}
    assert '<tfoot><tr><th scope="row">Chaudière-Appalaches</th>' in html
    html = client.get(
        indicator_url("reach.people", f"?period=fy2023&area=territory:{world['tb'].pk}")
    ).content.decode()
    assert rows_of(html, "Type d'événement, 2023-2024")["Tournée d'information"] == "9"
    assert 'class="is-current"' in html


@pytest.mark.parametrize(
    "query",
    ["?period=fy20x", "?period=2009-01-01..2008-01-01", "?area=territory:999999", "?area=mars"],
)
def test_it_falls_back_to_the_defaults_on_bad_keys(client, login, personas, query):
    login(personas["coordination"])
    for url in (indicator_url("reach.people", query), records_url("reach.people", query)):
        response = client.get(url)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
        assert "voici" in response.content.decode()


def test_it_answers_404_for_an_unknown_indicator(client, login, personas):
    login(personas["coordination"])
    assert client.get(indicator_url("nothing.here")).status_code == 404
    assert client.get(records_url("nothing.here")).status_code == 404


def test_it_suppresses_small_counts_and_what_would_reveal_them(
    client, login, personas, world, small
):
    login(personas["supervisor_a"])
    html = client.get(indicator_url("test.small", "?period=fy2023&area=all")).content.decode()
    kinds = rows_of(html, "Sorte, 2023-2024")
    # a = 3 is suppressed; b = 6 would give it away (19 − 6 − 10): hidden as well.
    assert kinds == {"Sorte A": "< 5", "Sorte B": "masqué", "Sorte C": "10", "Sorte D": "0"}
    assert "item=a" not in html and "item=b" not in html  # no records link behind them
    assert "item=c" in html
    areas = rows_of(html, "Valeur par région et territoire, 2023-2024")
    # Grand Littoral = 3 is suppressed; Beauce = 16 would give it away from the region's 19.
    assert areas["Grand Littoral (Chaudière-Appalaches)"] == "< 5"
    assert areas["Beauce (Chaudière-Appalaches)"] == "masqué"
    assert areas["Chaudière-Appalaches"] == "19"
    assert "Les nombres de 1 à 4 ne sont jamais montrés" in html
    assert "6" not in "".join(kinds.values()) and "16" not in "".join(areas.values())
    # The tile of the dashboard for Grand Littoral shows "< 5" and links to no records.
    html = client.get(
        reverse("evaluation:dashboard") + f"?kind=fy&year=2023&area=territory:{world['ta'].pk}"
    ).content.decode()
    assert 'class="tile__value">&lt; 5</p>' in html


def test_it_explains_aggregates_only_on_the_records_page(client, login, personas, small):
    login(personas["privacy_officer"])
    response = client.get(
        records_url("test.small", "?period=fy2023&area=all&breakdown=kind&item=c")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sorte : Sorte C" in html
    assert "Valeur de l'indicateur : <strong>10</strong>" in html.replace("&#x27;", "'")
    assert "aucun enregistrement individuel n'est montré" in html
    # The breakdown tables instead, with the same suppression.
    kinds = rows_of(html, "Sorte, 2023-2024")
    assert kinds["Sorte A"] == "< 5" and kinds["Sorte B"] == "masqué"
    hidden = client.get(records_url("test.small", "?period=fy2023&area=all&breakdown=kind&item=b"))
    assert "<strong>masqué</strong>" in hidden.content.decode()


def test_it_lists_the_records_behind_a_value(client, login, personas, world, reach_data):
    login(personas["coordination"])
    response = client.get(records_url("reach.people", "?period=fy2023&area=all"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "4 enregistrements" in html
    assert "<strong>35</strong>" in html
    tour = reach_data["tour"]
    assert reverse("events:event-detail", args=[tour.public_id]) in html
    assert 'data-label="Événement"' in html
    response = client.get(
        records_url(
            "reach.people",
            f"?period=fy2023&area=territory:{world['ta'].pk}&breakdown=event_kind&item=tour",
        )
    )
    html = response.content.decode()
    assert (
        "1 enregistrement" in html and "Type d&#x27;événement : Tournée d&#x27;information" in html
    )
    assert "<strong>21</strong>" in html


def test_it_lists_only_the_records_the_role_may_open(client, login, personas, reach_data):
    login(personas["organizer_b"])
    html = client.get(records_url("reach.people", "?period=fy2023&area=all")).content.decode()
    assert "2 enregistrements" in html  # the regional tour's stops; not others' workshops
    login(personas["partner"])
    response = client.get(records_url("reach.people", "?period=fy2023&area=all"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre rôle ne donne pas accès à ces enregistrements" in html
    assert rows_of(html, "Type d'événement, 2023-2024")["Tournée d'information"] == "30"


def test_it_says_when_records_are_cut(client, login, personas, many):
    login(personas["coordination"])
    html = client.get(records_url("test.many", "?period=fy2023")).content.decode()
    assert "650 enregistrements, les 500 premiers affichés" in html
    assert html.count('<a href="/ligne/') == 500
    assert "Une note d&#x27;essai." in html


def test_it_ignores_an_unknown_breakdown(client, login, personas, reach_data):
    login(personas["coordination"])
    response = client.get(records_url("reach.people", "?period=fy2023&breakdown=nope&item=x"))
    assert response.status_code == 400
    assert "Cette répartition n&#x27;existe pas" in response.content.decode()


def test_it_shows_the_whole_program_for_an_indicator_counted_only_there(
    client, login, personas, world, monkeypatch
):
    whole = fake_indicator(
        "test.whole", "Programme seulement", value=255000, unit=catalogue.MONEY, territorial=False
    )
    install(monkeypatch, whole)
    login(personas["coordination"])
    url = indicator_url("test.whole", f"?period=fy2023&area=territory:{world['ta'].pk}")
    html = client.get(url).content.decode()
    assert "n'est calculé que pour l'ensemble du programme" in html
    assert rows_of(html, "Valeur des 10 dernières périodes")["2023-2024"] == "255\u202f000\u00a0$"
    assert "Comparaison des territoires" not in html


def test_it_moves_between_periods(client, login, personas, reach_data):
    login(personas["coordination"])
    html = client.get(indicator_url("reach.people", "?period=fy2023&area=all")).content.decode()
    assert 'href="?period=fy2022&amp;area=all">← 2022-2023</a>' in html
    assert 'href="?period=fy2024&amp;area=all">2024-2025 →</a>' in html
    html = client.get(indicator_url("reach.people", "?period=cy2023&area=all")).content.decode()
    assert rows_of(html, "Valeur des 10 dernières périodes")["2023"] == "33"
    for key in ("cy0001", "fy9999", "cy1949"):
        response = client.get(indicator_url("reach.people", f"?period={key}"))
        assert response.status_code == 400, key


def test_it_reads_an_indicator_page_in_a_constant_number_of_queries(
    client, login, personas, world, django_capture_on_commit_callbacks
):
    # #21: the page (trend, breakdowns, areas) costs the same whatever the size of the data.
    login(personas["coordination"])
    url = indicator_url("reach.providers", f"?period=fy2023&area=region:{world['region'].pk}")
    small, large = reach_query_counts(client, world, url, django_capture_on_commit_callbacks)
    assert small == large <= 40
