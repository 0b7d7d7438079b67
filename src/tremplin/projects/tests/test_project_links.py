"""The short forms of a project page: partners and their roles, funding lines (never more than
a commitment holds), the staff — who may use them, what the audit journal keeps, and who
sees the amounts."""

import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.conftest import all_personas_but
from tremplin.partners.models import Partner, PartnerKind
from tremplin.projects.models import ProjectFunding, ProjectPartner
from tremplin.testing.queries import query_count

from .test_project_pages import make_project


def _text(response) -> str:
    """The page with Québec spaces made plain, so that ``1 500 $`` can be searched."""
    return response.content.decode().replace("\xa0", " ").replace("\u202f", " ")


def _url(name, project):
    return reverse(f"projects:{name}", args=[project.public_id])


def _allocate(client, project, commitment, amount):
    return client.post(
        _url("funding-add", project), {"commitment": str(commitment.public_id), "amount": amount}
    )


# --------------------------------------------------------------------------- partners


def test_it_adds_a_partner_with_its_role_changes_the_role_and_removes_it(
    login, project_a, personas, money
):
    client = login(personas["organizer_a"])
    page = client.get(_url("project-detail", project_a))
    offered = page.context["partner_form"].fields["partner"].queryset
    assert "Partenaire inactif" not in {p.name for p in offered}

    response = client.post(
        _url("partner-add", project_a),
        {"partner": str(money["forum"].public_id), "role": "Animation des ateliers"},
    )
    assert response.status_code == 302
    assert response.url.endswith("#partenaires")
    link = ProjectPartner.objects.get(project=project_a)
    assert (link.partner, link.role) == (money["forum"], "Animation des ateliers")
    assert "Animation des ateliers" in client.get(_url("project-detail", project_a)).text

    # The same partner again: its role changes, it is not listed twice.
    client.post(
        _url("partner-add", project_a),
        {"partner": str(money["forum"].public_id), "role": "Financement des collations"},
    )
    assert list(project_a.partner_roles.values_list("role", flat=True)) == [
        "Financement des collations"
    ]

    client.post(_url("partner-remove", project_a), {"id": str(money["forum"].public_id)})
    assert not ProjectPartner.objects.exists()
    actions = list(
        AuditEntry.objects.filter(object_id=str(project_a.public_id))
        .filter(action__startswith="projects.partner.")
        .order_by("id")
        .values_list("action", "data")
    )
    assert actions == [
        (
            "projects.partner.add",
            {"partner": str(money["forum"].public_id), "role": "Animation des ateliers"},
        ),
        (
            "projects.partner.update",
            {
                "partner": str(money["forum"].public_id),
                "role": "Financement des collations",
                "role_before": "Animation des ateliers",
            },
        ),
        (
            "projects.partner.remove",
            {
                "partner": str(money["forum"].public_id),
                "name": "Forum jeunesse",
                "role": "Financement des collations",
            },
        ),
    ]


def test_it_refuses_a_partner_form_without_a_partner(login, project_a, personas, money):
    response = login(personas["organizer_a"]).post(
        _url("partner-add", project_a), {"partner": "", "role": "Rôle sans partenaire"}
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.text
    assert "Rien n'a été enregistré" in response.text
    assert not ProjectPartner.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="projects.partner.").exists()


