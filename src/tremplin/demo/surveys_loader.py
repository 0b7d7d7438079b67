"""Load the demo surveys: the Year-1 mobilizing survey (Enquête mobilisante, 2008-2009) in the
10 targeted sites of the demo, and an open follow-up survey to try the answer page.

From seed 000: the mobilizing survey started in 10 targeted sites in Year 1 (fiscal year
2008-2009). Its sites are those of the demo project « Enquête mobilisante »
(``demo/data/projects.json``: the first building of each of its 10 housing offices), each
opened on that project's launch day in the site. Everything else — the questionnaire's
wording, the goals, every answer, the residents who left their contact details and the themes
— is invented, generated from a fixed seed, and flagged ``is_demo`` (shown as fictitious).

``load_surveys`` is idempotent: the questionnaire is found again by its title among demo
questionnaires, a campaign by its title; when the Year-1 campaign already holds the expected
answers nothing is rewritten. Records that are not demo records are never modified. Like the
rest of the demo loader it writes in bulk and bypasses the audited services (loading the demo
is nobody's action), then refreshes the summaries with ``services.site_refresh_results``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from tremplin.housing.models import Building, HousingProvider
from tremplin.projects.models import Project
from tremplin.surveys import answering, services
from tremplin.surveys.models import (
    AnswerValue,
    Campaign,
    CampaignSite,
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
    Source,
    Theme,
    Volunteer,
)

from .data import read_json
from .projects_loader import projects_data

CREATED_KEYS = (
    "survey_questionnaires",
    "survey_campaigns",
    "survey_responses",
    "survey_volunteers",
)
SEED = "demo:surveys:2009"
ORGANIZER = projects_data()["organizer"]
QUESTIONNAIRE_TITLE = "Enquête mobilisante – La vie dans votre immeuble"
YEAR1_TITLE = "Enquête mobilisante – An 1 (2008-2009)"
FOLLOW_UP_TITLE = "Enquête de suivi – salle communautaire (démonstration)"
YEAR1_OPENS, YEAR1_CLOSES = dt.date(2009, 1, 27), dt.date(2009, 6, 30)
# The records (``data/surveys.json``): the questionnaire (sections, questions, choices, display
# conditions), the question version 2 adds, the responses per site (in the order of the
# « enquete_sites » of data/projects.json; one small site shows the suppression of groups under
# 5 responses), and the ideas, themes, reasons and names the fixed-seed answers draw from.
DATA = read_json("surveys.json")
QUESTIONNAIRE = DATA["questionnaire"]
RESPONSES_PER_SITE = DATA["responses_per_site"]
IDEAS, THEMES, WHY_NOT = DATA["ideas"], DATA["themes"], DATA["why_not"]
FIRST_NAMES, LAST_NAMES = DATA["first_names"], DATA["last_names"]
FICTITIOUS = "Donnée fictive"
Y, N = "oui", "non"


def load_surveys(created: Counter | None = None) -> dict:
    """Create or reset the demo surveys; returns a summary of counts.

    Call it inside a transaction, after the housing directory, the accounts and the projects.
    """
    created = created if created is not None else Counter()
    sites = _year1_sites()
    if not sites:
        return summary()
    organizer = get_user_model().objects.filter(username=ORGANIZER).first()
    questionnaire = _questionnaire(organizer, created)
    if questionnaire is None:
        return summary()
    version1 = questionnaire.versions.get(number=1)
    campaign = _year1_campaign(version1, sites, organizer, created)
    if campaign is not None:
        _year1_answers(campaign, created)
    _follow_up(questionnaire, sites, organizer, created)
    return summary()


def summary() -> dict:
    campaigns = Campaign.objects.filter(is_demo=True)
    year1 = campaigns.filter(title=YEAR1_TITLE).first()
    return {
        "survey_campaigns": campaigns.count(),
        "year1_sites": year1.sites.count() if year1 else 0,
        "year1_responses": year1.response_count if year1 else 0,
        "survey_volunteers": Volunteer.objects.filter(is_demo=True).count(),
    }


# --- sites ---------------------------------------------------------------------------------


def _year1_sites() -> list[tuple[Building, dt.date]]:
    """The 10 buildings of the demo project « Enquête mobilisante » with their launch days."""
    spec = _project_spec()
    launches = [
        dt.date.fromisoformat(day)
        for day, title, *_rest in spec["activities"]
        if "Lancement" in title
    ]
    project = Project.objects.filter(
        title=spec["title"], start_date=dt.date.fromisoformat(spec["start"])
    ).first()
    buildings = {}
    if project is not None:
        buildings = {
            b.provider.name: b
            for b in project.buildings.select_related("provider", "municipality__mrc")
        }
    out = []
    for name, launch in zip(projects_data()["enquete_sites"], launches, strict=False):
        building = buildings.get(name)
        if building is None:  # the same rule as the projects loader: the provider's first building
            provider = HousingProvider.objects.filter(name=name, is_demo=True).first()
            building = (
                Building.objects.filter(provider=provider, is_demo=True)
                .select_related("municipality__mrc")
                .order_by("address", "pk")
                .first()
                if provider
                else None
            )
        if building is not None:
            out.append((building, launch))
    return out


def _project_spec() -> dict:
    return next(p for p in projects_data()["projects"] if p["title"] == "Enquête mobilisante")


# --- questionnaire -------------------------------------------------------------------------


def _questionnaire(organizer, created: Counter) -> Questionnaire | None:
    existing = Questionnaire.objects.filter(title=QUESTIONNAIRE_TITLE).first()
    if existing is not None:
        return existing if existing.is_demo else None
    questionnaire = Questionnaire.objects.create(
        title=QUESTIONNAIRE_TITLE, created_by=organizer, is_demo=True
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        title_fr=QUESTIONNAIRE_TITLE,
        title_en="Mobilizing survey – Life in your building",
        intro_fr=(
            "Votre office d'habitation et l'équipe du soutien communautaire veulent savoir ce que "
            "vous aimeriez changer dans votre milieu de vie. Répondre prend environ 10 minutes. "
            f"({FICTITIOUS} de démonstration.)"
        ),
        intro_en=(
            "Your housing office and the community support team want to know what you would like "
            "to change where you live. It takes about 10 minutes. (Fictitious demo data.)"
        ),
        created_by=organizer,
    )
    fill_version(version, QUESTIONNAIRE)
    created["survey_questionnaires"] += 1
    return questionnaire


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def fill_version(version, spec) -> None:
    """Sections, questions and choices of ``spec`` (``QUESTIONNAIRE``'s shape: sections of
    {title_fr, title_en, questions: [{name, kind, label_fr, label_en, choices: [[name, fr, en]],
    required, condition, min_value, max_value}]}) into ``version``."""
    choices = []
    for s_position, section_spec in enumerate(spec, start=1):
        section = Section.objects.create(
            version=version,
            position=s_position,
            name=f"section_{s_position}",
            title_fr=section_spec["title_fr"],
            title_en=section_spec["title_en"],
        )
        for q_position, q in enumerate(section_spec["questions"], start=1):
            kind, options = q["kind"], q["choices"]
            question = Question.objects.create(
                version=version,
                section=section,
                position=q_position,
                name=q["name"],
                kind=kind,
                label_fr=q["label_fr"],
                label_en=q["label_en"],
                required=q.get("required", False),
                condition=q.get("condition"),
                min_value=_decimal(q.get("min_value")),
                max_value=_decimal(q.get("max_value")),
            )
            if kind == QuestionKind.RATING:
                options = [(str(n), str(n), str(n)) for n in range(1, 6)]
            choices += [
                Choice(question=question, position=i, name=n, label_fr=fr, label_en=en)
                for i, (n, fr, en) in enumerate(options, start=1)
            ]
    Choice.objects.bulk_create(choices)
    services.version_check(version)


# --- the Year-1 campaign -------------------------------------------------------------------


def _year1_campaign(version, sites, organizer, created: Counter) -> Campaign | None:
    campaign = Campaign.objects.filter(title=YEAR1_TITLE).first()
    if campaign is not None and not campaign.is_demo:
        return None
    if campaign is None:
        campaign = Campaign.objects.create(
            title=YEAR1_TITLE,
            version=version,
            opens_on=YEAR1_OPENS,
            closes_on=YEAR1_CLOSES,
            allows_contact=True,
            created_by=organizer,
            is_demo=True,
        )
        created["survey_campaigns"] += 1
    _set_sites(
        campaign, [b for b, _launch in sites], goal_of=lambda b: max(8, b.total_units * 6 // 10)
    )
    return campaign


def _set_sites(campaign: Campaign, buildings, goal_of) -> None:
    current = {s.building_id: s for s in campaign.sites.all()}
    for building in buildings:
        site = current.get(building.pk)
        goal = goal_of(building)
        if site is None:
            CampaignSite.objects.create(
                campaign=campaign,
                building=building,
                code=services.new_site_code(),
                label=services.site_label(building, None),
                territory_id=building.municipality.mrc.territory_id,
                goal=goal,
            )
        elif site.goal != goal:
            CampaignSite.objects.filter(pk=site.pk).update(goal=goal)
    services.campaign_refresh_territories(campaign)


def _year1_answers(campaign: Campaign, created: Counter) -> None:
    sites = {s.building_id: s for s in campaign.sites.select_related("building")}
    plan = [
        (sites[b.pk], launch, n)
        for (b, launch), n in zip(_year1_sites(), RESPONSES_PER_SITE, strict=False)
        if b.pk in sites
    ]
    expected = sum(n for _s, _l, n in plan)
    if campaign.responses.count() == expected and expected:
        return  # already loaded: nothing to rewrite
    campaign.responses.all().delete()
    campaign.volunteers.all().delete()
    campaign.themes.all().delete()
    struct = answering.structure(campaign.version)
    q = struct.by_name
    rng = random.Random(SEED)
    responses, answers, ideas = [], [], []
    sheet = 0
    for site, launch, n in plan:
        for _ in range(n):
            day = min(launch + dt.timedelta(days=rng.randint(0, 40)), YEAR1_CLOSES)
            paper = rng.random() < 0.85  # 2009: mostly paper, typed in by the team
            sheet += paper
            response = Response(
                campaign=campaign,
                site=site,
                version=campaign.version,
                submitted_on=day,
                source=Source.PAPER if paper else Source.ONLINE,
                sheet_number=sheet if paper else None,
                language="fr",
                is_demo=True,
            )
            responses.append(response)
            answers.append(plausible_answers(rng))
    Response.objects.bulk_create(responses)
    values = []
    for response, given in zip(responses, answers, strict=True):
        for name, value in given.items():
            info = q[name]
            common = {
                "response": response,
                "campaign_id": campaign.pk,
                "site_id": response.site_id,
                "question": info.question,
            }
            if info.kind == QuestionKind.MULTIPLE:
                values += [AnswerValue(choice=info.choice_by_name[v], **common) for v in value]
            elif info.kind == QuestionKind.SINGLE:
                values.append(AnswerValue(choice=info.choice_by_name[value], **common))
            elif info.kind == QuestionKind.RATING:
                values.append(
                    AnswerValue(
                        choice=info.choice_by_name[str(value)], number=Decimal(value), **common
                    )
                )
            elif info.kind == QuestionKind.NUMBER:
                values.append(AnswerValue(number=Decimal(value), **common))
            else:
                text, theme = value
                value_row = AnswerValue(text=text, **common)
                values.append(value_row)
                if theme:
                    ideas.append((value_row, theme))
    AnswerValue.objects.bulk_create(values, batch_size=2000)
    themes = {
        key: Theme.objects.create(campaign=campaign, name=name) for key, name in THEMES.items()
    }
    links = [
        AnswerValue.themes.through(answervalue_id=row.pk, theme_id=themes[key].pk)
        for row, key in ideas
    ]
    AnswerValue.themes.through.objects.bulk_create(links)
    _volunteers(campaign, plan, rng, created)
    QuestionnaireVersion.objects.filter(pk=campaign.version_id, frozen_at=None).update(
        frozen_at=timezone.make_aware(dt.datetime.combine(YEAR1_OPENS, dt.time(12)))
    )
    services.site_refresh_results([s.pk for s, _l, _n in plan])
    created["survey_responses"] += len(responses)


def _pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def plausible_answers(rng) -> dict:
    """One resident's plausible answers (invented): a few questions are often left blank."""
    a = {}
    a["depuis"] = _pick(rng, {"moins_1": 2, "1_5": 4, "plus_5": 5})
    a["satisfaction"] = _pick(rng, {1: 1, 2: 2, 3: 4, 4: 5, 5: 3})
    if rng.random() < 0.9:
        a["securite"] = _pick(rng, {Y: 5, "plutot_oui": 4, "plutot_non": 2, N: 1})
    a["voisins"] = _pick(rng, {"plusieurs": 3, "quelques_uns": 6, "aucun": 2})
    a["salle"] = _pick(rng, {"souvent": 2, "parfois": 4, "jamais": 4, "pas_de_salle": 1})
    if a["salle"] == "jamais" and rng.random() < 0.5:
        a["salle_pourquoi"] = (rng.choice(WHY_NOT), None)
    a["ameliorer"] = rng.sample(
        ["salle", "cour", "buanderie", "entree", "stationnement"], rng.randint(0, 3)
    )
    a["activites"] = rng.sample(
        [
            "cuisine",
            "jardin",
            "cafe",
            "informatique",
            "intergeneration",
            "sorties",
            "devoirs",
            "marche",
        ],
        rng.randint(1, 4),
    )
    if rng.random() < 0.35:
        theme = rng.choice(list(IDEAS))
        a["idees"] = (rng.choice(IDEAS[theme]), theme if rng.random() < 0.8 else None)
    a["implication"] = _pick(rng, {Y: 3, "peut_etre": 4, N: 4})
    if a["implication"] != N:
        a["facon"] = rng.sample(["comite", "organiser", "aider", "parler"], rng.randint(1, 2))
    if a["implication"] == Y:
        a["heures"] = rng.choice([2, 4, 4, 6, 8, 10])
    return {k: v for k, v in a.items() if v not in ([], None)}


