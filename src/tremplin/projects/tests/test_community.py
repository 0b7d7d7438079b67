"""Accompaniments, tenant associations and the "vie communautaire" story of a site."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from tremplin.projects import counting
from tremplin.projects.models import (
    Accompaniment,
    AccompanimentHours,
    AssociationMeeting,
    AssociationStatus,
    BoardMember,
    Project,
    ProjectKind,
    Status,
    TenantAssociation,
)
from tremplin.testing.forms import formset
from tremplin.testing.queries import query_count

D = dt.date


def _acc(provider, organizer, start, end=None, **kwargs):
    return Accompaniment.objects.create(
        provider=provider, organizer=organizer, start_date=start, end_date=end, **kwargs
    )


def _summary(response) -> str:
    html = response.content.decode()
    match = re.search(r'<p class="totals"[^>]*id="accompanied-summary">(.*?)</p>', html, re.S)
    assert match, html
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


# --------------------------------------------------------------------------- counting


@pytest.fixture
def accompaniments(world, personas):
    a, b, org = world["omh_a"], world["omh_b"], personas["organizer_a"]
    org_b = personas["organizer_b"]
    return [
        # Lévis: three accompaniments in fiscal year 2008-2009, the last running into 2009-2010.
        _acc(a, org, D(2008, 5, 1), D(2008, 8, 31)),
        _acc(a, org, D(2008, 9, 1), D(2009, 2, 28)),
        _acc(a, org, D(2009, 3, 15), D(2009, 5, 31)),
        # Saint-Georges: ends on the last day of 2007-2008; starts on the first day of 2009-2010;
        # one still open, from January 2010.
        _acc(b, org_b, D(2007, 1, 1), D(2008, 3, 31)),
        _acc(b, org_b, D(2009, 4, 1), D(2009, 6, 30)),
        _acc(b, org_b, D(2010, 1, 1)),
    ]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2007, 1),  # Saint-Georges only (ends 2008-03-31, the last day of the year)
        (2008, 1),  # Lévis, once for its three accompaniments
        (2009, 2),  # Lévis (March–May 2009) and Saint-Georges (from 2009-04-01, the first day)
        (2010, 1),  # Saint-Georges, still open
        (2011, 1),
    ],
)
def test_it_counts_each_office_accompanied_once_per_year(
    accompaniments, login, personas, year, expected
):
    start, end = D(year, 4, 1), D(year + 1, 3, 31)
    assert len(counting.providers_accompanied(start, end)) == expected
    response = login(personas["worker_a"]).get(
        reverse("projects:accompaniment-list"), {"year": year}
    )
    assert response.status_code == 200
    noun = "organisme accompagné" if expected == 1 else "organismes accompagnés"
    assert _summary(response).startswith(f"{expected} {noun} en {year}-{year + 1}")


LEVIS = "Office municipal d&#x27;habitation de Lévis</a>"
ST_GEORGES = "Office municipal d&#x27;habitation de Saint-Georges</a>"


def test_it_applies_the_overlap_rule_at_year_boundaries(accompaniments, login, personas):
    client = login(personas["coordination"])
    html = client.get(reverse("projects:accompaniment-list"), {"year": 2008}).content.decode()
    # Lévis's three accompaniments overlap 2008-2009; Saint-Georges's touch its edges only.
    assert html.count(LEVIS) == 3
    assert ST_GEORGES not in html
    html = client.get(reverse("projects:accompaniment-list"), {"year": 2009}).content.decode()
    assert html.count(LEVIS) == 1
    assert html.count(ST_GEORGES) == 2


def test_it_filters_the_count_by_territory_and_organizer(accompaniments, login, personas, world):
    client = login(personas["coordination"])
    url = reverse("projects:accompaniment-list")
    response = client.get(url, {"year": 2009, "territory": world["tb"].pk})
    assert _summary(response).startswith("1 organisme accompagné en 2009-2010")
    response = client.get(url, {"year": 2009, "organizer": personas["organizer_a"].pk})
    assert _summary(response).startswith("1 organisme accompagné en 2009-2010")
    # No year: distinct providers over all years.
    assert _summary(client.get(url)).startswith("2 organismes accompagnés")


def test_it_shows_hours_and_themes_in_the_list(world, personas, login):
    acc = _acc(
        world["omh_a"],
        personas["organizer_a"],
        D(2008, 10, 1),
        themes=["association", "common_spaces"],
    )
    AccompanimentHours.objects.create(accompaniment=acc, month=D(2008, 10, 1), hours=3)
    AccompanimentHours.objects.create(accompaniment=acc, month=D(2008, 11, 1), hours="4.5")
    html = login(personas["partner"]).get(reverse("projects:accompaniment-list")).content.decode()
    assert "7,5" in html
    assert "Association de locataires, Espaces communs" in html


# --------------------------------------------------------------------------- forms


def _acc_post(provider, **overrides):
    data = {
        "provider": str(provider.public_id),
        "association": "",
        "themes": ["association"],
        "start_date": "2008-10-01",
        "end_date": "2009-03-31",
        "contacts": "Direction de l'office",
        "note": "",
        **formset("hours", {"month": "2008-10", "hours": "6"}),
    }
    data.update(overrides)
    return data


def test_it_lets_an_organizer_record_their_accompaniment(world, personas, login):
    client = login(personas["organizer_a"])
    url = reverse("projects:accompaniment-create")
    form = client.get(url, {"provider": world["omh_a"].public_id})
    assert form.status_code == 200
    assert f'value="{world["omh_a"].public_id}" selected' in form.content.decode()
    response = client.post(url, _acc_post(world["omh_a"]))
    assert response.status_code == 302
    acc = Accompaniment.objects.get()
    assert acc.organizer == personas["organizer_a"]
    assert acc.themes == ["association"]
    assert list(acc.hours.values_list("month", "hours")) == [(D(2008, 10, 1), Decimal("6.0"))]


def test_it_lets_the_coordination_choose_the_organizer(world, personas, login):
    client = login(personas["coordination"])
    data = _acc_post(world["omh_b"], organizer=str(personas["organizer_b"].pk))
    response = client.post(reverse("projects:accompaniment-create"), data)
    assert response.status_code == 302
    assert Accompaniment.objects.get().organizer == personas["organizer_b"]


def test_it_edits_an_accompaniment_and_its_hours(world, personas, login):
    acc = _acc(world["omh_a"], personas["organizer_a"], D(2008, 10, 1))
    hours = AccompanimentHours.objects.create(accompaniment=acc, month=D(2008, 10, 1), hours=2)
    data = _acc_post(
        world["omh_a"],
        end_date="2008-12-31",
        **{
            "hours-INITIAL_FORMS": "1",
            "hours-0-id": str(hours.pk),
            "hours-0-accompaniment": str(acc.pk),
            "hours-0-hours": "5",
        },
    )
    client = login(personas["organizer_a"])
    response = client.post(reverse("projects:accompaniment-edit", args=[acc.public_id]), data)
    assert response.status_code == 302, response.content.decode()
    acc.refresh_from_db()
    assert acc.end_date == D(2008, 12, 31)
    assert acc.hours.get().hours == Decimal("5.0")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "2008-09-30"}, "La fin de l&#x27;accompagnement précède son début."),
        ({"hours-0-hours": "-2"}, "Le nombre d&#x27;heures ne peut pas être négatif."),
        ({"themes": ["association", "piratage"]}, "Sélectionnez un choix valide"),
        ({"start_date": ""}, "Ce champ est obligatoire."),
    ],
)
def test_it_refuses_bad_accompaniment_inputs(world, personas, login, overrides, message):
    client = login(personas["organizer_a"])
    response = client.post(
        reverse("projects:accompaniment-create"), _acc_post(world["omh_a"], **overrides)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html
    assert 'role="alert"' in html
    assert not Accompaniment.objects.exists()
    assert not AccompanimentHours.objects.exists()


def _assoc_post(provider, buildings=(), **overrides):
    data = {
        "name": "Association des locataires de la rue Saint-Louis",
        "provider": str(provider.public_id),
        "buildings": [str(b.pk) for b in buildings],
        "founded_on": "2009-05-01",
        "status": AssociationStatus.ACTIVE,
        "members": "18",
        **formset("board", {"name": "Lucie Fictive", "role": "Présidente"}),
        **formset(
            "meetings", {"date": "2009-06-01", "kind": "Assemblée générale", "attendance": "22"}
        ),
    }
    data.update(overrides)
    return data


def test_it_records_an_association_without_board_contact_details(world, personas, login):
    client = login(personas["organizer_a"])
    data = _assoc_post(
        world["omh_a"],
        [world["building_a"]],
        **{"board-0-email": "lucie@example.org", "board-0-phone": "418 555-0199"},
    )
    response = client.post(reverse("projects:association-create"), data)
    assert response.status_code == 302
    association = TenantAssociation.objects.get()
    assert list(association.buildings.all()) == [world["building_a"]]
    member = BoardMember.objects.get()
    assert (member.name, member.role) == ("Lucie Fictive", "Présidente")
    assert not any("example.org" in str(v) or "555" in str(v) for v in vars(member).values())
    assert AssociationMeeting.objects.get().attendance == 22
    html = client.get(response["Location"]).content.decode()
    assert "Lucie Fictive" in html and "Présidente" in html
    assert "lucie@example.org" not in html and "555-0199" not in html


def test_it_refuses_a_building_of_another_provider(world, personas, login):
    client = login(personas["coordination"])
    response = client.post(
        reverse("projects:association-create"), _assoc_post(world["omh_a"], [world["building_b"]])
    )
    assert response.status_code == 200
    assert not TenantAssociation.objects.exists()


# --------------------------------------------------------------------------- permissions


@pytest.fixture
def levis_work(world, personas):
    acc = _acc(world["omh_a"], personas["organizer_a"], D(2008, 10, 1), D(2009, 3, 31))
    association = TenantAssociation.objects.create(
        name="Association du 25 Saint-Louis", provider=world["omh_a"], members=10
    )
    return acc, association


def test_it_keeps_an_organizer_of_another_territory_out(world, personas, login, levis_work):
    acc, association = levis_work
    client = login(personas["organizer_b"])
    omh_a = world["omh_a"].public_id
    create_acc, create_assoc = (
        reverse("projects:accompaniment-create"),
        reverse("projects:association-create"),
    )
    assert client.get(create_acc, {"provider": omh_a}).status_code == 404
    assert client.get(create_assoc, {"provider": omh_a}).status_code == 404
    assert client.post(create_acc, _acc_post(world["omh_a"])).status_code == 404
    assert client.post(create_assoc, _assoc_post(world["omh_a"])).status_code == 404
    edit_acc = reverse("projects:accompaniment-edit", args=[acc.public_id])
    edit_assoc = reverse("projects:association-edit", args=[association.public_id])
    assert client.get(edit_acc).status_code == 404
    assert client.get(edit_assoc).status_code == 404
    # Moving Lévis's work to their own provider is refused too.
    assert client.post(edit_acc, _acc_post(world["omh_b"])).status_code == 404
    assert client.post(edit_assoc, _assoc_post(world["omh_b"])).status_code == 404
    assert Accompaniment.objects.count() == 1 and TenantAssociation.objects.count() == 1
    acc.refresh_from_db()
    association.refresh_from_db()
    assert (acc.provider, acc.end_date) == (world["omh_a"], D(2009, 3, 31))
    assert (association.provider, association.name) == (
        world["omh_a"],
        "Association du 25 Saint-Louis",
    )
    # Their own territory's work: allowed.
    assert client.get(create_acc, {"provider": world["omh_b"].public_id}).status_code == 200


@pytest.mark.parametrize(
    "who",
    ["worker_a", "partner", "researcher", "housing_manager", "supervisor_a", "privacy_officer"],
)
def test_it_lets_other_roles_read_but_not_change(world, personas, login, levis_work, who):
    acc, association = levis_work
    client = login(personas[who])
    assert client.get(reverse("projects:accompaniment-list")).status_code == 200
    assert client.get(reverse("projects:association-list")).status_code == 200
    detail = client.get(reverse("projects:association-detail", args=[association.public_id]))
    assert detail.status_code == 200
    assert "Modifier l&#x27;association" not in detail.content.decode()
    for url in (
        reverse("projects:accompaniment-create"),
        reverse("projects:association-create"),
        reverse("projects:accompaniment-edit", args=[acc.public_id]),
        reverse("projects:association-edit", args=[association.public_id]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("projects:accompaniment-create"), _acc_post(world["omh_a"]))
    ).status_code == 404
    assert Accompaniment.objects.count() == 1


def test_it_hides_everything_from_a_user_without_role(world, personas, login, levis_work):
    acc, association = levis_work
    client = login(personas["no_role"])
    for url in (
        reverse("projects:accompaniment-list"),
        reverse("projects:association-list"),
        reverse("projects:association-detail", args=[association.public_id]),
        reverse("projects:accompaniment-create"),
        reverse("projects:accompaniment-edit", args=[acc.public_id]),
    ):
        assert client.get(url).status_code == 404, url


def test_it_sends_anonymous_visitors_to_sign_in(client, levis_work):
    acc, association = levis_work
    for url in (
        reverse("projects:accompaniment-list"),
        reverse("projects:association-list"),
        reverse("projects:association-detail", args=[association.public_id]),
        reverse("projects:association-create"),
        reverse("projects:accompaniment-edit", args=[acc.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert (
            response["Location"].startswith(settings.LOGIN_URL)
            or "connexion" in (response["Location"])
        )


def test_it_filters_associations(world, personas, login):
    TenantAssociation.objects.create(
        name="Locataires de Lévis", provider=world["omh_a"], status=AssociationStatus.ACTIVE
    )
    TenantAssociation.objects.create(
        name="Locataires de Saint-Georges",
        provider=world["omh_b"],
        status=AssociationStatus.FORMING,
    )
    client = login(personas["worker_b"])
    url = reverse("projects:association-list")
    html = client.get(url, {"status": "forming"}).content.decode()
    assert "Locataires de Saint-Georges" in html and "Locataires de Lévis" not in html
    html = client.get(url, {"territory": world["ta"].pk}).content.decode()
    assert "Locataires de Lévis" in html and "Locataires de Saint-Georges" not in html


# --------------------------------------------------------------------------- story


def _project(title, start, *, building=None, provider=None):
    project = Project.objects.create(
        title=title, kind=ProjectKind.LEISURE, status=Status.UNDER_WAY, start_date=start
    )
    if building is not None:
        project.buildings.add(building)
    if provider is not None:
        project.providers.add(provider)
    return project


def test_it_tells_the_story_of_a_building_and_its_provider_in_time_order(world, personas, login):
    building, provider = world["building_a"], world["omh_a"]
    _project("Jardin collectif du 25 Saint-Louis", D(2010, 5, 15), building=building)
    association = TenantAssociation.objects.create(
        name="Association du 25 Saint-Louis", provider=provider, founded_on=D(2009, 5, 1)
    )
    association.buildings.add(building)
    _acc(provider, personas["organizer_a"], D(2008, 10, 1))
    client = login(personas["worker_a"])

    html = client.get(reverse("housing:building-detail", args=[building.public_id])).content
    html = html.decode()
    story = html[html.index("Vie communautaire") :]
    assert story.index("Jardin collectif") < story.index("Association du 25 Saint-Louis")
    assert "2010-05-15" in story and "2009-05-01" in story

    html = client.get(reverse("housing:provider-detail", args=[provider.public_id])).content
    html = html.decode()
    story = html[html.index("Vie communautaire") :]
    positions = [
        story.index("Jardin collectif"),
        story.index("Association du 25 Saint-Louis"),
        story.index("Accompagnement"),
    ]
    assert positions == sorted(positions)
    assert "2008-10-01" in story


def test_it_tells_on_the_building_page_with_whom_who_took_part_and_what_came_of_it(
    world, personas, login
):
    from tremplin.partners.models import Partner, PartnerKind
    from tremplin.projects.models import ProjectPartner

    from .test_project_pages import log, make_project

    building = world["building_a"]
    garden = make_project(
        title="Jardin collectif du 25 Saint-Louis",
        buildings=[building],
        start=D(2010, 5, 15),
        end=D(2010, 9, 30),
        status=Status.COMPLETED,
        observed_results="Douze bacs cultivés; un comité de locataires a pris le relais.",
    )
    log(garden, date=D(2010, 6, 1), participants=14, tenants=11)
    log(garden, date=D(2010, 8, 15), participants=9, tenants=9)
    csss = Partner.objects.create(name="CSSS du Grand Littoral", kind=PartnerKind.OTHER)
    ProjectPartner.objects.create(project=garden, partner=csss, role="Nutritionniste")
    make_project(
        title="Projet de l'autre immeuble", buildings=[world["building_b"]], start=D(2010, 1, 1)
    )
    make_project(title="Projet de tout l'office", providers=[world["omh_a"]], start=D(2011, 1, 1))

    for who in ("worker_a", "housing_manager", "partner", "researcher"):
        html = login(personas[who]).get(
            reverse("housing:building-detail", args=[building.public_id])
        )
        story = html.content.decode()
        story = " ".join(story[story.index("Vie communautaire") :].split())
        assert "Jardin collectif du 25 Saint-Louis" in story, who
        assert "CSSS du Grand Littoral (Nutritionniste)" in story
        # 14 + 9 participations, 11 + 9 of them tenants, from the two activities.
        assert "2 activités · 23 participations, dont 20 de locataires" in story
        assert "Douze bacs cultivés; un comité de locataires a pris le relais." in story
        assert "2010-05-15" in story
        assert "autre immeuble" not in story and "tout l&#x27;office" not in story
    # The provider's page tells the project of the whole office too.
    html = login(personas["worker_a"]).get(
        reverse("housing:provider-detail", args=[world["omh_a"].public_id])
    )
    story = html.content.decode()
    story = story[story.index("Vie communautaire") :]
    assert story.index("tout l&#x27;office") < story.index("Jardin collectif du 25 Saint-Louis")


def test_it_shows_the_add_buttons_to_editors_only(world, personas, login):
    url = reverse("housing:provider-detail", args=[world["omh_a"].public_id])
    html = login(personas["organizer_a"]).get(url).content.decode()
    assert "Ajouter un accompagnement" in html and "Ajouter une association" in html
    for who in ("organizer_b", "worker_a", "housing_manager"):
        html = login(personas[who]).get(url).content.decode()
        assert "Ajouter un accompagnement" not in html, who


def _provider_story(world, personas, n):
    provider = world["omh_a"]
    for i in range(n):
        _project(f"Projet {i}", D(2009, 1, 1) + dt.timedelta(days=i), provider=provider)
        _project(f"Projet immeuble {i}", D(2010, 1, 1), building=world["building_a"])
        TenantAssociation.objects.create(name=f"Association {i}", provider=provider)
        _acc(provider, personas["organizer_a"], D(2008, 1, 1) + dt.timedelta(days=i))


def test_it_reads_the_provider_story_in_a_constant_number_of_queries(
    world, personas, login, django_assert_max_num_queries
):
    client = login(personas["coordination"])
    url = reverse("housing:provider-detail", args=[world["omh_a"].public_id])
    _provider_story(world, personas, 3)
    few = query_count(client, url)
    _provider_story(world, personas, 17)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count("Projet immeuble") == 20
