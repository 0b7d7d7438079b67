"""Surveys, through ``surveys.selectors`` (questionnaires: the coordination and every
organizer; campaigns: the coordination, an organizer those with a site in their territories;
anyone else: 404). Results are the results page's (``surveys.results.campaign_results``,
from the summary rows) with its small-cell suppression: under ``MIN_CELL`` responses (the
campaign, the site, the question) the counts of people stay but no distribution, mean or
theme is given. Paper sheets are typed through ``surveys.services.response_submit``, as on
the paper entry page (sheet number once per campaign, up to 60 days after the close)."""

import datetime as dt
import uuid

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils.text import slugify
from ninja import Field, Query, Router, Schema

from tremplin.surveys import answering, results, selectors, services, xlsform
from tremplin.surveys.models import CampaignSite, QuestionnaireVersion, Source
from tremplin.territories.models import Territory

from .. import idempotency
from ..auth import scoped
from ..pagination import ListParams, page, page_schema
from ..schemas import StrictSchema, fields

router = Router()


class VersionOut(Schema):
    number: int
    title: str
    frozen: bool


class QuestionnaireOut(Schema):
    id: uuid.UUID
    title: str
    versions: list[VersionOut]
    is_demo: bool
    updated_at: dt.datetime


QuestionnairePage = page_schema("QuestionnairePage", QuestionnaireOut)


class ChoiceOut(Schema):
    name: str
    label: str


class QuestionOut(Schema):
    id: uuid.UUID
    number: int
    name: str
    section: str
    kind: str
    label: str
    hint: str
    required: bool
    condition: dict | None
    choices: list[ChoiceOut]


class QuestionnaireDetailOut(QuestionnaireOut):
    version: int
    intro: str
    questions: list[QuestionOut]


class SiteOut(Schema):
    id: uuid.UUID
    code: str
    label: str
    territory: str | None
    building: uuid.UUID | None
    provider: uuid.UUID | None
    goal: int
    responses: int
    paper: int
    tablet: int


class CampaignOut(Schema):
    id: uuid.UUID
    title: str
    questionnaire: uuid.UUID
    version: int
    opens_on: dt.date
    closes_on: dt.date
    allows_contact: bool
    territories: list[str]
    responses: int
    sites: list[SiteOut]
    is_demo: bool
    updated_at: dt.datetime


CampaignPage = page_schema("CampaignPage", CampaignOut)


class OptionOut(Schema):
    name: str
    label: str
    count: int
    percent: float | None


class ThemeOut(Schema):
    name: str
    count: int


class QuestionResultOut(Schema):
    question: uuid.UUID
    number: int
    name: str
    kind: str
    label: str
    respondents: int
    suppressed: bool
    options: list[OptionOut]
    mean: float | None
    themes: list[ThemeOut]


class SiteResultOut(Schema):
    code: str
    label: str
    responses: int
    goal: int
    suppressed: bool


class ResultsOut(Schema):
    campaign: uuid.UUID
    site: str | None
    min_cell: int
    responses: int
    goal: int
    suppressed: bool
    sites: list[SiteResultOut]
    questions: list[QuestionResultOut]


class ResultParams(Schema):
    site: str | None = Field(None, max_length=16, description="Code d'un site de la campagne.")


class VersionParams(Schema):
    version: int | None = Field(None, ge=1, le=10000, description="Par défaut : la dernière.")


class PaperIn(StrictSchema):
    site: str = Field(..., min_length=1, max_length=16, description="Code du site.")
    sheet_number: int = Field(..., ge=1, le=1_000_000)
    answers: dict[str, str | list[str]] = Field(
        ..., description="Nom de la question (XLSForm) → valeur, ou liste pour un choix multiple."
    )


class PaperOut(Schema):
    id: uuid.UUID
    campaign: uuid.UUID
    site: str
    sheet_number: int
    submitted_on: dt.date


def _float(value):
    return float(value) if value is not None else None


VERSIONS = Prefetch("versions", queryset=QuestionnaireVersion.objects.order_by("number"))


def questionnaire_out(q) -> dict:
    return {
        "id": q.public_id,
        "versions": [
            {"number": v.number, "title": v.title, "frozen": v.frozen_at is not None}
            for v in q.versions.all()
        ],
        **fields(q, "title", "is_demo", "updated_at"),
    }


def _version(questionnaire, number):
    versions = sorted(questionnaire.versions.all(), key=lambda v: v.number)
    if number is not None:
        versions = [v for v in versions if v.number == number]
    if not versions:
        raise Http404
    return versions[-1]


@router.get("/questionnaires", response=QuestionnairePage, summary="Questionnaires")
@scoped("surveys:read")
def questionnaires(request, params: Query[ListParams]):
    qs = selectors.questionnaires_for_user(request.user).prefetch_related(VERSIONS)
    return page(request, qs, params, questionnaire_out)


@router.get(
    "/questionnaires/{questionnaire_id}",
    response=QuestionnaireDetailOut,
    summary="Un questionnaire et ses questions",
)
@scoped("surveys:read")
def questionnaire(request, questionnaire_id: uuid.UUID, params: Query[VersionParams]):
    q = selectors.get_questionnaire_for_user(request.user, questionnaire_id)
    q = type(q).objects.prefetch_related(VERSIONS).get(pk=q.pk)
    version = _version(q, params.version)
    struct = answering.structure(version)
    sections = {s.section.pk: s.section.name for s in struct.sections}
    return {
        **questionnaire_out(q),
        "version": version.number,
        "intro": version.intro,
        "questions": [
            {
                "id": i.question.public_id,
                "section": sections.get(i.question.section_id, ""),
                **fields(i, "number", "name", "kind", "label"),
                "hint": i.question.hint,
                "required": i.question.required,
                "condition": i.question.condition,
                "choices": [{"name": c.name, "label": c.label} for c in i.choices],
            }
            for i in struct.questions
        ],
    }