def test_it_keeps_a_partner_once_per_project_in_the_database(project_a, money):
    ProjectPartner.objects.create(project=project_a, partner=money["csss"], role="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectPartner.objects.create(project=project_a, partner=money["csss"], role="B")


# --------------------------------------------------------------------------- funding


def test_it_allocates_from_a_commitment_up_to_what_it_holds(login, world, project_a, money):
    other = make_project(title="Autre projet", buildings=[world["building_a"]])
    ProjectFunding.objects.create(
        project=other, commitment=money["services"], amount=Decimal("50000")
    )
    client = login(project_a.lead_organizer)
    services = money["services"]

    # 50 000 + 4 522 (top-up) = 54 522 $ held; 50 000 $ already went to another project.
    response = _allocate(client, project_a, services, "4 523")
    assert response.status_code == 200
    assert (
        "Ce montant dépasse ce qui reste de l&#x27;engagement « CSSS de Beauce – Organisateurs "
        "en HLM » : 54 522 $ engagés, dont 50 000 $ déjà imputés à d&#x27;autres projets ; "
        "il reste 4 522 $."
    ) in _text(response)
    assert not ProjectFunding.objects.filter(project=project_a).exists()
    assert not AuditEntry.objects.filter(action="projects.funding.set").exists()

    # Exactly what remains is accepted.
    response = _allocate(client, project_a, services, "4 522")
    assert response.status_code == 302
    assert response.url.endswith("#financement")
    row = ProjectFunding.objects.get(project=project_a)
    assert row.amount == Decimal("4522")
    entry = AuditEntry.objects.get(action="projects.funding.set")
    assert entry.object_id == str(project_a.public_id)
    assert entry.data == {"commitment": str(services.public_id), "amount": "4522", "before": None}


def test_it_replaces_a_projects_own_allocation_without_counting_it_twice(login, project_a, money):
    services = money["services"]
    ProjectFunding.objects.create(project=project_a, commitment=services, amount=Decimal("54000"))
    client = login(project_a.lead_organizer)
    # 54 000 → 54 522: only the new amount counts against the 54 522 $ held.
    assert _allocate(client, project_a, services, "54 522").status_code == 302
    assert ProjectFunding.objects.get(project=project_a).amount == Decimal("54522")
    response = _allocate(client, project_a, services, "54 522,01")
    assert response.status_code == 200
    assert (
        "Ce montant dépasse l&#x27;engagement « CSSS de Beauce – Organisateurs en HLM », qui est "
        "de 54 522 $ en tout."
    ) in _text(response)
    assert ProjectFunding.objects.get().amount == Decimal("54522")
    entry = AuditEntry.objects.get(action="projects.funding.set")
    assert (entry.data["before"], entry.data["amount"]) == ("54000.00", "54522")


def test_it_links_an_unquantified_commitment_only_without_an_amount(login, project_a, money):
    client = login(project_a.lead_organizer)
    response = _allocate(client, project_a, money["unquantified"], "100")
    assert (
        "L&#x27;engagement « Société d&#x27;habitation du Québec – Soutien-conseil » n&#x27;est "
        "pas chiffré : on peut y lier le projet, mais avec un montant de 0 $."
    ) in _text(response)
    assert not ProjectFunding.objects.exists()
    assert _allocate(client, project_a, money["unquantified"], "0").status_code == 302
    assert ProjectFunding.objects.get().amount == 0


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "Assurez-vous que cette valeur est supérieure ou égale à 0."),
        ("beaucoup", "Entrez un montant en dollars, par exemple 255 000 ou 1 250,50."),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_it_refuses_an_amount_that_is_not_an_amount(login, project_a, money, amount, message):
    response = _allocate(login(project_a.lead_organizer), project_a, money["services"], amount)
    assert response.status_code == 200
    assert message in response.text
    assert not ProjectFunding.objects.exists()


def test_it_removes_a_funding_line(login, project_a, money):
    ProjectFunding.objects.create(
        project=project_a, commitment=money["services"], amount=Decimal("1000")
    )
    client = login(project_a.lead_organizer)
    response = client.post(
        _url("funding-remove", project_a), {"id": str(money["services"].public_id)}
    )
    assert response.status_code == 302
    assert not ProjectFunding.objects.exists()
    entry = AuditEntry.objects.get(action="projects.funding.remove")
    assert entry.data == {"commitment": str(money["services"].public_id), "amount": "1000.00"}
    # Removing it again, or a commitment the project does not use: 404, nothing logged.
    for commitment in ("services", "youth"):
        response = client.post(
            _url("funding-remove", project_a), {"id": str(money[commitment].public_id)}
        )
        assert response.status_code == 404
    assert AuditEntry.objects.filter(action="projects.funding.remove").count() == 1


def test_it_offers_commitments_with_what_remains_of_them(login, world, project_a, money):
    other = make_project(title="Autre projet", buildings=[world["building_a"]])
    ProjectFunding.objects.create(
        project=other, commitment=money["services"], amount=Decimal("20000")
    )
    form = login(project_a.lead_organizer).get(_url("funding-add", project_a)).context["form"]
    labels = [label for _value, label in form.fields["commitment"].choices][1:]
    labels = [str(label).replace("\xa0", " ").replace("\u202f", " ") for label in labels]
    assert "CSSS de Beauce – Organisateurs en HLM (Entente 2008) · reste 34 522 $" in labels
    assert "Société d'habitation du Québec – Soutien-conseil (Entente 2008) · non chiffré" in labels
    assert "Forum jeunesse – Projets jeunesse (Jeunesse) · reste 3 500 $" in labels