def _volunteers(campaign, plan, rng, created: Counter) -> None:
    rows = []
    for site, launch, n in plan:
        for i in range(max(1, n // 8)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            rows.append(
                Volunteer(
                    campaign=campaign,
                    site=site,
                    name=f"{first} {last} ({FICTITIOUS.lower()})",
                    phone=f"418 555-{rng.randint(100, 9999):04d}",
                    note=rng.choice(
                        [
                            "Le soir.",
                            "En semaine, le jour.",
                            "Pour le jardin.",
                            "Pour la cuisine collective.",
                        ]
                    ),
                    left_on=launch + dt.timedelta(days=i),
                    is_demo=True,
                )
            )
    # Saved one by one: the contact fields are encrypted on save.
    for volunteer in rows:
        volunteer.save()
    created["survey_volunteers"] += len(rows)


# --- an open follow-up campaign (to try the answer page and the poster) --------------------


def _follow_up(questionnaire, sites, organizer, created: Counter) -> None:
    """Version 2 of the questionnaire (one more question) in two sites, open around today."""
    version2 = questionnaire.versions.filter(number=2).first()
    if version2 is None:
        version2 = services.version_clone(questionnaire.versions.get(number=1), user=organizer)
        section = version2.sections.order_by("position").last()
        spec = DATA["follow_up_question"]
        question = Question.objects.create(
            version=version2,
            section=section,
            position=99,
            name=spec["name"],
            kind=spec["kind"],
            label_fr=spec["label_fr"],
            label_en=spec["label_en"],
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=i, name=n, label_fr=f, label_en=e)
            for i, (n, f, e) in enumerate(spec["choices"], start=1)
        )
        services.version_check(version2)
    today = timezone.localdate()
    campaign = Campaign.objects.filter(title=FOLLOW_UP_TITLE).first()
    if campaign is not None and not campaign.is_demo:
        return
    if campaign is None:
        campaign = Campaign(
            title=FOLLOW_UP_TITLE,
            version=version2,
            allows_contact=True,
            created_by=organizer,
            is_demo=True,
        )
        created["survey_campaigns"] += 1
    # The dates move with today's date so that the demo's answer page stays open.
    campaign.opens_on = today - dt.timedelta(days=7)
    campaign.closes_on = today + dt.timedelta(days=60)
    campaign.save()
    _set_sites(
        campaign, [b for b, _launch in sites[:2]], goal_of=lambda b: max(8, b.total_units // 2)
    )
