"""Results math on a hand-built set of answers; small cells suppressed; the summary rows equal a
computation from the answers; the page reads a constant number of queries."""

import re
from decimal import Decimal

from django.urls import reverse

from tremplin.surveys import results, services
from tremplin.surveys.models import Response, SiteResult, Source

from .conftest import SITE_A, submit

D = Decimal


def _by_name(res):
    return {q.question.name: q for q in res.questions}


def _distribution(result):
    return {o.name: (o.count, o.percent) for o in result.options}


def test_it_computes_the_campaign_figures_by_hand(answered):
    res = results.campaign_results(answered)
    assert res.responses == 10 and res.goal == 20 and res.goal_percent == D("50.0")
    q = _by_name(res)
    assert q["satisfaction"].respondents == 10
    assert _distribution(q["satisfaction"]) == {
        "1": (1, D("10.0")),
        "2": (2, D("20.0")),
        "3": (3, D("30.0")),
        "4": (2, D("20.0")),
        "5": (2, D("20.0")),
    }
    assert q["satisfaction"].mean == D("3.20")  # 32 / 10
    assert _distribution(q["securite"]) == {
        "oui": (4, D("50.0")),
        "plutot_oui": (1, D("12.5")),
        "non": (3, D("37.5")),
    }
    # 7 answered: 2/7 = 28.57… → 28.6; 3/7 = 42.857… → 42.9
    assert _distribution(q["salle"]) == {
        "souvent": (2, D("28.6")),
        "parfois": (2, D("28.6")),
        "jamais": (3, D("42.9")),
    }
    # Multiple choice: percentages of the 5 who answered, adding up to more than 100.
    assert q["activites"].respondents == 5
    assert _distribution(q["activites"]) == {
        "cuisine": (2, D("40.0")),
        "jardin": (3, D("60.0")),
        "cafe": (2, D("40.0")),
    }
    assert q["heures"].respondents == 5 and q["heures"].mean == D("14.00")  # (10+4+6+20+30)/5
    # Two people said why they never use the room: too few to show anything.
    assert q["pourquoi"].respondents == 2 and q["pourquoi"].suppressed
    assert q["idees"].respondents == 1 and q["idees"].suppressed


def test_it_computes_one_site_and_suppresses_small_groups(answered, site_a, site_b):
    a = _by_name(results.campaign_results(answered, site_a))
    assert _distribution(a["securite"]) == {
        "oui": (3, D("60.0")),
        "plutot_oui": (1, D("20.0")),
        "non": (1, D("20.0")),
    }
    assert a["satisfaction"].mean == D("3.83")  # 23 / 6 = 3.8333…
    assert _distribution(a["implication"])["peut_etre"] == (1, D("16.7"))
    assert a["heures"].suppressed  # 3 answered in site A
    # Site B has 4 responses: nothing of it is shown.
    b = results.campaign_results(answered, site_b)
    assert b.responses == 4 and b.suppressed
    assert all(q.suppressed and not q.options and q.mean is None for q in b.questions)


def test_it_compares_sites_without_showing_small_ones(answered, site_a, site_b):
    struct = results.answering.structure(answered.version)
    rows = {r.site.pk: r for r in results.compare_sites(answered, struct.by_name["securite"])}
    assert rows[site_a.pk].cells == [(3, D("60.0")), (1, D("20.0")), (1, D("20.0"))]
    assert rows[site_b.pk].suppressed and rows[site_b.pk].cells == []


def test_it_keeps_the_summary_equal_to_the_answers(answered, site_a, personas):
    def figures(res):
        return [
            (q.question.name, q.respondents, _distribution(q), q.mean, q.suppressed)
            for q in res.questions
        ]

    assert figures(results.campaign_results(answered)) == figures(
        results.results_from_answers(answered)
    )
    for site in answered.sites.all():
        assert figures(results.campaign_results(answered, site)) == figures(
            results.results_from_answers(answered, site)
        )
    # After a deletion too (a paper sheet typed by mistake).
    services.response_delete(
        user=personas["organizer_a"], response=Response.objects.filter(source=Source.PAPER).first()
    )
    assert figures(results.campaign_results(answered)) == figures(
        results.results_from_answers(answered)
    )
    answered.refresh_from_db()
    assert answered.response_count == 9
    # The summary holds one row per (site, question, option chosen) and per (site, question).
    assert SiteResult.objects.filter(site=site_a, question__name="activites").count() == 3 + 1


def test_it_shows_the_results_page_with_tables_and_charts(
    answered, site_b, personas, login, django_assert_max_num_queries
):
    client = login(personas["organizer_a"])
    url = reverse("surveys:results", args=[answered.public_id])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    html = page.content.decode()
    assert "50,0" in html and "12,5" in html and "42,9" in html
    assert "Moyenne : 14,00" in html
    assert "Résultat masqué : moins de 5 réponses." in html
    charts = re.findall(r'src="(/enquetes/campagnes/[^"]+\.svg[^"]*)"', html)
    assert len(charts) == 5  # satisfaction, securite, salle, activites, implication
    svg = client.get(charts[0].replace("&amp;", "&"))
    assert svg["Content-Type"].startswith("image/svg+xml")
    body = svg.content.decode()
    assert "<svg" in body and "style=" not in body and "<style" not in body
    # A site under 5 responses: the page says so, and no chart is drawn for it.
    page = client.get(url, {"site": site_b.code})
    assert "Moins de 5 réponses ici" in page.content.decode()
    securite = answered.version.questions.get(name="securite")
    chart = reverse("surveys:results-chart", args=[answered.public_id, securite.public_id])
    assert client.get(chart, {"site": site_b.code}).status_code == 404
    assert client.get(url, {"site": "INCONNU"}).status_code == 404


def test_it_reads_as_many_queries_with_more_answers(answered, site_a, personas, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(personas["organizer_a"])
    url = reverse("surveys:results", args=[answered.public_id])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for answers in SITE_A * 3:
        submit(site_a, **answers)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
