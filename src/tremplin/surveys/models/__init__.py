"""Questionnaires (with frozen versions), campaigns in sites, answers and their summaries.

A questionnaire's content lives in its versions. A version that has answers is frozen
(``frozen_at``): editing the questionnaire then creates the next version, so answers always
match the wording they were given with, and every response records the version it used.

Answers are stored one row per value (``AnswerValue``: one row per chosen option of a
multiple-choice question), so that results are SQL aggregates. ``SiteResult`` holds those
aggregates per site (counts per question and option), recomputed for a site whenever its
answers change (``services.site_refresh_results``): a results page reads a few hundred summary
rows whatever the number of answers.

Respondents are not tracked: a response keeps its date (not the time), its site and how it was
collected; no address, no account, no device identifier. Contact details left by residents who
want to get involved (``Volunteer``) are kept apart from answers, encrypted at rest, with no
link to the response.

The models live in three modules: ``questionnaires`` (questionnaires, versions, sections,
questions, choices, XLSForm imports), ``campaigns`` (campaigns and their sites) and ``answers``
(responses, answer values, site results, themes, volunteers, used tokens).
"""

from .answers import (
    AnswerValue,
    Response,
    SiteResult,
    Source,
    Theme,
    UsedToken,
    Volunteer,
)
from .campaigns import Campaign, CampaignSite
from .questionnaires import (
    CHOICE_KINDS,
    CLOSED_KINDS,
    LONG_TEXT_MAX,
    NUMBER_LIMIT,
    RATING_MAX,
    RATING_MIN,
    SHORT_TEXT_MAX,
    TEXT_KINDS,
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireImport,
    QuestionnaireVersion,
    Section,
    localized,
)

__all__ = [
    "CHOICE_KINDS",
    "CLOSED_KINDS",
    "LONG_TEXT_MAX",
    "NUMBER_LIMIT",
    "RATING_MAX",
    "RATING_MIN",
    "SHORT_TEXT_MAX",
    "TEXT_KINDS",
    "AnswerValue",
    "Campaign",
    "CampaignSite",
    "Choice",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireImport",
    "QuestionnaireVersion",
    "Response",
    "Section",
    "SiteResult",
    "Source",
    "Theme",
    "UsedToken",
    "Volunteer",
    "localized",
]
