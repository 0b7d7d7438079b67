"""A committee's region: derived when the form leaves it empty, consistent with its local team and
territories, shown on its page, filtered in the list; and the migration that gave the existing
committees theirs."""

import importlib
import re
from html import unescape

from django.apps import apps
from django.urls import reverse

from tremplin.concertation.models import Committee, CommitteeKind
from tremplin.territories.models import LocalTeam

from .conftest import D

fill = importlib.import_module("tremplin.concertation.migrations.0003_committee_region_fill")


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _quebec_group(world):
    group = Committee.objects.create(
        name="Groupe de travail de Québec",
        kind=CommitteeKind.WORKING_GROUP,
        region=world["t_other"].region,
        start_date=D(2021, 1, 1),
    )
    group.territories.set([world["t_other"]])
    return group


def test_it_shows_the_region_on_the_committee_page(cz, login, personas, world):
    client = login(personas["partner"])  # a reader of the regional committee
    page = client.get(reverse("concertation:committee-detail", args=[cz["regional"].public_id]))
    assert f"Région {world['region'].name}" in _text(page)


def test_it_filters_the_list_by_region(cz, login, personas, world):
    other = _quebec_group(world)
    client = login(personas["coordination"])
    url = reverse("concertation:committee-list")

    def listed(params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {c.pk for c in response.context["rows"]}

    mine = {cz["ele"].pk, cz["regional"].pk, cz["beauce"].pk}
    assert listed({}) == mine | {other.pk}
    assert listed({"region": world["region"].code}) == mine
    assert listed({"region": other.region.code}) == {other.pk}
    # An unknown region is a form error shown on the page, not a server error.
    response = client.get(url, {"region": "99"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in _text(response)
    # Organizers see only the committees in their scope, whatever the region asked.
    client = login(personas["organizer_a"])
    assert listed({"region": other.region.code}) == set()


def _post(client, **data):
    data.setdefault("start_date", "2024-01-01")
    return client.post(reverse("concertation:committee-create"), data)


def test_it_derives_the_region_when_the_form_leaves_it_empty(world, login, personas):
    client = login(personas["coordination"])
    assert (
        _post(client, kind="local_team", local_team=str(world["team"].public_id)).status_code == 302
    )
    assert Committee.objects.get(kind="local_team").region == world["team"].region
    assert (
        _post(
            client, kind="working_group", name="GT Québec", territories=[world["t_other"].pk]
        ).status_code
        == 302
    )
    assert Committee.objects.get(name="GT Québec").region == world["t_other"].region
    # An organizer's committee: the region of their territories.
    client = login(personas["organizer_b"])
    assert (
        _post(
            client, kind="working_group", name="GT Beauce", territories=[world["tb"].pk]
        ).status_code
        == 302
    )
    assert Committee.objects.get(name="GT Beauce").region == world["tb"].region


def test_it_asks_for_the_region_when_it_cannot_be_told(world, login, personas):
    client = login(personas["coordination"])
    # A regional committee, two regions in the database: which one?
    response = _post(client, kind="partners", name="Comité des partenaires")
    assert response.status_code == 200
    assert "Choisissez la région du comité." in _text(response)
    assert not Committee.objects.exists()
    response = _post(
        client, kind="partners", name="Comité des partenaires", region=world["region"].code
    )
    assert response.status_code == 302
    assert Committee.objects.get().region == world["region"]


def test_it_refuses_territories_or_a_local_team_outside_the_region(world, login, personas):
    client = login(personas["coordination"])
    response = _post(
        client,
        kind="working_group",
        name="GT mélangé",
        region=world["region"].code,
        territories=[world["ta"].pk, world["t_other"].pk],
    )
    assert response.status_code == 200
    assert "Ces territoires ne sont pas dans la région Chaudière-Appalaches : Québec." in _text(
        response
    )
    response = _post(
        client,
        kind="local_team",
        region=world["t_other"].region.code,
        local_team=str(world["team"].public_id),
    )
    assert response.status_code == 200
    assert "Cette équipe locale est dans la région Chaudière-Appalaches." in _text(response)
    assert not Committee.objects.exists()


def test_it_offers_organizers_only_the_regions_of_their_territories(world, login, personas):
    client = login(personas["organizer_a"])
    form = client.get(reverse("concertation:committee-create")).context["form"]
    assert list(form.fields["region"].queryset) == [world["region"]]
    assert form.initial["region"] == world["region"].code  # preselected
    response = _post(
        client,
        kind="working_group",
        name="GT",
        region=world["t_other"].region.code,
        territories=[world["ta"].pk],
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in _text(response)
    assert not Committee.objects.exists()


def test_it_keeps_the_region_when_a_committee_is_edited(cz, login, personas, world):
    client = login(personas["organizer_b"])
    beauce = cz["beauce"]
    form = client.get(reverse("concertation:committee-edit", args=[beauce.public_id]))
    assert form.context["form"]["region"].value() == world["region"].code


def test_the_migration_gives_existing_committees_their_region(world):
    other_team = LocalTeam.objects.create(region=world["t_other"].region, name="ÉLÉ de Québec")
    ele = Committee.objects.create(
        name="ÉLÉ de Québec", kind="local_team", local_team=other_team, start_date=D(2023, 1, 1)
    )
    listed = Committee.objects.create(name="GT", kind="working_group", start_date=D(2023, 1, 1))
    listed.territories.set([world["t_other"]])
    regional = Committee.objects.create(name="CP", kind="partners", start_date=D(2016, 4, 1))
    kept = Committee.objects.create(
        name="Déjà", kind="partners", start_date=D(2016, 4, 1), region=world["t_other"].region
    )
    assert Committee.objects.filter(region__isnull=True).count() == 3
    fill.fill_regions(apps, None)
    regions = dict(Committee.objects.values_list("pk", "region"))
    assert regions[ele.pk] == other_team.region_id
    assert regions[listed.pk] == world["t_other"].region_id
    # No territory: the program's region, the one with the most territories (12 has two).
    assert regions[regional.pk] == world["region"].pk
    assert regions[kept.pk] == world["t_other"].region_id
