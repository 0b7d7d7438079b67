"""The evaluation dashboard: tiles by group for a period and an area, changes and trends,
defaults and bad parameters, and a number of queries that does not grow with the data.

The dataset (``reach_data``) is a few events with attendance; the reach figures expected below
are worked out by hand from it.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.display import format_value
from tremplin.evaluation.forms import default_period
from tremplin.evaluation.periods import Area, Period
from tremplin.events import services as event_services
from tremplin.events.models import EventStatus, RegistrationSource, Scope, StopAttendance
from tremplin.events.tests.conftest import at, make_event
from tremplin.testing.queries import query_count

from .fakes import fake_indicator, install

DASHBOARD = reverse("evaluation:dashboard")
FY2023 = "?kind=fy&year=2023"
# Session, user, membership, device; the stale check (2) and the values (1); areas (2).
MAX_QUERIES = 12


def counts(stop, providers=(), **numbers):
    attendance = StopAttendance(stop=stop, **numbers)
    return event_services.attendance_save(user=None, attendance=attendance, providers=providers)


def present(event, stop, name, provider=None, tenant=False):
    registration, _created = event_services.registration_submit(
        event=event,
        stop=stop,
        name=name,
        phone="418 555 0" + str(abs(hash(name)) % 900 + 100),
        source=RegistrationSource.STAFF,
        is_tenant=tenant,
    )
    if provider is not None:
        registration.provider = provider
        event_services.registration_update(user=None, registration=registration)
    event_services.registration_check_in(user=None, registration=registration, present=True)
    return registration


def build_reach(world, extra_events: int = 0):
    """FY2023 (2023-04-01..2024-03-31):

    - a held tour: Lévis 2023-10-01, counts 12 tenants + 5 staff + 3 partners + 1 other = 21,
      OMH A named; Saint-Georges 2023-10-03, counts 7 tenants + 2 others = 9, OMH B named;
    - a workshop in Lévis on 2024-02-10: two people checked in, one a tenant of OMH A;
    - an event in Québec (the other region) on 2023-05-01: 3 tenants counted.
    FY2022: a workshop in Lévis on 2022-06-01, 4 tenants + 1 other = 5, no provider.
    ``extra_events`` more workshops in Saint-Anselme in FY2023 with 1 tenant each.

    reach.people FY2023: program 35, region 12: 32, Grand Littoral 23, Beauce 9.
    reach.tenants FY2023: program 23, region 12: 20. reach.providers FY2023: 2 (A: 1, B: 1).
    """
    tour = make_event(
        title="Tournée régionale d'information",
        kind="tour",
        scope=Scope.REGIONAL,
        status=EventStatus.HELD,
        stops=[
            (world["levis"], at(dt.date(2023, 10, 1), 13)),
            (world["st_georges"], at(dt.date(2023, 10, 3), 13)),
        ],
    )
    levis, georges = tour.stops.order_by("starts_at")
    counts(levis, [world["omh_a"]], tenants=12, provider_staff=5, partners=3, others=1)
    counts(georges, [world["omh_b"]], tenants=7, others=2)
    workshop = make_event(
        title="Atelier budget",
        status=EventStatus.HELD,
        stops=[(world["levis"], at(dt.date(2024, 2, 10)))],
    )
    stop = workshop.stops.get()
    present(workshop, stop, "Rita Gagnon", world["omh_a"], tenant=True)
    present(workshop, stop, "Paul Roy")
    elsewhere = make_event(
        title="Atelier à Québec",
        status=EventStatus.HELD,
        stops=[(world["quebec"], at(dt.date(2023, 5, 1)))],
    )
    counts(elsewhere.stops.get(), tenants=3)
    before = make_event(
        title="Atelier 2022",
        status=EventStatus.HELD,
        stops=[(world["levis"], at(dt.date(2022, 6, 1)))],
    )
    counts(before.stops.get(), tenants=4, others=1)
    for n in range(extra_events):
        extra = make_event(
            title=f"Atelier {n}",
            status=EventStatus.HELD,
            stops=[(world["st_anselme"], at(dt.date(2023, 11, 1) + dt.timedelta(days=n)))],
        )
        counts(extra.stops.get(), tenants=1)
    return {"tour": tour, "workshop": workshop}


@pytest.fixture
def reach_data(world, personas):
    return build_reach(world)


def tile(html: str, label: str) -> str:
    """The HTML of the dashboard tile whose heading is ``label``."""
    for chunk in html.split('<li class="tile">')[1:]:
        if f">{escape(label)}</a></h3>" in chunk:
            return chunk.split("</li>")[0]
    raise AssertionError(f"no tile {label!r}")


def value_of(html: str, label: str) -> str:
    """The value shown on a tile."""
    found = re.search(r'class="tile__value"[^>]*>(?:<a [^>]*>)?([^<]*)<', tile(html, label))
    return found.group(1).strip()


def test_it_shows_the_reach_tiles_with_values_changes_and_trends(
    client, login, personas, reach_data
):
    login(personas["coordination"])
    response = client.get(DASHBOARD + FY2023)
    assert response.status_code == 200
    html = response.content.decode()
    people = tile(html, "Personnes rejointes")
    assert (
        'class="tile__value"><a href="/evaluation/indicateurs/reach.people/enregistrements/?period=fy2023&amp;area=all">35'
        in people
    )
    # 35 in 2023-2024, 5 in 2022-2023: +30, with words for screen readers.
    assert '<span aria-hidden="true">+30</span>' in people
    assert "en hausse de 30 par rapport à 2022-2023" in people
    assert 'role="img"' in people
    assert (
        "2019-2020 : 0 ; 2020-2021 : 0 ; 2021-2022 : 0 ; 2022-2023 : 5 ; 2023-2024 : 35" in people
    )
    assert "style=" not in people
    assert "Personnes présentes aux étapes" in people  # the definition, in <details>
    assert value_of(html, "Locataires rejoints") == "23"
    assert value_of(html, "Organismes d'habitation rejoints") == "2"
    assert '<span aria-hidden="true">+2</span>' in tile(html, "Organismes d'habitation rejoints")
    # Sections follow the catalogue's groups, with their labels.
    assert '<h2 id="group-reach">Rejoindre</h2>' in html
    assert (
        reverse("evaluation:indicator", args=["reach.people"]) + "?period=fy2023&amp;area=all"
        in html
    )


def test_it_orders_sections_by_group_order(client, login, personas, reach_data):
    login(personas["coordination"])
    html = client.get(DASHBOARD + FY2023).content.decode()
    found = re.findall(r'<h2 id="group-([a-z_]+)">', html)
    order = [g for g in catalogue.GROUP_ORDER if g in found]
    assert found[: len(order)] == order
    assert found[0] == "reach"


def test_it_filters_by_region_and_territory(client, login, personas, world, reach_data):
    login(personas["coordination"])
    region = world["region"].pk
    html = client.get(DASHBOARD + f"{FY2023}&area=region:{region}").content.decode()
    assert value_of(html, "Personnes rejointes") == "32"
    html = client.get(DASHBOARD + f"{FY2023}&area=territory:{world['ta'].pk}").content.decode()
    assert value_of(html, "Personnes rejointes") == "23"
    assert "2022-2023 : 5 ; 2023-2024 : 23" in tile(html, "Personnes rejointes")
    html = client.get(DASHBOARD + f"{FY2023}&area=territory:{world['tb'].pk}").content.decode()
    assert value_of(html, "Personnes rejointes") == "9"
    assert "Beauce" in html


def test_it_offers_every_region_and_territory_grouped_by_region(client, login, personas, world):
    login(personas["organizer_a"])
    html = client.get(DASHBOARD).content.decode()
    assert re.search(r'<option value="all" selected>L&#x27;ensemble du programme</option>', html)
    assert '<optgroup label="Territoires — Chaudière-Appalaches">' in html
    assert '<optgroup label="Régions">' in html
    assert f'value="territory:{world["ta"].pk}"' in html
    assert f'value="region:{world["region"].pk}"' in html
    assert 'value="fy"' in html and 'value="cy"' in html


def test_it_defaults_to_the_last_fiscal_year_that_has_ended(client, login, personas):
    login(personas["coordination"])
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    period = default_period()
    assert period.start.month == 4 and period.end < dt.date.today()
    assert period.end >= dt.date.today() - dt.timedelta(days=366)
    assert response.context["period"] == period
    assert response.context["area"] == Area()
    html = response.content.decode()
    assert f"{period.label} · L" in html
    assert f'<option value="{period.year}" selected>' in html


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?kind=xx&year=2023",
        "?kind=fy&year=1850",
        "?kind=fy&year=2023&area=territory:999999",
        "?kind=fy&year=2023&area=nowhere",
        "?kind=fy&year=2023&area=region:",
        "?period=zz99",
        "?period=2008-04-01..2009-03-31",
    ],
)
def test_it_shows_a_french_error_and_the_defaults_on_bad_parameters(client, login, personas, query):
    login(personas["coordination"])
    response = client.get(DASHBOARD + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Certains choix ne sont pas valides" in html
    assert 'class="errorlist' in html
    assert response.context["period"] == default_period()
    assert response.context["area"] == Area()


def test_it_accepts_the_period_key_of_the_other_pages(client, login, personas, world, reach_data):
    login(personas["coordination"])
    response = client.get(DASHBOARD + f"?period=fy2023&area=territory:{world['tb'].pk}")
    assert response.status_code == 200
    assert response.context["period"] == Period.fiscal(2023)
    assert response.context["area"] == Area("territory", world["tb"].pk)
    response = client.get(DASHBOARD + "?kind=cy&year=2023")
    assert response.context["period"] == Period.calendar(2023)
    # Calendar 2023 holds the tour, the Québec event and not the February 2024 workshop.
    assert value_of(response.content.decode(), "Personnes rejointes") == "33"


def test_it_links_to_the_highlights_and_the_exports(client, login, personas, world):
    login(personas["coordination"])
    html = client.get(DASHBOARD + f"{FY2023}&area=region:{world['region'].pk}").content.decode()
    query = f"period=fy2023&amp;area=region%3A{world['region'].pk}"
    assert f"{reverse('evaluation:report-list')}?{query}" in html
    assert f"{reverse('evaluation:export', args=['xlsx'])}?{query}" in html
    assert f"{reverse('evaluation:export', args=['csv'])}?{query}" in html


def reach_query_counts(client, world, url, on_commit) -> tuple[int, int]:
    """The queries of ``url`` over the reach dataset, then over twice it and 25 more workshops
    (``on_commit``: ``django_capture_on_commit_callbacks``, since saving marks values stale)."""
    counts = []
    for extra_events in (0, 25):
        with on_commit(execute=True):
            build_reach(world, extra_events=extra_events)
        counts.append(query_count(client, url))  # its first read computes what is stale
    return counts[0], counts[1]


def test_it_makes_a_constant_number_of_queries(
    client, login, personas, world, django_capture_on_commit_callbacks
):
    login(personas["coordination"])
    url = DASHBOARD + f"{FY2023}&area=region:{world['region'].pk}"
    small, large = reach_query_counts(client, world, url, django_capture_on_commit_callbacks)
    assert small == large <= MAX_QUERIES
    html = client.get(url).content.decode()
    # Twice the first dataset (2 × 32 in region 12) and 25 workshops of 1 tenant each.
    assert value_of(html, "Personnes rejointes") == "89"


def test_it_notes_indicators_counted_only_for_the_whole_program(
    client, login, personas, world, whole_only
):
    login(personas["coordination"])
    html = client.get(DASHBOARD + FY2023).content.decode()
    assert value_of(html, "Indicateur d'essai du programme") == "7"
    html = client.get(DASHBOARD + f"{FY2023}&area=territory:{world['ta'].pk}").content.decode()
    chunk = tile(html, "Indicateur d'essai du programme")
    assert "n'est calculé que pour l'ensemble du programme" in chunk
    assert "?period=fy2023&amp;area=all" in chunk


@pytest.fixture
def whole_only(monkeypatch, db):
    """A test indicator counted only for the whole program: 7 in any period."""
    return install(
        monkeypatch,
        fake_indicator("test.whole", "Indicateur d'essai du programme", value=7, territorial=False),
    )


def test_it_matches_a_from_scratch_computation(client, login, personas, world, reach_data):
    login(personas["coordination"])
    period, area = Period.fiscal(2023), Area("region", world["region"].pk)
    response = client.get(DASHBOARD + f"{FY2023}&area={area.key}")
    for section in response.context["sections"]:
        for t in section.tiles:
            expected = engine.compute_one(t.indicator, period, area)
            if t.applies:
                assert t.value == format_value(t.indicator, expected), t.indicator.id
    assert engine.compute_one(catalogue.get("reach.people"), period, area) == Decimal(32)
