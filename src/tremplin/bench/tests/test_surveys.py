"""The synthetic survey data of the bench: generated in bulk, summaries equal to the answers,
and the bench suite runs on it."""

from tremplin.bench.surveys import SurveysSuite
from tremplin.bench.synthetic.province import generate_province
from tremplin.bench.synthetic.surveys import MEASURED_TITLE, SURVEY_SCALES, generate_surveys
from tremplin.surveys import results
from tremplin.surveys.models import AnswerValue, Campaign, Response


def test_it_generates_campaigns_whose_summaries_equal_their_answers(db):
    generate_province("tiny", seed=3)
    summary = generate_surveys("tiny", seed=3)
    shape = SURVEY_SCALES["tiny"]
    campaign = Campaign.objects.get(title=MEASURED_TITLE)
    assert summary["responses"] == shape.responses == campaign.response_count
    assert (
        Response.objects.count() == shape.responses + shape.other_campaigns * shape.other_responses
    )
    assert summary["answer_values"] == AnswerValue.objects.count()
    assert campaign.version.is_frozen

    def figures(res):
        return [
            (q.question.name, q.respondents, [(o.name, o.count) for o in q.options], q.mean)
            for q in res.questions
        ]

    assert figures(results.campaign_results(campaign)) == figures(
        results.results_from_answers(campaign)
    )
    site = campaign.sites.order_by("pk").first()
    assert figures(results.campaign_results(campaign, site)) == figures(
        results.results_from_answers(campaign, site)
    )


def test_it_measures_the_results_pages(db, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    generate_province("tiny", seed=4)
    generate_surveys("tiny", seed=4)
    lines = []
    suite = SurveysSuite()
    suite.run(scale="tiny", repeat=2, emit=lines.append)
    assert [line["measure"] for line in lines] == list(suite.list_measures)
    assert all(line["queries"] <= 25 for line in lines)
    targets = suite.targets(lines)
    assert targets["pages_at_most_25_queries"] is True
