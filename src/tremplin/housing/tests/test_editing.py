"""Detail pages and who may change what: a housing manager edits only their own provider."""

import pytest
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.housing.models import Building, HousingProvider
from tremplin.testing.forms import formset


def provider_post(world, **changes):
    data = {
        "kind": "omh",
        "name": "Office municipal d'habitation de Lévis",
        "municipality": world["levis"].pk,
        "address": "5, rue Monseigneur-Déziel",
        "postal_code": "G6V 5K1",
        "phone": "",
        "email": "",
        "website": "",
        "notes": "",
        **formset("contacts", {"name": "", "role": "", "phone": "", "email": ""}),
    }
    data.update(changes)
    return data


def building_post(world, **changes):
    data = {
        "name": "",
        "address": "25, rue Saint-Louis",
        "municipality": world["levis"].pk,
        "postal_code": "G6V 4E1",
        "units_studio": 0,
        "units_1br": 20,
        "units_2br": 4,
        "units_3br": 0,
        "units_4br_plus": 0,
        "clienteles": [world["seniors"].pk],
        "program": "hlm_public",
        "year_built": "1975",
        "adapted_units": 0,
        "has_elevator": "on",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "role", ["coordination", "worker_a", "partner", "researcher", "housing_manager"]
)
def test_it_shows_provider_and_building_pages_to_program_members(personas, login, world, role):
    client = login(personas[role])
    page = client.get(reverse("housing:provider-detail", args=[world["omh_a"].public_id]))
    assert page.status_code == 200
    assert "25, rue Saint-Louis" in page.content.decode()
    page = client.get(reverse("housing:building-detail", args=[world["building_a"].public_id]))
    assert page.status_code == 200 and "Aînés" in page.content.decode()


def test_it_answers_404_for_unknown_ids_and_users_without_a_role(personas, login, world):
    import uuid

    client = login(personas["coordination"])
    assert client.get(reverse("housing:provider-detail", args=[uuid.uuid4()])).status_code == 404
    client = login(personas["no_role"])
    assert (
        client.get(reverse("housing:provider-detail", args=[world["omh_a"].public_id])).status_code
        == 404
    )


