"""The demo surveys: the Year-1 mobilizing survey in the 10 sites of the demo project, fictitious
and flagged; loaded twice, created once."""

from collections import Counter

from django.contrib.auth import get_user_model
from django.urls import reverse

from tremplin.demo.surveys_loader import (
    FOLLOW_UP_TITLE,
    RESPONSES_PER_SITE,
    YEAR1_TITLE,
    load_surveys,
)
from tremplin.projects.models import Project
from tremplin.surveys import results
from tremplin.surveys.models import AnswerValue, Campaign, Response, SiteResult, Volunteer
from tremplin.testing.demo import demo_reloaded, row_counts

_demo_reloaded, loaded = demo_reloaded(load_surveys)


MODELS = (Campaign, Response, AnswerValue, SiteResult, Volunteer)


def test_it_runs_the_year_one_survey_in_the_ten_sites_of_the_project(loaded):
    campaign = Campaign.objects.get(title=YEAR1_TITLE)
    project = Project.objects.get(title="Enquête mobilisante")
    assert set(campaign.sites.values_list("building_id", flat=True)) == set(
        project.buildings.values_list("pk", flat=True)
    )
    assert campaign.sites.count() == 10
    assert campaign.opens_on.isoformat() == "2009-01-27" and campaign.closes_on.year == 2009
    assert campaign.is_demo and campaign.version.questionnaire.is_demo
    assert (
        campaign.response_count
        == sum(RESPONSES_PER_SITE)
        == Response.objects.filter(campaign=campaign).count()
    )
    assert not Response.objects.filter(campaign=campaign, is_demo=False).exists()
    assert Volunteer.objects.filter(campaign=campaign).exists()
    assert all("fictive" in v.name for v in Volunteer.objects.all())
    assert campaign.version.is_frozen
    assert loaded["year1_responses"] == campaign.response_count


def test_it_loads_twice_without_creating_anything_more(loaded):
    before = row_counts(MODELS)
    created = Counter()
    load_surveys(created)
    assert row_counts(MODELS) == before
    assert sum(created.values()) == 0


def test_it_keeps_its_summaries_equal_to_its_answers(loaded):
    campaign = Campaign.objects.get(title=YEAR1_TITLE)

    def figures(res):
        return [
            (q.question.name, q.respondents, [(o.name, o.count) for o in q.options], q.mean)
            for q in res.questions
        ]

    assert figures(results.campaign_results(campaign)) == figures(
        results.results_from_answers(campaign)
    )
    small = campaign.sites.order_by("response_count").first()
    assert small.response_count == 4
    assert results.campaign_results(campaign, small).suppressed


def test_it_shows_the_demo_results_and_an_open_follow_up(loaded, client):
    organizer = get_user_model().objects.get(username="organisateur")
    client.force_login(organizer, backend="django.contrib.auth.backends.ModelBackend")
    campaign = Campaign.objects.get(title=YEAR1_TITLE)
    page = client.get(reverse("surveys:results", args=[campaign.public_id]))
    assert page.status_code == 200
    assert "Données fictives" in page.content.decode()
    follow_up = Campaign.objects.get(title=FOLLOW_UP_TITLE)
    assert follow_up.version.number == 2 and not follow_up.version.is_frozen
    client.logout()
    answer = client.get(reverse("surveys:answer", args=[follow_up.sites.first().code]))
    assert answer.status_code == 200
    assert "Comment avez-vous entendu parler de cette enquête ?" in answer.content.decode()
    closed = client.get(reverse("surveys:answer", args=[campaign.sites.first().code]))
    assert closed.status_code == 410