def test_it_shows_funding_amounts_only_to_those_who_read_funding(login, project_a, money, personas):
    ProjectFunding.objects.create(
        project=project_a, commitment=money["services"], amount=Decimal("1500")
    )
    ProjectFunding.objects.create(
        project=project_a, commitment=money["youth"], amount=Decimal("700")
    )
    url = _url("project-detail", project_a)
    services_link = reverse("partners:commitment-detail", args=[money["services"].public_id])

    text = _text(login(personas["organizer_b"]).get(url))
    assert "1 500 $" in text and "700 $" in text and "2 200 $" in text
    assert services_link in text

    # The SHQ signed the first agreement, not the second: one amount, no total, no link to
    # the CSSS's commitment.
    response = login(personas["partner"]).get(url)
    text = _text(response)
    assert "1 500 $" in text
    assert "700 $" not in text and "2 200 $" not in text
    assert services_link not in text
    assert response.context["funding"]["total"] is None

    for who in ("worker_a", "housing_manager", "researcher", "supervisor_a", "privacy_officer"):
        text = _text(login(personas[who]).get(url))
        assert "Organisateurs en HLM" in text and "Projets jeunesse" in text, who
        assert "1 500 $" not in text and "700 $" not in text, who
        assert "Montant imputé" not in text, who


# --------------------------------------------------------------------------- staff


def test_it_changes_the_lead_and_the_other_staff(login, project_a, personas):
    client = login(personas["coordination"])
    form = client.get(_url("staff-add", project_a)).context["form"]
    offered = {u.username for u in form.fields["member"].queryset}
    # Organizers, workers and the coordination; not the lead, not other roles.
    assert offered == {"coordination", "organizer_b", "worker_a", "worker_b"}

    assert client.post(
        _url("staff-add", project_a), {"member": personas["worker_a"].pk}
    ).url.endswith("#equipe")
    client.post(_url("staff-add", project_a), {"member": personas["organizer_b"].pk})
    assert set(project_a.staff.all()) == {personas["worker_a"], personas["organizer_b"]}
    response = client.post(_url("staff-add", project_a), {"member": personas["partner"].pk})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide." in response.text
    assert personas["partner"] not in project_a.staff.all()

    # The new lead leaves the other staff: listed once.
    client.post(_url("lead-set", project_a), {"lead_organizer": personas["organizer_b"].pk})
    project_a.refresh_from_db()
    assert project_a.lead_organizer == personas["organizer_b"]
    assert list(project_a.staff.all()) == [personas["worker_a"]]

    client.post(_url("staff-remove", project_a), {"id": personas["worker_a"].pk})
    assert not project_a.staff.exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="projects.staff.")
        .order_by("id")
        .values_list("action", "data")
    ) == [
        ("projects.staff.add", {"user": "worker_a"}),
        ("projects.staff.add", {"user": "organizer_b"}),
        ("projects.staff.lead", {"before": "organizer_a", "after": "organizer_b"}),
        ("projects.staff.remove", {"user": "worker_a"}),
    ]


def test_it_puts_added_staff_on_their_my_work_page(login, project_a, personas):
    login(personas["organizer_a"]).post(
        _url("staff-add", project_a), {"member": personas["organizer_b"].pk}
    )
    response = login(personas["organizer_b"]).get(reverse("projects:my-work"))
    assert project_a in response.context["projects"]


# --------------------------------------------------------------------------- permissions


def _writes(project, money, personas):
    """Every write of the project page's short forms, with valid data."""
    return [
        ("partner-add", {"partner": str(money["forum"].public_id), "role": "Intrus"}),
        ("partner-remove", {"id": str(money["csss"].public_id)}),
        ("funding-add", {"commitment": str(money["youth"].public_id), "amount": "10"}),
        ("funding-remove", {"id": str(money["services"].public_id)}),
        ("lead-set", {"lead_organizer": personas["organizer_b"].pk}),
        ("staff-add", {"member": personas["worker_b"].pk}),
        ("staff-remove", {"id": personas["worker_a"].pk}),
    ]


def _links(project, money, personas):
    ProjectPartner.objects.create(project=project, partner=money["csss"], role="Locaux")
    ProjectFunding.objects.create(
        project=project, commitment=money["services"], amount=Decimal("100")
    )
    project.staff.add(personas["worker_a"])


def _state(project):
    project.refresh_from_db()
    return (
        list(project.partner_roles.values_list("partner__name", "role")),
        list(project.funding.values_list("commitment__purpose", "amount")),
        project.lead_organizer_id,
        sorted(project.staff.values_list("username", flat=True)),
    )