def test_it_lets_a_housing_manager_edit_their_own_provider(personas, login, world):
    client = login(personas["housing_manager"])
    url = reverse("housing:provider-edit", args=[world["omh_a"].public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        provider_post(
            world,
            phone="418 555-0101",
            **{"contacts-0-name": "Gabrielle Fictive", "contacts-0-role": "Directrice"},
        ),
    )
    assert response.status_code == 302
    world["omh_a"].refresh_from_db()
    assert world["omh_a"].phone == "418 555-0101"
    assert world["omh_a"].contacts.get().name == "Gabrielle Fictive"
    assert AuditEntry.objects.filter(
        action="housing.provider.update", username="gestionnaire"
    ).exists()


@pytest.mark.parametrize(
    "role", ["housing_manager", "organizer_a", "worker_b", "partner", "researcher"]
)
def test_it_refuses_edits_outside_the_users_scope_and_changes_nothing(personas, login, world, role):
    """Saint-Georges (territory B) is not the manager's provider nor in organizer A's territory."""
    client = login(personas[role])
    target = world["omh_b"]
    before = HousingProvider.objects.values().get(pk=target.pk)
    building_before = Building.objects.values().get(pk=world["building_b"].pk)
    edit = reverse("housing:provider-edit", args=[target.public_id])
    assert client.get(edit).status_code == 404
    assert (
        client.post(
            edit, provider_post(world, name="Pirate", municipality=world["st_georges"].pk)
        ).status_code
        == 404
    )
    add = reverse("housing:building-create", args=[target.public_id])
    assert (
        client.post(
            add, building_post(world, address="1, rue Volée", municipality=world["st_georges"].pk)
        ).status_code
        == 404
    )
    b_edit = reverse("housing:building-edit", args=[world["building_b"].public_id])
    assert (
        client.post(
            b_edit, building_post(world, units_1br=999, municipality=world["st_georges"].pk)
        ).status_code
        == 404
    )
    assert HousingProvider.objects.values().get(pk=target.pk) == before
    assert Building.objects.values().get(pk=world["building_b"].pk) == building_before
    assert Building.objects.count() == 2


def test_it_lets_an_organizer_edit_providers_of_their_territories_only(personas, login, world):
    client = login(personas["organizer_a"])
    assert (
        client.get(reverse("housing:provider-edit", args=[world["omh_a"].public_id])).status_code
        == 200
    )
    assert (
        client.get(reverse("housing:provider-edit", args=[world["omh_b"].public_id])).status_code
        == 404
    )
    # Nor may they create a provider in someone else's territory.
    response = client.post(
        reverse("housing:provider-create"),
        provider_post(
            world,
            name="Coop du Sud",
            kind="coop",
            municipality=world["st_georges"].pk,
            postal_code="",
        ),
    )
    assert response.status_code == 200
    assert "pas dans vos territoires" in response.content.decode()
    assert not HousingProvider.objects.filter(name="Coop du Sud").exists()


@pytest.mark.parametrize("role", ["worker_a", "housing_manager", "partner", "researcher"])
def test_it_lets_only_coordination_and_organizers_create_providers(personas, login, world, role):
    assert login(personas[role]).get(reverse("housing:provider-create")).status_code == 404


def test_it_creates_a_provider_and_a_building_and_keeps_counts(personas, login, world):
    client = login(personas["coordination"])
    response = client.post(
        reverse("housing:provider-create"),
        provider_post(
            world, name="Coopérative d'habitation du Fleuve", kind="coop", postal_code="g6v3z1"
        ),
    )
    provider = HousingProvider.objects.get(name="Coopérative d'habitation du Fleuve")
    assert response.status_code == 302 and provider.postal_code == "G6V 3Z1"
    response = client.post(
        reverse("housing:building-create", args=[provider.public_id]),
        building_post(
            world,
            address="10, rue du Quai",
            units_studio=2,
            units_1br=3,
            units_2br=4,
            units_3br=5,
            units_4br_plus=6,
        ),
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.building_count, provider.unit_count) == (1, 2 + 3 + 4 + 5 + 6)
    assert "rue du quai" in provider.search_key


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"postal_code": "12345"}, "postal_code", "code postal canadien valide"),
        ({"postal_code": "G6V 3D1"}, "postal_code", "code postal canadien valide"),  # D never used
        ({"units_1br": "-3"}, "units_1br", "supérieure ou égale à 0"),
        ({"units_2br": "beaucoup"}, "units_2br", "nombre entier"),
        ({"adapted_units": "99"}, "adapted_units", "plus de logements adaptés"),
        ({"year_built": "1492"}, "year_built", "supérieure ou égale à 1800"),
        ({"address": ""}, "address", "obligatoire"),
    ],
)
def test_it_refuses_bad_building_input_with_a_french_message(
    personas, login, world, changes, field, message
):
    client = login(personas["coordination"])
    url = reverse("housing:building-edit", args=[world["building_a"].public_id])
    before = Building.objects.values().get(pk=world["building_a"].pk)
    response = client.post(url, building_post(world, **changes))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert Building.objects.values().get(pk=world["building_a"].pk) == before


def test_it_refuses_a_building_outside_its_providers_region(personas, login, world):
    client = login(personas["coordination"])
    url = reverse("housing:building-edit", args=[world["building_a"].public_id])
    response = client.post(
        url, building_post(world, municipality=world["quebec"].pk, postal_code="G1R 4S9")
    )
    assert response.status_code == 200
    assert "dans la région de son organisme" in " ".join(
        response.context["form"].errors["municipality"]
    )
    world["building_a"].refresh_from_db()
    assert world["building_a"].municipality == world["levis"]


def test_it_moves_unit_totals_when_a_building_changes(personas, login, world):
    client = login(personas["coordination"])
    url = reverse("housing:building-edit", args=[world["building_a"].public_id])
    assert client.post(url, building_post(world, units_1br=30, units_2br=10)).status_code == 302
    world["omh_a"].refresh_from_db()
    assert world["omh_a"].unit_count == 40
