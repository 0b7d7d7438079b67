"""The Répertoire list: search, filters, sort, totals, pagination and query budget."""

import pytest
from django.urls import reverse

from tremplin.conftest import make_building, make_provider
from tremplin.housing.models import Building, ProviderKind

URL = reverse("housing:directory")


def names(response):
    return [p.name for p in response.context["rows"]]


@pytest.fixture
def coordination(personas, login):
    return login(personas["coordination"])


def test_it_redirects_anonymous_visitors_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_shows_nothing_to_a_user_without_a_role(personas, login):
    assert login(personas["no_role"]).get(URL).status_code == 404


@pytest.mark.parametrize(
    "role", ["coordination", "organizer_a", "worker_b", "housing_manager", "partner", "researcher"]
)
def test_it_lets_every_program_role_read_the_directory(personas, login, role):
    response = login(personas[role]).get(URL)
    assert response.status_code == 200
    assert "Office municipal d'habitation de Lévis" in names(response)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("levis", ["Office municipal d'habitation de Lévis"]),
        ("LÉVIS", ["Office municipal d'habitation de Lévis"]),
        ("saint-georges", ["Office municipal d'habitation de Saint-Georges"]),
        ("georges office", ["Office municipal d'habitation de Saint-Georges"]),
        ("beauce", ["Office municipal d'habitation de Saint-Georges"]),  # territory name
        ("18e rue", ["Office municipal d'habitation de Saint-Georges"]),  # a building's address
        ("montmagny", []),
    ],
)
def test_it_searches_without_regard_to_accents_or_case(coordination, query, expected):
    assert names(coordination.get(URL, {"q": query})) == expected


def test_it_finds_montmagny_once_a_provider_is_there(coordination, world):
    from tremplin.territories.models import Mrc, Municipality

    mrc = Mrc.objects.create(
        region=world["region"], territory=world["tb"], code="18", name="Montmagny"
    )
    town = Municipality.objects.create(mrc=mrc, code="18050", name="Montmagny")
    make_provider("OMH de Montmagny", town)
    assert names(coordination.get(URL, {"q": "montmagny"})) == ["OMH de Montmagny"]


def test_it_filters_by_territory_mrc_team_kind_and_clientele(coordination, world):
    lev, stg = (
        "Office municipal d'habitation de Lévis",
        "Office municipal d'habitation de Saint-Georges",
    )
    assert names(coordination.get(URL, {"territory": "grand-littoral"})) == [lev]
    assert names(coordination.get(URL, {"territory": "beauce"})) == [stg]
    assert names(coordination.get(URL, {"mrc": "29"})) == [stg]
    assert names(coordination.get(URL, {"team": str(world["team"].public_id)})) == [lev]
    assert names(coordination.get(URL, {"kind": "coop"})) == []
    assert names(coordination.get(URL, {"kind": "omh"})) == [lev, stg]
    assert names(coordination.get(URL, {"clientele": "familles"})) == [stg]
    assert names(coordination.get(URL, {"clientele": "aines", "territory": "beauce"})) == []


def test_it_ignores_unknown_filter_values_instead_of_failing(coordination):
    response = coordination.get(
        URL, {"territory": "nowhere", "page": "abc", "per_page": "9999", "sort": "drop"}
    )
    assert response.status_code == 200


def test_it_sorts_by_units_and_name(coordination):
    # Lévis has 24 units, Saint-Georges 14.
    assert names(coordination.get(URL, {"sort": "-units"}))[0].endswith("Lévis")
    assert names(coordination.get(URL, {"sort": "units"}))[0].endswith("Saint-Georges")
    assert names(coordination.get(URL, {"sort": "-name"}))[0].endswith("Saint-Georges")


def test_it_counts_providers_buildings_and_units_of_the_filtered_list(coordination, world):
    totals = coordination.get(URL).context["totals"]
    expected_units = sum(b.total_units for b in Building.objects.all())
    assert totals == {"providers": 2, "buildings": 2, "units": expected_units}
    assert expected_units == 24 + 14
    totals = coordination.get(URL, {"territory": "beauce"}).context["totals"]
    assert totals == {"providers": 1, "buildings": 1, "units": 14}


def test_it_shows_the_totals_in_quebec_style(coordination, world):
    for i in range(3):
        make_building(
            world["omh_a"],
            f"{i} rue du Fleuve",
            world["levis"],
            postal_code="G6V 1A1",
            units_1br=400,
        )
    html = coordination.get(URL).content.decode()
    assert (
        "1\u202f238 logements" in html
    )  # 24 + 14 + 3 × 400, thousands with a narrow no-break space


def test_it_paginates(coordination, world):
    for i in range(30):
        make_provider(f"Coop {i:02d}", world["levis"], ProviderKind.COOP)
    first = coordination.get(URL, {"kind": "coop"})
    assert len(first.context["rows"]) == 25 and first.context["pages"] == 2
    second = coordination.get(URL, {"kind": "coop", "page": 2})
    assert names(second) == [f"Coop {i:02d}" for i in range(25, 30)]
    assert len(coordination.get(URL, {"kind": "coop", "per_page": 50}).context["rows"]) == 30
    # A page past the end shows the last page rather than an error.
    assert names(coordination.get(URL, {"kind": "coop", "page": 99})) == names(second)


def test_it_renders_only_the_results_for_htmx_requests(coordination):
    response = coordination.get(URL, {"q": "levis"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html


def test_it_keeps_the_query_count_constant_whatever_the_size(
    coordination, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15) as small:
        coordination.get(URL, {"per_page": 100, "sort": "-units", "clientele": "aines"})
    for i in range(60):
        p = make_provider(f"OSBL {i}", world["st_anselme"], ProviderKind.OSBL)
        make_building(
            p,
            f"{i} rue Principale",
            world["st_anselme"],
            clienteles=[world["seniors"]],
            postal_code="G0R 2N0",
            units_1br=3,
        )
    with django_assert_max_num_queries(15) as large:
        coordination.get(URL, {"per_page": 100, "sort": "-units", "clientele": "aines"})
    assert len(large.captured_queries) == len(small.captured_queries)
