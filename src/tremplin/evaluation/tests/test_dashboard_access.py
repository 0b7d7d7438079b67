"""Who opens the evaluation pages and exports, and which indicators each role sees.

Dashboard roles: coordination, organizers, supervisors, the privacy officer, partners and
researchers. Workers, housing managers and users without a role: 404. Anonymous visitors: the
sign-in page. Individual-support indicators only for roles that read case statistics; funding
indicators only for roles that read funding.
"""

import pytest
from django.urls import reverse

from tremplin.evaluation import catalogue

from .fakes import fake_indicator, install

READERS = (
    "coordination",
    "organizer_a",
    "organizer_b",
    "supervisor_a",
    "supervisor_b",
    "privacy_officer",
    "partner",
    "researcher",
)
CLOSED = ("worker_a", "worker_b", "housing_manager", "no_role")
CASE_STATS = {"coordination", "supervisor_a", "supervisor_b", "privacy_officer"}
FUNDING = {"coordination", "organizer_a", "organizer_b", "partner"}
QUERY = "?period=fy2023&area=all"


@pytest.fixture
def audiences(monkeypatch, db):
    """One test indicator for case-statistics readers, one for funding readers."""
    return install(
        monkeypatch,
        fake_indicator(
            "test.case", "Indicateur d'essai des suivis", value=12, audience=catalogue.CASE_STATS
        ),
        fake_indicator(
            "test.money", "Indicateur d'essai du financement", value=12, audience=catalogue.FUNDING
        ),
    )


def pages(indicator_id="reach.people"):
    return [
        reverse("evaluation:dashboard") + "?kind=fy&year=2023",
        reverse("evaluation:indicator", args=[indicator_id]) + QUERY,
        reverse("evaluation:records", args=[indicator_id]) + QUERY,
        reverse("evaluation:export", args=["csv"]) + "?kind=fy&year=2023",
        reverse("evaluation:export", args=["xlsx"]) + "?kind=fy&year=2023",
    ]


def test_it_opens_every_page_and_export_to_the_dashboard_roles(client, login, personas):
    for name in READERS:
        login(personas[name])
        for url in pages():
            assert client.get(url).status_code == 200, (name, url)
        html = client.get(reverse("evaluation:dashboard")).content.decode()
        assert (
            f'href="{reverse("evaluation:dashboard")}" aria-current="page">Évaluation</a>' in html
        )


def test_it_answers_404_to_other_roles(client, login, personas):
    for name in CLOSED:
        login(personas[name])
        for url in pages():
            assert client.get(url).status_code == 404, (name, url)
        html = client.get(reverse("housing:directory")).content.decode()
        assert ">Évaluation</a>" not in html


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    for url in pages():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_shows_individual_support_and_funding_only_to_their_readers(
    client, login, personas, audiences
):
    case, money = audiences
    for name in READERS:
        login(personas[name])
        html = client.get(reverse("evaluation:dashboard") + "?kind=fy&year=2023").content.decode()
        assert ("Indicateur d&#x27;essai des suivis" in html) == (name in CASE_STATS), name
        assert ("Indicateur d&#x27;essai du financement" in html) == (name in FUNDING), name
        for group_id, readers in (("casework", CASE_STATS), ("funding", FUNDING)):
            if group_id in catalogue.GROUPS and catalogue.of_group(group_id):
                assert (f'id="group-{group_id}"' in html) == (name in readers), (name, group_id)
        for indicator, readers in ((case, CASE_STATS), (money, FUNDING)):
            expected = 200 if name in readers else 404
            for url in pages(indicator.id)[1:3]:
                assert client.get(url).status_code == expected, (name, url)
        text = client.get(reverse("evaluation:export", args=["csv"]) + "?kind=fy&year=2023")
        text = text.content.decode("utf-8-sig")
        assert ("Indicateur d'essai des suivis" in text) == (name in CASE_STATS), name
        assert ("Indicateur d'essai du financement" in text) == (name in FUNDING), name
