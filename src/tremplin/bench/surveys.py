"""`tremplin bench surveys`: a campaign's results with 100,000 answers.

Registered in ``bench/management/commands/bench.py``'s ``SUITES``. Its data
(``bench.synthetic.surveys.generate_surveys``) is added to the directory's: one measured campaign
of 100,000 responses (about 1.1 million answer values) in 200 buildings of region 12 at both
scales, plus 4 campaigns of 25,000 responses in other regions at province scale.

Measures (signed in as the coordination):

* ``surveys_results``: the campaign's results page, every site;
* ``surveys_results_site``: the same page for its largest site;
* ``surveys_results_compare``: one question compared across the 200 sites;
* ``surveys_text_answers``: the first page of free-text answers;
* ``surveys_chart``: one chart (SVG) — drawn once, then read from the cache.

Targets: p95 under 300 ms for each page, at most 25 queries, the same number at both scales.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from tremplin.bench import measure

MAX_QUERIES = 25
P95_LIMIT_MS = 300


class SurveysSuite:
    """Shaped like ``ProjectsSuite``; standalone (imports the command's helpers lazily)."""

    name = "surveys"
    list_measures = (
        "surveys_results",
        "surveys_results_site",
        "surveys_results_compare",
        "surveys_text_answers",
        "surveys_chart",
    )
    max_queries = MAX_QUERIES

    def generate(self, scale: str, seed: int) -> dict:
        from tremplin.bench.synthetic.surveys import generate_surveys

        return generate_surveys(scale, seed=seed)

    def run(self, *, scale: str, repeat: int, emit) -> None:
        from django.urls import reverse

        from tremplin.bench.synthetic.surveys import MEASURED_TITLE
        from tremplin.surveys.models import AnswerValue, Campaign, Question

        campaign = Campaign.objects.filter(title=MEASURED_TITLE).first()
        if campaign is None:
            raise CommandError("no synthetic survey campaign: generation failed")
        client = measure.verified_client(measure.bench_user())
        site = campaign.sites.order_by("-response_count", "pk").first()
        question = (
            Question.objects.filter(version=campaign.version, kind="single")
            .order_by("section__position", "position")
            .first()
        )
        results = reverse("surveys:results", args=[campaign.public_id])
        pages = [
            ("surveys_results", results, {}),
            ("surveys_results_site", results, {"site": site.code}),
            (
                "surveys_results_compare",
                reverse("surveys:results-compare", args=[campaign.public_id, question.public_id]),
                {},
            ),
            (
                "surveys_text_answers",
                reverse("surveys:text-answers", args=[campaign.public_id]),
                {},
            ),
            (
                "surveys_chart",
                reverse("surveys:results-chart", args=[campaign.public_id, question.public_id]),
                {},
            ),
        ]
        context = {
            "responses": campaign.response_count,
            "answer_values": AnswerValue.objects.filter(campaign=campaign).count(),
            "sites": campaign.sites.count(),
        }
        for name, path, params in pages:
            timing = measure.repeated_get(client, path, params, repeat)
            emit(timing.line(name, scale, bytes=len(timing.body), params=params, **context))

    def targets(self, results: list[dict]) -> dict:
        measured = measure.by_key(results)
        pages = [r for r in measured.values() if r["measure"] in self.list_measures]
        scales = {r["scale"] for r in pages}
        out = {
            "measure": "targets",
            "suite": self.name,
            "pages_at_most_25_queries": measure.at_most_queries(pages, MAX_QUERIES),
            "p95_under_300_ms": all(r["p95_ms"] < P95_LIMIT_MS for r in pages) if pages else None,
            "results_with_100000_answers": all(
                r["responses"] >= 100_000
                for r in pages
                if r["measure"] == "surveys_results" and r["scale"] in ("region", "province")
            )
            if scales & {"region", "province"}
            else None,
            "same_queries_region_and_province": measure.same_queries(measured, self.list_measures),
        }
        return measure.judged(out)

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        return measure.ratio_lines(results, self.list_measures)