@router.get(
    "/questionnaires/{questionnaire_id}/xlsform",
    summary="Le questionnaire en XLSForm (.xlsx)",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "XLSForm (KoboToolbox, ODK)",
                "content": {xlsform.XLSX_CONTENT_TYPE: {"schema": {"type": "string"}}},
            }
        }
    },
)
@scoped("surveys:read")
def questionnaire_xlsform(request, questionnaire_id: uuid.UUID, params: Query[VersionParams]):
    """The same file as the questionnaire page's export (``?version=N``: that version)."""
    q = selectors.get_questionnaire_for_user(request.user, questionnaire_id)
    version = _version(type(q).objects.prefetch_related(VERSIONS).get(pk=q.pk), params.version)
    response = HttpResponse(xlsform.export_xlsform(version), content_type=xlsform.XLSX_CONTENT_TYPE)
    name = slugify(version.title_fr)[:60] or "questionnaire"
    response["Content-Disposition"] = f'attachment; filename="{name}-v{version.number}.xlsx"'
    response["Cache-Control"] = "private, no-cache"
    return response


SITES = Prefetch(
    "sites",
    queryset=CampaignSite.objects.select_related("territory", "building", "provider").order_by(
        "label", "pk"
    ),
)
TERRITORIES = Prefetch("territories", queryset=Territory.objects.only("slug"))


def site_out(s) -> dict:
    return {
        "id": s.public_id,
        "territory": s.territory.slug if s.territory_id else None,
        "building": s.building.public_id if s.building_id else None,
        "provider": s.provider.public_id if s.provider_id else None,
        **fields(s, "code", "label", "goal"),
        "responses": s.response_count,
        "paper": s.paper_count,
        "tablet": s.tablet_count,
    }


def campaign_out(c) -> dict:
    return {
        "id": c.public_id,
        "questionnaire": c.version.questionnaire.public_id,
        "version": c.version.number,
        "territories": [t.slug for t in c.territories.all()],
        "responses": c.response_count,
        "sites": [site_out(s) for s in c.sites.all()],
        **fields(c, "title", "opens_on", "closes_on", "allows_contact", "is_demo", "updated_at"),
    }


def _campaigns(user):
    return (
        selectors.campaigns_for_user(user)
        .select_related("version__questionnaire")
        .prefetch_related(SITES, TERRITORIES)
    )


@router.get("/campaigns", response=CampaignPage, summary="Campagnes")
@scoped("surveys:read")
def campaigns(request, params: Query[ListParams]):
    return page(request, _campaigns(request.user), params, campaign_out)


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="Une campagne et ses sites")
@scoped("surveys:read")
def campaign(request, campaign_id: uuid.UUID):
    found = selectors.get_campaign_for_user(request.user, campaign_id)
    return campaign_out(_campaigns(request.user).get(pk=found.pk))


@router.get(
    "/campaigns/{campaign_id}/results",
    response=ResultsOut,
    summary="Résultats (agrégés, petites cellules masquées)",
)
@scoped("surveys:read")
def campaign_results(request, campaign_id: uuid.UUID, params: Query[ResultParams]):
    """The whole campaign, or one site (``?site=CODE``; an unknown code is a 404)."""
    found = selectors.get_campaign_for_user(request.user, campaign_id)
    site = selectors.site_of_campaign(found, params.site)
    res = results.campaign_results(found, site)
    return {
        "campaign": found.public_id,
        "site": site.code if site else None,
        "min_cell": results.MIN_CELL,
        **fields(res, "responses", "goal", "suppressed"),
        "sites": [
            {
                "code": r.site.code,
                "label": r.site.label,
                **fields(r, "responses", "goal", "suppressed"),
            }
            for r in res.sites
        ],
        "questions": [
            {
                "question": q.question.public_id,
                "name": q.info.name,
                "kind": q.info.kind,
                "label": q.info.label,
                **fields(q, "number", "respondents", "suppressed"),
                "options": [
                    {
                        **fields(o, "name", "label", "count"),
                        "percent": _float(o.percent),
                    }
                    for o in q.options
                ],
                "mean": _float(q.mean),
                "themes": [{"name": t.name, "count": t.count} for t in q.themes],
            }
            for q in res.questions
        ],
    }


@router.post(
    "/campaigns/{campaign_id}/paper-responses",
    response={201: PaperOut},
    summary="Saisir une feuille papier",
)
@scoped("surveys:write")
def paper_response(
    request, campaign_id: uuid.UUID, payload: PaperIn, key: str | None = idempotency.IdempotencyKey
):
    """Checked as on the paper entry page: the answers by ``surveys.answering`` (unknown
    questions, choices, numbers out of range, required questions: 422), the sheet number once
    per campaign (422), the campaign open or closed for less than 60 days (422)."""
    found = selectors.get_campaign_for_user(request.user, campaign_id)
    site = selectors.site_of_campaign(found, payload.site)
    answers = {
        name: value if isinstance(value, list) else [value]
        for name, value in payload.answers.items()
    }

    def write():
        response = services.response_submit(
            site=site,
            answers=answers,
            source=Source.PAPER,
            sheet_number=payload.sheet_number,
            user=request.user,
            language="fr",
            request=request,
        )
        return 201, {
            "id": response.public_id,
            "campaign": found.public_id,
            "site": site.code,
            "sheet_number": response.sheet_number,
            "submitted_on": response.submitted_on,
        }

    return idempotency.run(request, key, write)
