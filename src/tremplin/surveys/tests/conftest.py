"""Survey test helpers: a questionnaire built through the services, a campaign in the two
buildings of the shared world (territories A and B), and answers sent through the services."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from tremplin.surveys import services
from tremplin.surveys.models import Campaign, QuestionKind, Source

# (section title, [(name, kind, label, choices, extra)])
STANDARD = [
    (
        "La vie dans l'immeuble",
        [
            (
                "satisfaction",
                QuestionKind.RATING,
                "Êtes-vous satisfait·e de la vie ici ?",
                [],
                {"required": True},
            ),
            (
                "securite",
                QuestionKind.SINGLE,
                "Vous sentez-vous en sécurité ?",
                [
                    ("oui", "Oui", "Yes"),
                    ("plutot_oui", "Plutôt oui", "Rather yes"),
                    ("non", "Non", "No"),
                ],
                {},
            ),
            (
                "salle",
                QuestionKind.SINGLE,
                "Utilisez-vous la salle commune ?",
                [
                    ("souvent", "Souvent", "Often"),
                    ("parfois", "Parfois", "Sometimes"),
                    ("jamais", "Jamais", "Never"),
                ],
                {},
            ),
            (
                "pourquoi",
                QuestionKind.SHORT_TEXT,
                "Pourquoi ne l'utilisez-vous pas ?",
                [],
                {"condition": {"q": "salle", "op": "=", "value": "jamais"}},
            ),
        ],
    ),
    (
        "Activités et implication",
        [
            (
                "activites",
                QuestionKind.MULTIPLE,
                "Quelles activités aimeriez-vous ?",
                [
                    ("cuisine", "Cuisine collective", "Community kitchen"),
                    ("jardin", "Jardin", "Garden"),
                    ("cafe", "Café-rencontre", "Coffee meetings"),
                ],
                {},
            ),
            (
                "implication",
                QuestionKind.SINGLE,
                "Seriez-vous prêt·e à vous impliquer ?",
                [("oui", "Oui", "Yes"), ("peut_etre", "Peut-être", "Maybe"), ("non", "Non", "No")],
                {},
            ),
            (
                "heures",
                QuestionKind.NUMBER,
                "Combien d'heures par mois ?",
                [],
                {
                    "condition": {"q": "implication", "op": "=", "value": "oui"},
                    "min_value": 0,
                    "max_value": 40,
                    "integer_only": True,
                },
            ),
            ("idees", QuestionKind.LONG_TEXT, "Avez-vous d'autres idées ?", [], {}),
        ],
    ),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached charts live in the cache: start each test without them."""
    cache.clear()
    yield
    cache.clear()


def build_questionnaire(user=None, spec=STANDARD, title="Enquête sur la vie dans l'immeuble"):
    questionnaire = services.questionnaire_create(
        user=user, title_fr=title, title_en="Survey on life in the building"
    )
    first = True
    for section_title, questions in spec:
        if first:
            section = questionnaire.versions.get().sections.get()
            services.section_save(
                user=user,
                questionnaire=questionnaire,
                section_name=section.name,
                title_fr=section_title,
                title_en="",
            )
            section_name = section.name
            first = False
        else:
            section, _created = services.section_save(
                user=user, questionnaire=questionnaire, title_fr=section_title
            )
            section_name = section.name
        for name, kind, label, choices, extra in questions:
            values = {
                "kind": kind,
                "label_fr": label,
                "label_en": "",
                "hint_fr": "",
                "hint_en": "",
                "required": extra.get("required", False),
                "condition": extra.get("condition"),
                "integer_only": extra.get("integer_only", True),
                "min_value": extra.get("min_value"),
                "max_value": extra.get("max_value"),
            }
            services.question_save(
                user=user,
                questionnaire=questionnaire,
                section_name=section_name,
                values=values,
                choices=choices,
                new_name=name,
            )
    return questionnaire


def today():
    return timezone.localdate()


def make_campaign(
    version,
    buildings,
    *,
    title="Enquête mobilisante",
    opens=-10,
    closes=10,
    allows_contact=True,
    goal=10,
    user=None,
):
    campaign = Campaign(
        title=title,
        version=version,
        opens_on=today() + dt.timedelta(days=opens),
        closes_on=today() + dt.timedelta(days=closes),
        allows_contact=allows_contact,
    )
    return services.campaign_save(
        user=user, campaign=campaign, buildings=buildings, default_goal=goal
    )


# Ten responses: six in site A, four in site B (answers typed out in full, counted by hand).
SITE_A = [
    dict(
        satisfaction=5,
        securite="oui",
        salle="souvent",
        activites=["cuisine", "jardin"],
        implication="oui",
        heures=10,
    ),
    dict(
        satisfaction=4,
        securite="oui",
        salle="jamais",
        pourquoi="Trop loin",
        activites=["jardin"],
        implication="peut_etre",
    ),
    dict(
        satisfaction=4,
        securite="plutot_oui",
        salle="parfois",
        activites=["cafe"],
        implication="non",
    ),
    dict(
        satisfaction=2,
        securite="non",
        salle="jamais",
        pourquoi="Le bruit",
        activites=["jardin", "cafe"],
        implication="oui",
        heures=4,
    ),
    dict(satisfaction=3, securite="oui", salle="souvent", implication="oui", heures=6),
    dict(
        satisfaction=5,
        salle="parfois",
        activites=["cuisine"],
        implication="non",
        idees="Un potager",
    ),
]
SITE_B = [
    dict(satisfaction=1, securite="non", salle="jamais", implication="oui", heures=20),
    dict(satisfaction=2, securite="non", implication="oui", heures=30),
    dict(satisfaction=3, securite="oui", implication="non"),
    dict(satisfaction=3, implication="peut_etre"),
]


def submit(site, *, source=Source.ONLINE, sheet=None, day=None, **answers):
    raw = {k: (v if isinstance(v, list) else [str(v)]) for k, v in answers.items()}
    return services.response_submit(
        site=site, answers=raw, source=source, sheet_number=sheet, today=day or today()
    )


@pytest.fixture
def questionnaire(personas):
    return build_questionnaire(user=personas["organizer_a"])


@pytest.fixture
def version(questionnaire):
    return questionnaire.versions.get(number=1)


@pytest.fixture
def campaign(world, version):
    """Open campaign in building A (territory A) and building B (territory B)."""
    return make_campaign(version, [world["building_a"], world["building_b"]])


@pytest.fixture
def site_a(campaign, world):
    return campaign.sites.get(building=world["building_a"])


@pytest.fixture
def site_b(campaign, world):
    return campaign.sites.get(building=world["building_b"])


@pytest.fixture
def answered(campaign, site_a, site_b):
    """The campaign with the answers of SITE_A (online) and SITE_B (on paper)."""
    for answers in SITE_A:
        submit(site_a, **answers)
    for i, answers in enumerate(SITE_B, start=1):
        submit(site_b, source=Source.PAPER, sheet=i, **answers)
    return campaign


@pytest.fixture
def campaign_a(world, version):
    """Open campaign in building A only (territory A)."""
    return make_campaign(version, [world["building_a"]], title="Enquête Lévis")
