"""Who may use which survey page: coordination everything, organizers their territories' campaigns
and every questionnaire (changing only their own), volunteers' contacts only the organizers of
the site's territory; every other role gets a 404; anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.conftest import all_personas_but
from tremplin.surveys import services
from tremplin.surveys.models import Response, Source, Theme, Volunteer

from .conftest import submit

OUTSIDERS = all_personas_but(
    "coordination", "organizer_a", "organizer_b", "worker_b", "supervisor_b"
)


def staff_urls(campaign, site, questionnaire, theme_id=None):
    q = questionnaire.versions.get().questions.first()
    s = questionnaire.versions.get().sections.first()
    return {
        "get": [
            reverse("surveys:campaign-detail", args=[campaign.public_id]),
            reverse("surveys:campaign-edit", args=[campaign.public_id]),
            reverse("surveys:campaign-paper", args=[campaign.public_id]),
            reverse("surveys:paper-entry", args=[campaign.public_id]),
            reverse("surveys:site-poster", args=[site.public_id]),
            reverse("surveys:site-qr", args=[site.public_id, "png"]),
            reverse("surveys:site-qr", args=[site.public_id, "svg"]),
            reverse("surveys:results", args=[campaign.public_id]),
            reverse("surveys:results-compare", args=[campaign.public_id, q.public_id]),
            reverse("surveys:text-answers", args=[campaign.public_id]),
            reverse("surveys:export-csv", args=[campaign.public_id]),
            reverse("surveys:export-xlsx", args=[campaign.public_id]),
            reverse("surveys:report", args=[campaign.public_id, "docx"]),
        ],
        "questionnaire": [
            reverse("surveys:questionnaire-detail", args=[questionnaire.public_id]),
            reverse("surveys:questionnaire-preview", args=[questionnaire.public_id]),
            reverse("surveys:questionnaire-export", args=[questionnaire.public_id]),
        ],
        "edit": [
            reverse("surveys:questionnaire-edit", args=[questionnaire.public_id]),
            reverse("surveys:section-create", args=[questionnaire.public_id]),
            reverse("surveys:section-edit", args=[questionnaire.public_id, s.public_id]),
            reverse("surveys:question-create", args=[questionnaire.public_id]),
            reverse("surveys:question-edit", args=[questionnaire.public_id, q.public_id]),
        ],
        "lists": [
            reverse("surveys:campaign-list"),
            reverse("surveys:campaign-create"),
            reverse("surveys:questionnaire-list"),
            reverse("surveys:questionnaire-create"),
            reverse("surveys:import-upload"),
        ],
    }


@pytest.fixture
def urls(campaign_a, questionnaire):
    return staff_urls(campaign_a, campaign_a.sites.get(), questionnaire)


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_it_answers_404_to_every_other_role(persona, personas, login, urls, campaign_a):
    client = login(personas[persona])
    for group in urls.values():
        for url in group:
            assert client.get(url).status_code == 404, (persona, url)
    for url in _post_urls(campaign_a):
        assert client.post(url, {"action": "up"}).status_code == 404, (persona, url)
    assert Response.objects.count() == 1


def _post_urls(campaign):
    """Every POST-only staff URL, on objects of ``campaign`` (one paper response is made)."""
    site = campaign.sites.get()
    response = submit(site, source=Source.PAPER, sheet=99, satisfaction=3)
    version = campaign.version
    question = version.questions.get(name="securite")
    return [
        reverse("surveys:kiosk-start", args=[site.public_id]),
        reverse("surveys:site-goals", args=[campaign.public_id]),
        reverse("surveys:volunteers", args=[campaign.public_id]),
        reverse("surveys:response-delete", args=[campaign.public_id, response.public_id]),
        reverse("surveys:results-chart", args=[campaign.public_id, question.public_id]),
        reverse(
            "surveys:section-action",
            args=[version.questionnaire.public_id, question.section.public_id],
        ),
        reverse(
            "surveys:question-action", args=[version.questionnaire.public_id, question.public_id]
        ),
    ]


def test_it_sends_anonymous_visitors_to_sign_in(client, urls):
    for group in urls.values():
        for url in group:
            response = client.get(url)
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], (
                url
            )


def test_it_limits_organizers_to_campaigns_of_their_territories(personas, login, urls, campaign_a):
    other = login(personas["organizer_b"])
    for url in urls["get"]:
        assert other.get(url).status_code == 404, url
    for url in _post_urls(campaign_a):
        assert other.post(url, {"action": "up"}).status_code == 404, url
    assert Response.objects.count() == 1
    # … but every questionnaire is shared in the region (read, not changed by others).
    for url in urls["questionnaire"] + urls["lists"]:
        assert other.get(url).status_code == 200, url
    for url in urls["edit"]:
        assert other.get(url).status_code == 404, url
    assert campaign_a.title not in other.get(reverse("surveys:campaign-list")).content.decode()
    own = login(personas["organizer_a"])
    for group in urls.values():
        for url in group:
            assert own.get(url).status_code == 200, url
    coordination = login(personas["coordination"])
    for group in urls.values():
        for url in group:
            assert coordination.get(url).status_code == 200, url


def test_it_shows_a_multi_territory_campaign_to_the_organizers_of_each(campaign, personas, login):
    for persona in ("organizer_a", "organizer_b", "coordination"):
        client = login(personas[persona])
        assert client.get(reverse("surveys:results", args=[campaign.public_id])).status_code == 200


def test_it_shows_volunteers_only_to_the_organizers_of_their_site(
    campaign, site_a, site_b, personas, login
):
    for site, name in ((site_a, "Aline Lévis"), (site_b, "Bruno Beauce")):
        services.response_submit(
            site=site,
            answers={"satisfaction": ["4"]},
            volunteer={"name": name, "phone": "418 555-0100", "email": "", "note": ""},
        )
    url = reverse("surveys:volunteers", args=[campaign.public_id])
    html = login(personas["organizer_a"]).get(url).content.decode()
    assert "Aline Lévis" in html and "Bruno Beauce" not in html
    html = login(personas["organizer_b"]).get(url).content.decode()
    assert "Bruno Beauce" in html and "Aline Lévis" not in html
    # Not even the coordination: contacts are for the organizers who follow up locally.
    assert login(personas["coordination"]).get(url).status_code == 404
    assert AuditEntry.objects.filter(action="surveys.volunteers.read").count() == 2
    assert Volunteer.objects.count() == 2


def test_it_keeps_organizers_to_sites_of_their_territories_in_the_form(
    personas, login, world, version
):
    client = login(personas["organizer_a"])
    data = {
        "title": "Enquête 2026",
        "version": version.pk,
        "opens_on": "2026-01-01",
        "closes_on": "2026-02-01",
        "default_goal": "15",
        "buildings": [world["building_b"].pk],
    }
    page = client.post(reverse("surveys:campaign-create"), data)
    assert page.status_code == 200
    assert (
        "Sélectionnez un choix valide" in page.content.decode()
        or "vos territoires" in page.content.decode()
    )
    data["buildings"] = [world["building_a"].pk]
    assert client.post(reverse("surveys:campaign-create"), data).status_code == 302
    campaign = personas["organizer_a"].membership.territories.get().survey_campaigns.get()
    assert campaign.sites.get().goal == 15
    assert campaign.created_by == personas["organizer_a"]


def test_it_keeps_themes_and_answers_of_a_campaign_to_itself(
    campaign, campaign_a, site_a, personas, login
):
    submit(site_a, satisfaction=3, idees="Un jardin")
    theme = services.theme_create(user=personas["organizer_a"], campaign=campaign_a, name="Jardin")
    client = login(personas["organizer_a"])
    answer_id = campaign.responses.get().values.get(question__name="idees").pk
    response = client.post(
        reverse("surveys:text-answers", args=[campaign.public_id]),
        {"action": "tag", "target": str(theme.public_id), "answer": [answer_id]},
    )
    assert response.status_code == 404
    assert not Theme.objects.get(pk=theme.pk).answers.exists()
