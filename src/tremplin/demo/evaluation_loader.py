"""Load the demo's highlights report: « Faits saillants — An 1 » of the 2008–2011 agreement
(2008-04-01 → 2009-03-31), with the texts of seed 000, then compute the stored indicators.

Only the texts are written here. Every figure of the report (62 offices and 216 people reached
by the fall-2008 tour, 28 offices accompanied, the Enquête mobilisante in 10 targeted sites,
the funding table's totals) is computed from the demo records when the report is shown.

The seed's « Exemples de réalisations en HLM » are demo projects of Year 1 (see
``data/projects.py``): the report's example order names them in the seed's order. The one
example that is not a project — the regional meeting of housing offices of 2009-06-06, an
event — is kept as a free-text example.

``load_evaluation`` is idempotent: the report is found again by title and period; a report
that is not a demo record (``is_demo=False``) is never modified. Like the rest of the demo
loader it bypasses the audited services (loading the demo is not anyone's action).
"""

import datetime as dt
from collections import Counter

from tremplin.evaluation import engine
from tremplin.evaluation.models import HighlightsReport
from tremplin.partners.models import Agreement
from tremplin.projects import counting
from tremplin.projects.models import Project

from .data import read_json

CREATED_KEYS = ("highlights_reports",)

TITLE = "Faits saillants — An 1"
PERIOD_START = dt.date(2008, 4, 1)
PERIOD_END = dt.date(2009, 3, 31)

# Seed 000, « Mise en contexte » (the seed's italics dropped).
CONTEXT = (
    "En 2007 paraissait le Cadre de référence sur le soutien communautaire en logement social, "
    "préconisant une réponse concertée aux besoins d'une clientèle commune aux réseaux de la "
    "santé et de l'habitation. Par ailleurs, la même année, était publié le Portrait de "
    "l'habitation à prix modique en Chaudière-Appalaches, réalisé par l'Agence de la santé et "
    "des services sociaux de Chaudière-Appalaches, et les élus ainsi que les partenaires locaux "
    "et régionaux furent sensibilisés à certaines problématiques vécues par les Offices "
    "municipaux d'habitation (OMH) de la région. Ainsi, plusieurs intervenants convinrent de la "
    "mise en œuvre d'une entente spécifique, permettant de mobiliser et de concerter les "
    "partenaires autour du développement du soutien communautaire en Habitation à loyer modique "
    "(HLM).\n"
    "\n"
    "Initiative régionale unique au Québec, cette Entente spécifique met donc de l'avant une "
    "stratégie d'action qui privilégie le soutien communautaire des différents réseaux, dans un "
    "esprit de partenariat et de concertation multisectorielle, afin de favoriser le suivi et "
    "l'accompagnement des clientèles."
)

# Seed 000, « Principales réalisations de l'An 1 »: the achievements without a figure. The two
# with figures (the tour: 62 OMH and more than 200 people; 28 OMH accompanied) are sentences
# the report computes.
ACHIEVEMENTS_INTRO = (
    "- La concertation des partenaires signataires au sein d'un comité de gestion de l'Entente\n"
    "- L'information et la sensibilisation de partenaires potentiels, non signataires de "
    "l'Entente\n"
    "- L'élaboration de l'Enquête mobilisante, constituant une stratégie de mobilisation des "
    "résidents d'HLM, financée par Emploi-Québec\n"
    "- L'élaboration du devis d'évaluation de l'Entente par l'Agence de la santé et des services "
    "sociaux de Chaudière-Appalaches qui permettra d'identifier les stratégies gagnantes à "
    "déployer, de mesurer les impacts dans les milieux et de faire connaître ces résultats à "
    "l'échelle provinciale\n"
    "- La réalisation du Répertoire des Offices d'habitation de Chaudière-Appalaches"
)

# Seed 000's example that is not a project of the demo (the meeting is an event).
EXTRA_EXAMPLES = (
    "Tenue d'une rencontre régionale des OMH le 6 juin 2009, « Mon OMH et le soutien "
    "communautaire », pour partager les expériences vécues au cours de l'An 1 de l'Entente "
    "ainsi que les actions à privilégier dans l'avenir"
)

# Seed 000's examples, in its order, as the demo's Year-1 projects are titled.
EXAMPLE_TITLES = [
    "Mise sur pied : Association des locataires des Habitations du Plateau",  # associations
    "Enquête mobilisante",  # started in 10 targeted sites
    "Aménagement de la salle communautaire de la Villa des Bouleaux",  # common spaces
    "Après-midi de loisirs et sorties estivales",  # leisure
    "Conférences de prévention des chutes",  # prevention and health promotion
    "Référence vers les ressources du milieu",  # referrals
    "Visites de courtoisie en santé mentale",
    "Local de troc",
    "Journée de l'employabilité",
    "Concertation sur le logement social dans la MRC de Bellechasse",  # the MRC's concertation
]


def _example_order() -> list[str]:
    projects = counting.projects_under_way(
        PERIOD_START, PERIOD_END, Project.objects.filter(is_demo=True)
    )
    ids = {title: str(public_id) for title, public_id in projects.values_list("title", "public_id")}
    return [ids[title] for title in EXAMPLE_TITLES if title in ids]


def load_evaluation(created: Counter | None = None, *, refresh: bool = True) -> dict:
    """Create or reset the Year-1 highlights report, then compute the stored indicator values
    (``refresh=False`` only forgets them: they are computed when first read); returns a
    summary of counts.

    Call it last, inside a transaction: the report names the agreement and the projects, and
    the indicators count every other app's records.
    """
    created = created if created is not None else Counter()
    agreement = Agreement.objects.filter(
        slug=read_json("partners.json")["agreements"][0]["slug"]
    ).first()
    values = {
        "territory": None,
        "agreement": agreement,
        "context": CONTEXT,
        "achievements_intro": ACHIEVEMENTS_INTRO,
        "example_order": _example_order(),
        "extra_examples": EXTRA_EXAMPLES,
        "is_demo": True,
    }
    report = HighlightsReport.objects.filter(
        title=TITLE, period_start=PERIOD_START, period_end=PERIOD_END
    ).first()
    if report is None:
        report = HighlightsReport(
            title=TITLE, period_start=PERIOD_START, period_end=PERIOD_END, **values
        )
        report.full_clean()
        report.save()
        created["highlights_reports"] += 1
    elif report.is_demo:
        changed = [name for name, value in values.items() if getattr(report, name) != value]
        if changed:
            for name in changed:
                setattr(report, name, values[name])
            report.full_clean()
            report.save()
    # Loaders write some records in bulk (no change signal): without a refresh now, forget
    # what was stored so that every value is recomputed when first read.
    facts = engine.refresh_all() if refresh else engine.forget()
    return {
        "highlights_reports": HighlightsReport.objects.filter(is_demo=True).count(),
        "examples": len(values["example_order"]),
        "indicator_facts": facts,
    }
