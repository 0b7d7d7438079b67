"""Load the demo's highlights report: « Faits saillants — An 1 » of the 2008–2011 agreement
(2008-04-01 → 2009-03-31), with the texts of seed 000, then compute the stored indicators.

Only the texts are written here (``data/evaluation.json``: the seed's « Mise en contexte », its
achievements without a figure, and its examples in its order, as the demo projects are titled). Every figure of the report (62 offices and 216 people reached
by the fall-2008 tour, 28 offices accompanied, the Enquête mobilisante in 10 targeted sites,
the funding table's totals) is computed from the demo records when the report is shown.

The seed's « Exemples de réalisations en HLM » are demo projects of Year 1 (see
``data/projects.json``): the report's example order names them in the seed's order. The one
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

DATA = read_json("evaluation.json")
TITLE = DATA["title"]
PERIOD_START = dt.date.fromisoformat(DATA["period_start"])
PERIOD_END = dt.date.fromisoformat(DATA["period_end"])
EXTRA_EXAMPLES = DATA["extra_examples"]


def _example_order() -> list[str]:
    projects = counting.projects_under_way(
        PERIOD_START, PERIOD_END, Project.objects.filter(is_demo=True)
    )
    ids = {title: str(public_id) for title, public_id in projects.values_list("title", "public_id")}
    return [ids[title] for title in DATA["example_titles"] if title in ids]


def load_evaluation(created: Counter | None = None, *, refresh: bool = True) -> dict:
    """Create or reset the Year-1 highlights report, then compute the stored indicator values
    (``refresh=False`` only forgets them: they are computed when first read); returns a
    summary of counts.

    Call it last, inside a transaction: the report names the agreement and the projects, and
    the indicators count every other app's records.
    """
    created = created if created is not None else Counter()
    agreement = Agreement.objects.filter(slug=DATA["agreement"]).first()
    values = {
        "territory": None,
        "agreement": agreement,
        "context": DATA["context"],
        "achievements_intro": DATA["achievements_intro"],
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