@pytest.mark.parametrize(
    "who",
    all_personas_but("coordination", "organizer_a", "worker_b", "supervisor_b"),
)
def test_it_answers_404_to_those_who_may_not_edit_the_project(
    login, project_a, money, personas, who
):
    _links(project_a, money, personas)
    before = _state(project_a)
    client = login(personas[who])
    for name in ("partner-add", "funding-add", "lead-set", "staff-add"):
        assert client.get(_url(name, project_a)).status_code == 404, name
    for name, data in _writes(project_a, money, personas):
        assert client.post(_url(name, project_a), data).status_code == 404, name
    assert _state(project_a) == before
    assert not AuditEntry.objects.filter(
        action__regex=r"^projects\.(partner|funding|staff)\."
    ).exists()
    if who != "no_role":
        page = client.get(_url("project-detail", project_a))
        assert page.status_code == 200
        for name in ("partner-add", "funding-add", "lead-set", "staff-add", "staff-remove"):
            assert _url(name, project_a) not in page.text, name


def test_it_sends_anonymous_visitors_to_sign_in(client, project_a, money, personas):
    for name, data in _writes(project_a, money, personas):
        response = client.post(_url(name, project_a), data)
        assert response.status_code == 302 and "/comptes/connexion/" in response.url, name


@pytest.mark.parametrize("who", ["organizer_a", "coordination"])
def test_it_lets_the_organizer_of_the_territory_and_the_coordination_do_every_write(
    login, project_a, money, personas, who
):
    _links(project_a, money, personas)
    client = login(personas[who])
    for name in ("partner-add", "funding-add", "lead-set", "staff-add"):
        assert client.get(_url(name, project_a)).status_code == 200, name
    for name, data in _writes(project_a, money, personas):
        response = client.post(_url(name, project_a), data)
        assert response.status_code == 302, (name, response.content[:300])
    assert _state(project_a) == (
        [("Forum jeunesse", "Intrus")],
        [("Projets jeunesse", Decimal("10"))],
        personas["organizer_b"].pk,
        ["worker_b"],
    )
    assert (
        AuditEntry.objects.filter(action__regex=r"^projects\.(partner|funding|staff)\.").count()
        == 7
    )


def test_it_lets_the_lead_of_a_regional_project_edit_it(login, money, personas):
    regional = make_project(title="Forum régional", lead_organizer=personas["organizer_b"])
    assert not regional.territories.exists()
    response = login(personas["organizer_b"]).post(
        _url("partner-add", regional), {"partner": str(money["csss"].public_id), "role": "Hôte"}
    )
    assert response.status_code == 302
    response = login(personas["organizer_a"]).post(
        _url("partner-add", regional), {"partner": str(money["shq"].public_id), "role": "Intrus"}
    )
    assert response.status_code == 404
    assert list(regional.partner_roles.values_list("role", flat=True)) == ["Hôte"]


def test_it_answers_404_for_a_bad_identifier_in_a_removal(login, project_a, money, personas):
    _links(project_a, money, personas)
    client = login(personas["organizer_a"])
    for name in ("partner-remove", "funding-remove", "staff-remove"):
        for value in ("", "pas-un-identifiant", str(uuid.uuid4()), "12345678"):
            assert client.post(_url(name, project_a), {"id": value}).status_code == 404, (
                name,
                value,
            )
    assert _state(project_a)[0] == [("CSSS de Beauce", "Locaux")]


def test_it_reads_the_project_page_in_a_constant_number_of_queries(
    login, world, project_a, money, personas, django_assert_max_num_queries
):
    client = login(personas["organizer_a"])
    url = _url("project-detail", project_a)
    _links(project_a, money, personas)
    few = query_count(client, url)
    for i in range(5):
        partner = Partner.objects.create(name=f"Partenaire {i}", kind=PartnerKind.OTHER)
        ProjectPartner.objects.create(project=project_a, partner=partner, role=f"Rôle {i}")
        project_a.staff.add(personas["worker_b"], personas["coordination"])
    ProjectFunding.objects.create(project=project_a, commitment=money["youth"], amount=Decimal("5"))
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert "Partenaire 4" in response.text


def test_it_lists_the_lead_once_when_the_project_form_names_a_staff_member(
    login, world, project_a, personas
):
    from .test_project_pages import _form_data

    project_a.staff.add(personas["organizer_b"])
    response = login(personas["organizer_a"]).post(
        _url("project-edit", project_a),
        _form_data(world, start_date="2008-09-01", lead_organizer=personas["organizer_b"].pk),
    )
    assert response.status_code == 302
    project_a.refresh_from_db()
    assert project_a.lead_organizer == personas["organizer_b"]
    assert not project_a.staff.exists()
