"""The demo loader: complete, idempotent, consistent, and usable (accounts, search)."""

import time

import pytest
from django.db.models import Count, Sum
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.accounts.models import Membership
from tremplin.accounts.roles import Role
from tremplin.audit.models import AuditEntry
from tremplin.core.text import fold
from tremplin.demo.data import ACCOUNTS, read_json
from tremplin.demo.housing_loader import buildings_data, providers_data
from tremplin.demo.loader import DEMO_ACCOUNTS, load_demo
from tremplin.housing.models import Building, Contact, HousingProvider, normalize_postal_code
from tremplin.territories.models import LocalTeam, Municipality, Territory
from tremplin.testing.demo import DEMO_PASSWORD as PASSWORD


@pytest.fixture
def loaded(db, demo_data):
    return demo_data


def _db_counts():
    return {
        "municipalities": Municipality.objects.count(),
        "territories": Territory.objects.count(),
        "local_teams": LocalTeam.objects.count(),
        "local_team_links": LocalTeam.municipalities.through.objects.count(),
        "providers": HousingProvider.objects.count(),
        "contacts": Contact.objects.count(),
        "buildings": Building.objects.count(),
        "clientele_links": Building.clienteles.through.objects.count(),
        "managers": HousingProvider.managers.through.objects.count(),
        "memberships": Membership.objects.count(),
        "membership_territories": Membership.territories.through.objects.count(),
        "totp_devices": TOTPDevice.objects.count(),
    }


def test_it_loads_twice_without_duplicating_anything(loaded):
    first = loaded
    counts = _db_counts()
    second = load_demo(PASSWORD)

    assert _db_counts() == counts
    assert {k: v for k, v in second.items() if k != "created"} == {
        k: v for k, v in first.items() if k != "created"
    }
    assert set(second["created"].values()) == {0}
    assert first["created"]["providers"] == first["providers"]


def test_it_summarizes_a_plausible_region(loaded):
    assert loaded["territories"] == 5
    assert loaded["mrcs"] == 10
    assert loaded["local_teams"] == 7
    kinds = loaded["providers_by_kind"]
    assert kinds.get("omh", 0) + kinds.get("oh", 0) >= 62
    assert kinds.get("coop", 0) >= 5 and kinds.get("osbl", 0) >= 5
    assert 150 <= loaded["buildings"] <= 250
    assert 3000 <= loaded["units"] <= 5000
    assert loaded["accounts"] == len(ACCOUNTS) == len(DEMO_ACCOUNTS) == 10


def test_it_creates_the_2008_territories_and_mrcs(loaded):
    assert set(Territory.objects.values_list("slug", flat=True)) == {
        "beauce",
        "region-de-thetford",
        "etchemins",
        "grand-littoral",
        "montmagny-lislet",
    }
    levis = Municipality.objects.get(code="25213")
    assert levis.name == "Lévis" and levis.name_key == "levis"
    assert levis.mrc.territory.slug == "grand-littoral"
    assert Municipality.objects.get(code="31084").mrc.territory.name == "Région de Thetford"
    mrcs = read_json("territories.json")["mrcs"]
    codes = [code for mrc in mrcs for code, _name in mrc["municipalities"]]
    assert len(codes) == len(set(codes))
    for mrc in mrcs:
        assert all(code.startswith(mrc["code"]) for code, _ in mrc["municipalities"])


def test_it_marks_every_provider_and_building_as_demo(loaded):
    assert HousingProvider.objects.exclude(is_demo=True).count() == 0
    assert Building.objects.exclude(is_demo=True).count() == 0
    for provider in HousingProvider.objects.all():
        assert "Donnée fictive de démonstration" in provider.notes
        assert provider.email.endswith(".example")
        assert provider.phone.startswith("418-555-01")
        assert 1 <= provider.contacts.count() <= 2
    assert not Contact.objects.exclude(email__endswith=".example").exists()


def test_it_keeps_buildings_in_region_12_with_their_provider(loaded):
    buildings = Building.objects.select_related(
        "municipality__mrc__region", "provider__municipality__mrc__region"
    )
    for building in buildings:
        region = building.municipality.mrc.region
        assert region.code == "12"
        assert region == building.provider.municipality.mrc.region
        assert building.municipality.mrc == building.provider.municipality.mrc
        assert 1 <= building.provider.buildings.count() <= 16


def test_it_uses_valid_postal_codes_and_unit_counts(loaded):
    for provider in HousingProvider.objects.all():
        assert provider.postal_code == normalize_postal_code(provider.postal_code)
        assert provider.postal_code.startswith("G")
    for building in Building.objects.all():
        assert building.postal_code == normalize_postal_code(building.postal_code)
        assert building.postal_code.startswith("G")
        units = sum(getattr(building, f) for f in Building.UNIT_FIELDS)
        assert building.total_units == units > 0
        assert building.adapted_units <= building.total_units
        assert 1970 <= building.year_built <= 2015
        assert building.clienteles.exists()
        building.full_clean()  # every model rule holds


def test_it_creates_the_seven_fictitious_local_teams(loaded):
    teams = LocalTeam.objects.annotate(n=Count("municipalities"))
    assert teams.count() == 7
    assert all(team.is_fictitious and team.n > 0 for team in teams)
    assert all(team.founded_on.year == 2023 for team in teams)
    assert LocalTeam.objects.get(name="ÉLÉ de Lévis").municipalities.get().code == "25213"


def test_it_creates_every_provider_municipality(loaded):
    codes = set(Municipality.objects.values_list("code", flat=True))
    assert {spec["municipality"] for spec in providers_data()} <= codes
    assert {row["municipality"] for row in buildings_data()} <= codes


