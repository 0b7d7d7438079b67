"""The search engine on both databases: prefix, accents, case, AND, phrase, bad input, and
the index kept by triggers through every kind of write."""

import pytest
from django.db import connection

from tremplin.housing.models import Building, HousingProvider, ProviderKind
from tremplin.partners.models import Partner, PartnerKind
from tremplin.search import query as search
from tremplin.search.query import Term, parse

pytestmark = pytest.mark.django_db


def _partners(*names):
    return Partner.objects.bulk_create(Partner(name=n, kind=PartnerKind.OTHER) for n in names)


def names(qs, text):
    return sorted(p.name for p in search.filter(qs, text))


def test_it_parses_words_as_prefixes_and_quotes_as_phrases():
    assert parse('Café "cuisine collective" l\'Île') == [
        Term(("cafe",), True),
        Term(("cuisine", "collective"), False),
        Term(("l", "ile"), True),
    ]
    assert parse("%_*-\"'") == [] and parse("   ") == [] and parse("🏠 🙂") == []
    assert parse("a") == [Term(("a",), False)]  # one letter: a whole word, not a prefix
    assert len(parse("mot " * 5000)) == 8


def test_it_finds_by_prefix_ignoring_accents_and_case():
    _partners("Café de la Côte", "Coopérative L'Élan", "Caisse Desjardins")
    qs = Partner.objects.all()
    assert names(qs, "caf") == ["Café de la Côte"]
    assert names(qs, "CAFÉ") == ["Café de la Côte"]
    assert names(qs, "cote") == ["Café de la Côte"]
    assert names(qs, "ÉLAN") == ["Coopérative L'Élan"]
    assert names(qs, "ca") == ["Café de la Côte", "Caisse Desjardins"]
    assert names(qs, "fé") == []  # a prefix, not a part in the middle of a word


def test_it_ands_words_and_matches_phrases_in_order():
    _partners("Cuisine collective de Lévis", "Collective des cuisines", "Cuisine de Lévis")
    qs = Partner.objects.all()
    assert names(qs, "cuisine lévis") == ["Cuisine collective de Lévis", "Cuisine de Lévis"]
    assert names(qs, '"cuisine collective"') == ["Cuisine collective de Lévis"]
    assert names(qs, '"collective cuisine"') == []
    assert names(qs, 'levis "cuisine collective"') == ["Cuisine collective de Lévis"]
    if connection.vendor == "postgresql":  # French stemming: a plural finds the singular
        assert names(qs, "cuisines lévis") == ["Cuisine collective de Lévis", "Cuisine de Lévis"]


@pytest.mark.parametrize(
    "text",
    [
        "100%",
        "%",
        "_",
        "a_b",
        "'",
        '"',
        '"""',
        "NEAR(a b)",
        "cuisine NEAR lévis",
        "*",
        "caf*",
        "-cuisine",
        "cuisine -lévis",
        "x" * 10_000,
        "!!! ??? ...",
        "🏠🙂",
        "'; DROP TABLE partners_partner; --",
        "\\",
        "AND OR NOT",
        "col:cuisine",
        "^cuisine",
        "\x00",
    ],
)
def test_it_never_fails_on_bad_input(text):
    _partners("Cuisine collective de Lévis")
    qs = Partner.objects.all()
    assert isinstance(names(qs, text), list)
    assert isinstance(search.query(qs, text), list)
    assert search.count(qs, text) >= 0
    assert Partner.objects.count() == 1


def test_it_ranks_title_matches_first_and_marks_the_words():
    Partner.objects.bulk_create(
        [
            Partner(name="Comité Nord", short_name="logement", kind=PartnerKind.OTHER),
            Partner(name="Logement <b>Plus</b>", kind=PartnerKind.OTHER),
        ]
    )
    hits = search.query(Partner.objects.all(), "logem")
    assert [h.name for h in hits] == ["Logement <b>Plus</b>", "Comité Nord"]
    # Escaped text, the matched word in <mark>: the name's own tags are never HTML.
    assert str(hits[0].search_title) == "<mark>Logement</mark> &lt;b&gt;Plus&lt;/b&gt;"
    assert str(hits[1].search_snippet) == "<mark>logement</mark>"
    assert search.count(Partner.objects.all(), "logement") == 2
    assert search.count(Partner.objects.all(), "logement", cap=1) == 2  # cap + 1: "1+"
    assert search.count(Partner.objects.all(), "nord logement") == 1


def test_it_searches_only_within_the_queryset_given():
    _partners("Logement Nord", "Logement Sud")
    qs = Partner.objects.filter(name__endswith="Sud")
    assert names(qs, "logement") == ["Logement Sud"]
    assert [p.name for p in search.query(qs, "logement")] == ["Logement Sud"]
    assert search.count(qs, "logement") == 1


def test_it_keeps_the_index_through_update_queryset_update_and_delete():
    (p,) = _partners("Table de concertation")
    qs = Partner.objects.all()
    p.name = "Table régionale"
    p.save()
    assert names(qs, "concertation") == [] and names(qs, "regionale") == ["Table régionale"]
    Partner.objects.filter(pk=p.pk).update(short_name="TRC Bellechasse")
    assert names(qs, "bellech") == ["Table régionale"]
    Partner.objects.filter(pk=p.pk).delete()
    assert names(qs, "table") == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_partner")
        assert cursor.fetchone()[0] == 0


def test_it_indexes_buildings_with_their_municipality_and_provider(world):
    qs = Building.objects.all()
    assert [b.pk for b in search.filter(qs, "levis saint-louis")] == [world["building_a"].pk]
    assert [b.pk for b in search.filter(qs, "georges")] == [world["building_b"].pk]
    # The provider's name is part of its buildings' text; the provider's search_key holds
    # its buildings' addresses (kept by housing.services.provider_refresh).
    assert [b.pk for b in search.filter(qs, "office saint-georges")] == [world["building_b"].pk]
    providers = HousingProvider.objects.all()
    assert [p.pk for p in search.filter(providers, "18e rue")] == [world["omh_b"].pk]
    new = HousingProvider.objects.bulk_create(
        [HousingProvider(kind=ProviderKind.COOP, name="Coop La Ruche", municipality=world["levis"])]
    )
    assert [p.pk for p in search.filter(providers, "ruche lévis")] == [new[0].pk]
