"""Who sees what in funding: coordination edits; organizers read; partners see their own."""

import pytest
from django.urls import reverse

from tremplin.partners.models import Partner, PartnerKind
from tremplin.testing.forms import formset


def pages(funding):
    a, cash, services = funding["agreement"], funding["cash"], funding["services"]
    return {
        "list": reverse("partners:agreement-list"),
        "agreement": reverse("partners:agreement-detail", args=[a.slug]),
        "spending": reverse("partners:agreement-spending", args=[a.slug]),
        "own_commitment": reverse("partners:commitment-detail", args=[cash.public_id]),
        "other_commitment": reverse("partners:commitment-detail", args=[services.public_id]),
        "partners": reverse("partners:partner-list"),
        "shq": reverse("partners:partner-detail", args=[funding["shq"].public_id]),
        "csss": reverse("partners:partner-detail", args=[funding["csss"].public_id]),
    }


EDIT_URLS = [
    ("partners:commitment-edit", "cash"),
    ("partners:disbursement-add", "cash"),
    ("partners:partner-edit", "shq"),
]


@pytest.mark.parametrize("role", ["worker_a", "housing_manager", "researcher", "no_role"])
def test_it_hides_everything_from_roles_without_funding_access(funding, personas, login, role):
    client = login(personas[role])
    for name, url in pages(funding).items():
        assert client.get(url).status_code == 404, name


def test_it_sends_anonymous_visitors_to_the_login_page(client, funding):
    for url in pages(funding).values():
        response = client.get(url)
        assert response.status_code == 302 and "connexion" in response["Location"]


def test_it_lets_organizers_read_without_internal_notes(funding, personas, login):
    client = login(personas["organizer_a"])
    urls = pages(funding)
    for name in [
        "list",
        "agreement",
        "spending",
        "own_commitment",
        "other_commitment",
        "partners",
        "shq",
    ]:
        assert client.get(urls[name]).status_code == 200, name
    assert "Note interne de la SHQ" not in client.get(urls["own_commitment"]).content.decode()
    for name, key in EDIT_URLS:
        assert client.get(reverse(name, args=[funding[key].public_id])).status_code == 404


def test_it_shows_a_partners_internal_notes_to_the_coordination_only(funding, personas, login):
    shq = funding["shq"]
    Partner.objects.filter(pk=shq.pk).update(internal_notes="Relance prévue en mai")
    url = pages(funding)["shq"]
    assert "Relance prévue en mai" in login(personas["coordination"]).get(url).content.decode()
    for role in ("partner", "organizer_a"):  # the partner is the SHQ's own account
        page = login(personas[role]).get(url)
        assert page.status_code == 200 and "Relance prévue en mai" not in page.content.decode()


def test_it_shows_a_partner_its_agreement_totals_and_own_commitments_only(funding, personas, login):
    client = login(personas["partner"])
    urls = pages(funding)
    page = client.get(urls["agreement"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Grand total" in html and "154\u202f522\u00a0$" in html  # totals of the agreement
    own = client.get(urls["own_commitment"])
    assert own.status_code == 200 and "Note interne de la SHQ" in own.content.decode()
    assert client.get(urls["other_commitment"]).status_code == 404
    assert "Note du CSSS" not in html
    assert client.get(urls["csss"]).status_code == 404
    assert client.get(urls["spending"]).status_code == 404
    for name, key in EDIT_URLS:
        assert client.get(reverse(name, args=[funding[key].public_id])).status_code == 404


def test_it_hides_agreements_a_partner_is_not_party_to(funding, personas, login):
    other = Partner.objects.create(name="Université Laval", kind=PartnerKind.UNIVERSITY)
    funding["shq"].users.remove(personas["partner"])
    other.users.add(personas["partner"])
    client = login(personas["partner"])
    assert client.get(pages(funding)["agreement"]).status_code == 404
    assert "Entente de test" not in client.get(pages(funding)["list"]).content.decode()


def test_it_refuses_partner_deletion_by_anyone_but_coordination(funding, personas, login):
    url = reverse("partners:partner-delete", args=[funding["stranger"].public_id])
    for role in ["organizer_a", "partner", "worker_a", "researcher"]:
        assert login(personas[role]).post(url).status_code == 404
    assert Partner.objects.filter(pk=funding["stranger"].pk).exists()
    response = login(personas["coordination"]).post(url)
    assert (
        response.status_code == 302
        and not Partner.objects.filter(pk=funding["stranger"].pk).exists()
    )


def test_it_tells_the_coordination_why_a_partner_cannot_be_deleted(funding, personas, login):
    url = reverse("partners:partner-delete", args=[funding["shq"].public_id])
    response = login(personas["coordination"]).post(url, follow=True)
    assert "ne peut pas être supprimé" in response.content.decode()
    assert Partner.objects.filter(pk=funding["shq"].pk).exists()


def test_it_lets_the_coordination_record_a_partner_and_its_contacts(personas, login, db):
    client = login(personas["coordination"])
    response = client.post(
        reverse("partners:partner-create"),
        {
            "name": "Université du Québec à Rimouski",
            "short_name": "UQAR",
            "kind": "university",
            "parent": "",
            "website": "uqar.ca",
            "active": "on",
            "internal_notes": "",
            **formset(
                "contacts",
                {
                    "name": "Chercheuse Fictive",
                    "role": "Professeure",
                    "email": "c@uqar.example",
                    "phone": "",
                },
            ),
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get(short_name="UQAR")
    assert partner.website == "https://uqar.ca"
    assert partner.contacts.get().name == "Chercheuse Fictive"
    page = client.get(reverse("partners:partner-detail", args=[partner.public_id])).content.decode()
    assert "Chercheuse Fictive" in page