def test_it_creates_the_demo_accounts_who_can_log_in(loaded, client):
    expected = {
        "coordination": (Role.COORDINATION, set()),
        "organisateur": (Role.ORGANIZER, {"grand-littoral", "montmagny-lislet"}),
        "organisatrice-beauce": (
            Role.ORGANIZER,
            {"beauce", "etchemins", "region-de-thetford"},
        ),
        "intervenant": (Role.WORKER, {"grand-littoral"}),
        "intervenante-beauce": (Role.WORKER, {"beauce"}),
        "superviseure": (Role.SUPERVISOR, {"grand-littoral", "beauce"}),
        "responsable-vie-privee": (Role.PRIVACY_OFFICER, set()),
        "gestionnaire": (Role.HOUSING_MANAGER, {"grand-littoral"}),
        "partenaire": (Role.PARTNER, set()),
        "chercheur": (Role.RESEARCHER, set()),
    }
    assert [username for username, _ in DEMO_ACCOUNTS] == list(expected)
    rf = RequestFactory()
    for username, (role, territories) in expected.items():
        membership = Membership.objects.select_related("user").get(user__username=username)
        assert membership.role == role
        assert set(membership.territories.values_list("slug", flat=True)) == territories
        assert membership.user.email == f"{username}@tremplin.example"
        assert membership.user.groups.filter(name=role).exists()
        request = rf.post("/")
        assert client.login(request=request, username=username, password=PASSWORD), username
        client.logout()
    levis_omh = HousingProvider.objects.get(name="Office municipal d'habitation de Lévis")
    assert list(levis_omh.managers.values_list("username", flat=True)) == ["gestionnaire"]


def test_it_gives_the_case_file_roles_a_supervisor_and_a_second_factor(loaded, client, settings):
    supervisor = Membership.objects.get(user__username="superviseure").user
    workers = Membership.objects.filter(supervisor=supervisor)
    assert set(workers.values_list("user__username", flat=True)) == {
        "intervenant",
        "intervenante-beauce",
    }
    assert set(workers.values_list("role", flat=True)) == {Role.WORKER}
    two_factor = {
        "coordination",
        "intervenant",
        "intervenante-beauce",
        "superviseure",
        "responsable-vie-privee",
    }
    devices = TOTPDevice.objects.select_related("user")
    assert {d.user.username for d in devices} == two_factor
    assert all(d.confirmed for d in devices) and devices.count() == len(two_factor)
    for spec in ACCOUNTS:
        assert Membership(role=spec["role"]).requires_two_factor == (spec["username"] in two_factor)

    # A reload keeps each secret (an app paired with it goes on working) and clears lockouts
    # and any other device.
    keys = dict(devices.values_list("user__username", "key"))
    worker = Membership.objects.get(user__username="intervenant").user
    TOTPDevice.objects.filter(user=worker).update(throttling_failure_count=9)
    TOTPDevice.objects.create(user=worker, name="autre", confirmed=True)
    load_demo(PASSWORD)
    assert dict(devices.values_list("user__username", "key")) == keys
    device = TOTPDevice.objects.get(user=worker)
    assert device.throttling_failure_count == 0

    # The demo's code command gives the code of the moment; it signs the worker in.
    from io import StringIO

    from django.core.management import call_command

    settings.TREMPLIN_DEMO = True
    out = StringIO()
    call_command("demo-code", "intervenant", stdout=out, stderr=StringIO())
    client.post("/comptes/connexion/", {"username": "intervenant", "password": PASSWORD})
    response = client.post("/comptes/double-authentification/", {"code": out.getvalue().strip()})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_resets_the_password_on_rerun(loaded, client):
    load_demo("un-autre-mot-de-passe")
    request = RequestFactory().post("/")
    assert client.login(request=request, username="partenaire", password="un-autre-mot-de-passe")
    client.logout()
    assert not client.login(
        request=RequestFactory().post("/"), username="partenaire", password=PASSWORD
    )


def test_it_keeps_provider_counts_true(loaded):
    totals = {
        row["provider_id"]: (row["n"], row["units"])
        for row in Building.objects.values("provider_id").annotate(
            n=Count("id"), units=Sum("total_units")
        )
    }
    for provider in HousingProvider.objects.all():
        assert (provider.building_count, provider.unit_count) == totals[provider.pk]


def test_it_makes_providers_searchable_without_accents(loaded):
    levis = HousingProvider.objects.filter(municipality__code="25213")
    assert levis.exists()
    assert all("levis" in p.search_key for p in levis)
    found = HousingProvider.objects.filter(search_key__contains=fold("LÉVIS"))
    assert set(levis) <= set(found)
    assert HousingProvider.objects.filter(search_key__contains=fold("Thetford Mines")).exists()
    # Territory and MRC names are searchable too.
    assert HousingProvider.objects.filter(search_key__contains=fold("Montmagny-L'Islet")).exists()
    for provider in HousingProvider.objects.all():
        assert provider.name_key == fold(provider.name)


def test_it_writes_no_audit_entries_and_is_fast(db):
    started = time.monotonic()
    load_demo(PASSWORD)
    elapsed = time.monotonic() - started
    assert AuditEntry.objects.count() == 0
    assert elapsed < 15


def test_it_never_touches_real_records(loaded):
    provider = HousingProvider.objects.get(name="Office municipal d'habitation de Lévis")
    HousingProvider.objects.filter(pk=provider.pk).update(is_demo=False, phone="418-000-0000")
    load_demo(PASSWORD)
    provider.refresh_from_db()
    assert provider.phone == "418-000-0000" and not provider.is_demo


def test_it_runs_the_management_command(db, capsys):
    from django.core.management import call_command

    call_command("loaddemo", "--password", PASSWORD)
    out = capsys.readouterr().out
    assert "Données de démonstration chargées" in out
    assert "Immeubles" in out and "organisatrice-beauce" in out
