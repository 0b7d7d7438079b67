"""Synthetic survey answers for the benchmarks (``tremplin bench surveys``).

``generate_surveys(scale)`` adds, to a database filled by ``synthetic.generate_province`` at the
same scale, the demo questionnaire (``surveys_loader.QUESTIONNAIRE``, 13 questions) and:

* the measured campaign: 100,000 responses in the first 200 buildings of region 12, about
  1.1 million answer values (one row per chosen option) — the same at both scales;
* at province scale, 4 more campaigns of 25,000 responses in other regions (the measured
  campaign's pages must not depend on them).

Responses are written with ``bulk_create``, answer values with ``executemany`` (the fastest
portable bulk insert), then each site's summary rows are computed by
``surveys.services.site_refresh_results`` (SQL GROUP BY), as the application does. Everything
is invented and flagged ``is_demo``. A fixed seed gives the same data on every run.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction

from tremplin.demo.surveys_loader import QUESTIONNAIRE, fill_version, plausible_answers
from tremplin.housing.models import Building
from tremplin.surveys import answering, services
from tremplin.surveys.models import (
    AnswerValue,
    Campaign,
    CampaignSite,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Source,
)

MEASURED_TITLE = "Enquête synthétique – campagne mesurée"
OPENS, CLOSES = dt.date(2025, 9, 1), dt.date(2025, 12, 15)
BATCH = 5000


@dataclass(frozen=True)
class SurveyShape:
    responses: int  # in the measured campaign
    sites: int
    other_campaigns: int  # in other regions
    other_responses: int  # per other campaign


SURVEY_SCALES: dict[str, SurveyShape] = {
    "province": SurveyShape(100_000, 200, 4, 25_000),
    "region": SurveyShape(100_000, 200, 0, 0),
    "tiny": SurveyShape(300, 6, 1, 60),
    "small": SurveyShape(1_200, 12, 1, 200),
}


def _questionnaire() -> QuestionnaireVersion:
    questionnaire = Questionnaire.objects.create(title="Enquête synthétique", is_demo=True)
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        title_fr="Enquête synthétique",
        intro_fr="Donnée fictive générée pour les mesures de performance.",
    )
    fill_version(version, QUESTIONNAIRE)
    return version


def _campaign(version, title: str, buildings: list[Building], goal: int) -> Campaign:
    campaign = Campaign.objects.create(
        title=title,
        version=version,
        opens_on=OPENS,
        closes_on=CLOSES,
        allows_contact=False,
        is_demo=True,
    )
    CampaignSite.objects.bulk_create(
        CampaignSite(
            campaign=campaign,
            building=b,
            code=f"S{campaign.pk:03d}{i:05d}"[:16],
            label=services.site_label(b, None),
            territory_id=b.municipality.mrc.territory_id,
            goal=goal,
        )
        for i, b in enumerate(buildings)
    )
    services.campaign_refresh_territories(campaign)
    return campaign


def _fill_answers(campaign: Campaign, struct, n: int, rng: random.Random) -> int:
    """``n`` responses spread over the campaign's sites; returns the number of values."""
    sites = list(campaign.sites.order_by("pk").values_list("pk", flat=True))
    by_name = struct.by_name
    choice_ids = {name: {c.name: c.pk for c in info.choices} for name, info in by_name.items()}
    question_ids = {name: info.question.pk for name, info in by_name.items()}
    kinds = {name: info.kind for name, info in by_name.items()}
    table = AnswerValue._meta.db_table
    sql = (
        f"INSERT INTO {table} (response_id, campaign_id, site_id, question_id, choice_id, "  # noqa: S608
        "number, text) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    span = (CLOSES - OPENS).days
    values_written = 0
    sheet = 0
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        responses, plans = [], []
        for i in range(size):
            paper = rng.random() < 0.3
            sheet += paper
            responses.append(
                Response(
                    campaign=campaign,
                    site_id=sites[(done + i) % len(sites)],
                    version_id=campaign.version_id,
                    submitted_on=OPENS + dt.timedelta(days=rng.randint(0, span)),
                    source=Source.PAPER if paper else Source.ONLINE,
                    sheet_number=sheet if paper else None,
                    is_demo=True,
                )
            )
            plans.append(plausible_answers(rng))
        Response.objects.bulk_create(responses, batch_size=BATCH)
        rows = []
        for response, given in zip(responses, plans, strict=True):
            base = (response.pk, campaign.pk, response.site_id)
            for name, value in given.items():
                kind, qid = kinds[name], question_ids[name]
                if kind == QuestionKind.MULTIPLE:
                    rows += [(*base, qid, choice_ids[name][v], None, "") for v in value]
                elif kind == QuestionKind.SINGLE:
                    rows.append((*base, qid, choice_ids[name][value], None, ""))
                elif kind == QuestionKind.RATING:
                    rows.append((*base, qid, choice_ids[name][str(value)], value, ""))
                elif kind == QuestionKind.NUMBER:
                    rows.append((*base, qid, None, value, ""))
                else:
                    rows.append((*base, qid, None, None, value[0]))
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        values_written += len(rows)
        done += size
    return values_written


def generate_surveys(scale: str, seed: int = 12) -> dict:
    """Add the synthetic survey campaigns to a database holding the synthetic directory."""
    started = time.perf_counter()
    shape = SURVEY_SCALES[scale]
    buildings = list(
        Building.objects.filter(municipality__mrc__region__code="12")
        .select_related("municipality__mrc")
        .order_by("public_id")[: shape.sites]
    )
    if not buildings:
        raise RuntimeError("no building in region 12: run synthetic.generate_province first")
    values = 0
    with transaction.atomic():
        version = _questionnaire()
        struct = answering.structure(version)
        goal = max(1, shape.responses // len(buildings))
        campaign = _campaign(version, MEASURED_TITLE, buildings, goal)
        # The measured campaign's answers depend on the seed only: the same at both scales.
        values += _fill_answers(campaign, struct, shape.responses, random.Random(f"surveys:{seed}"))
        others = list(
            Building.objects.exclude(municipality__mrc__region__code="12")
            .select_related("municipality__mrc")
            .order_by("public_id")[: shape.sites * shape.other_campaigns]
        )
        for i in range(shape.other_campaigns):
            chunk = others[i * shape.sites : (i + 1) * shape.sites] or buildings
            other = _campaign(version, f"Enquête synthétique {i + 2}", chunk, goal)
            rng = random.Random(f"surveys:{seed}:{i}")
            values += _fill_answers(other, struct, shape.other_responses, rng)
        QuestionnaireVersion.objects.filter(pk=version.pk).update(
            frozen_at=dt.datetime(OPENS.year, OPENS.month, OPENS.day, 12, tzinfo=dt.UTC)
        )
        services.site_refresh_results(
            CampaignSite.objects.filter(campaign__version=version).values_list("pk", flat=True)
        )
    return {
        "scale": scale,
        "campaign": str(campaign.public_id),
        "responses": Response.objects.filter(campaign=campaign).count(),
        "all_responses": Response.objects.filter(campaign__version=version).count(),
        "answer_values": values,
        "sites": len(buildings),
        "seconds": round(time.perf_counter() - started, 3),
    }
