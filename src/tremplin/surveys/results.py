"""Results of a campaign, for the whole campaign or one site: responses against the goal, the
distribution of every closed question, the mean of number questions, the themes of free-text
answers. Read from the summary rows (``SiteResult``), a few queries whatever the number of
answers; ``results_from_answers`` computes the same figures from the answers themselves (tests
compare the two).

Small cells are suppressed: a breakdown resting on fewer than ``MIN_CELL`` responses (a site
with 4 responses, a question 3 people answered, a site's row in a comparison) shows no
distribution, only that it is hidden and why.

Percentages are of the people who answered the question (for multiple choice they add up to
more than 100 %), rounded half up to one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from . import answering
from .models import (
    AnswerValue,
    Campaign,
    CampaignSite,
    QuestionKind,
    SiteResult,
    Theme,
)

MIN_CELL = 5


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean(total, count: int) -> Decimal | None:
    if not count or total is None:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class OptionRow:
    name: str
    label: str
    count: int
    percent: Decimal | None


@dataclass
class ThemeRow:
    name: str
    count: int


@dataclass
class QuestionResult:
    info: answering.QuestionInfo
    respondents: int  # how many answered it
    options: list[OptionRow] = field(default_factory=list)
    mean: Decimal | None = None
    themes: list[ThemeRow] = field(default_factory=list)
    suppressed: bool = False

    @property
    def question(self):
        return self.info.question

    @property
    def number(self) -> int:
        return self.info.number

    @property
    def is_closed(self) -> bool:
        return self.question.is_closed

    @property
    def has_chart(self) -> bool:
        return self.is_closed and not self.suppressed and self.respondents > 0


@dataclass
class SiteRow:
    site: CampaignSite
    responses: int
    goal: int

    @property
    def goal_percent(self) -> Decimal | None:
        return percent(self.responses, self.goal) if self.goal else None

    @property
    def suppressed(self) -> bool:
        return self.responses < MIN_CELL


@dataclass
class Results:
    campaign: Campaign
    site: CampaignSite | None
    responses: int
    goal: int
    sites: list[SiteRow]
    questions: list[QuestionResult]
    struct: answering.Structure
    by_source: dict = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return self.responses < MIN_CELL

    @property
    def goal_percent(self) -> Decimal | None:
        return percent(self.responses, self.goal) if self.goal else None


def _site_rows(campaign: Campaign) -> list[SiteRow]:
    return [
        SiteRow(site, site.response_count, site.goal)
        for site in campaign.sites.select_related("building", "provider").order_by("label", "pk")
    ]


def _question_results(
    struct, counts: dict, respondents: dict, totals: dict, themes: dict, overall_suppressed: bool
):
    out = []
    for info in struct.questions:
        n = respondents.get(info.question.pk, 0)
        result = QuestionResult(info, n)
        result.suppressed = overall_suppressed or n < MIN_CELL
        if result.suppressed:
            out.append(result)
            continue
        if info.question.is_closed:
            result.options = [
                OptionRow(
                    c.name,
                    c.label,
                    counts.get((info.question.pk, c.pk), 0),
                    percent(counts.get((info.question.pk, c.pk), 0), n),
                )
                for c in info.choices
            ]
        if info.kind in (QuestionKind.NUMBER, QuestionKind.RATING):
            result.mean = mean(totals.get(info.question.pk), n)
        if info.question.is_text:
            result.themes = themes.get(info.question.pk, [])
        out.append(result)
    return out


def _theme_rows(campaign: Campaign, site: CampaignSite | None) -> dict[int, list[ThemeRow]]:
    """Per text question: its themes and how many of its answers each holds."""
    answers = AnswerValue.themes.through.objects.filter(theme__campaign=campaign)
    if site is not None:
        answers = answers.filter(answervalue__site=site)
    rows: dict[int, list[ThemeRow]] = {}
    for r in (
        answers.values("answervalue__question_id", "theme__name")
        .annotate(n=Count("id"))
        .order_by("answervalue__question_id", "-n", "theme__name")
    ):
        rows.setdefault(r["answervalue__question_id"], []).append(
            ThemeRow(r["theme__name"], r["n"])
        )
    return rows


def campaign_results(campaign: Campaign, site: CampaignSite | None = None, struct=None) -> Results:
    """Results from the summary rows: 5 queries (sites, sections, questions with choices,
    summary rows, themes)."""
    struct = struct or answering.structure(campaign.version)
    sites = _site_rows(campaign)
    rows = SiteResult.objects.filter(campaign=campaign)
    if site is not None:
        rows = rows.filter(site=site)
    counts, respondents, totals = {}, {}, {}
    for r in (
        rows.order_by()
        .values("question_id", "choice_id")
        .annotate(n=Sum("count"), total=Sum("total"))
    ):
        if r["choice_id"] is None:
            respondents[r["question_id"]] = r["n"]
            totals[r["question_id"]] = r["total"]
        else:
            counts[(r["question_id"], r["choice_id"])] = r["n"]
    if site is None:
        responses = sum(s.responses for s in sites)
        goal = sum(s.goal for s in sites)
    else:
        row = next((s for s in sites if s.site.pk == site.pk), None)
        responses, goal = (row.responses, row.goal) if row else (0, site.goal)
    questions = _question_results(
        struct, counts, respondents, totals, _theme_rows(campaign, site), responses < MIN_CELL
    )
    return Results(campaign, site, responses, goal, sites, questions, struct)


def results_from_answers(campaign: Campaign, site: CampaignSite | None = None) -> Results:
    """The same figures computed from the answers, not the summary (for checks and tests)."""
    struct = answering.structure(campaign.version)
    values = AnswerValue.objects.filter(campaign=campaign).order_by()
    if site is not None:
        values = values.filter(site=site)
    counts = {
        (r["question_id"], r["choice_id"]): r["n"]
        for r in values.exclude(choice=None)
        .values("question_id", "choice_id")
        .annotate(n=Count("id"))
    }
    respondents, totals = {}, {}
    for r in values.values("question_id").annotate(
        n=Count("response_id", distinct=True), total=Sum("number")
    ):
        respondents[r["question_id"]] = r["n"]
        totals[r["question_id"]] = r["total"]
    responses_qs = campaign.responses.all()
    if site is not None:
        responses_qs = responses_qs.filter(site=site)
    responses = responses_qs.count()
    per_site = dict(
        campaign.responses.order_by()
        .values("site_id")
        .annotate(n=Count("id"))
        .values_list("site_id", "n")
    )
    sites = [
        SiteRow(s, per_site.get(s.pk, 0), s.goal) for s in campaign.sites.order_by("label", "pk")
    ]
    goal = site.goal if site is not None else sum(s.goal for s in sites)
    questions = _question_results(
        struct, counts, respondents, totals, _theme_rows(campaign, site), responses < MIN_CELL
    )
    return Results(campaign, site, responses, goal, sites, questions, struct)


def source_counts(campaign: Campaign, site: CampaignSite | None = None) -> dict[str, int]:
    responses = campaign.responses.all()
    if site is not None:
        responses = responses.filter(site=site)
    return dict(
        responses.order_by().values("source").annotate(n=Count("id")).values_list("source", "n")
    )


@dataclass
class ComparisonRow:
    site: CampaignSite
    respondents: int
    cells: list[tuple[int, Decimal | None]]  # (count, percent) per option
    suppressed: bool


def compare_sites(campaign: Campaign, info: answering.QuestionInfo) -> list[ComparisonRow]:
    """One closed question across the sites: a row per site, suppressed under MIN_CELL."""
    rows = SiteResult.objects.filter(campaign=campaign, question=info.question).values_list(
        "site_id", "choice_id", "count"
    )
    by_site: dict[int, dict] = {}
    for site_id, choice_id, count in rows:
        by_site.setdefault(site_id, {})[choice_id] = count
    out = []
    for site in campaign.sites.order_by("label", "pk"):
        data = by_site.get(site.pk, {})
        n = data.get(None, 0)
        suppressed = n < MIN_CELL or site.response_count < MIN_CELL
        cells = (
            []
            if suppressed
            else [(data.get(c.pk, 0), percent(data.get(c.pk, 0), n)) for c in info.choices]
        )
        out.append(ComparisonRow(site, n, cells, suppressed))
    return out


def question_result(campaign: Campaign, info: answering.QuestionInfo, site=None) -> QuestionResult:
    """One question's result (for its chart), with the same suppression as the page."""
    rows = SiteResult.objects.filter(campaign=campaign, question=info.question)
    if site is not None:
        rows = rows.filter(site=site)
        responses = CampaignSite.objects.values_list("response_count", flat=True).get(pk=site.pk)
    else:
        responses = Campaign.objects.values_list("response_count", flat=True).get(pk=campaign.pk)
    counts, respondents, totals = {}, {}, {}
    for r in rows.order_by().values("choice_id").annotate(n=Sum("count"), total=Sum("total")):
        if r["choice_id"] is None:
            respondents[info.question.pk] = r["n"]
            totals[info.question.pk] = r["total"]
        else:
            counts[(info.question.pk, r["choice_id"])] = r["n"]
    struct = answering.Structure(campaign.version, [], [info])
    return _question_results(struct, counts, respondents, totals, {}, responses < MIN_CELL)[0]


def text_answer_count(campaign: Campaign, questions, site: CampaignSite | None = None) -> int:
    """How many answers the free-text ``questions`` received (from the summary rows)."""
    rows = SiteResult.objects.filter(campaign=campaign, question__in=list(questions), choice=None)
    if site is not None:
        rows = rows.filter(site=site)
    return rows.aggregate(n=Sum("count"))["n"] or 0


def theme_summary(campaign: Campaign):
    return (
        Theme.objects.filter(campaign=campaign)
        .annotate(n=Count("answers", filter=Q(answers__campaign=campaign)))
        .order_by("name")
    )
