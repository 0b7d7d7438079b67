"""Individual support (« Soutien individuel »): persons followed, follow-ups, interventions,
referrals and residential stability at closing.

The counting rules are the program's, those of the case statistics page
(``casework/privacy/stats.py``), applied to any period instead of a fiscal year:

- « persons followed: distinct persons with a follow-up under way on at least one day of the
  year, by the follow-up's territory (the total counts each person once) »: a follow-up
  started on or before the last day of the period and not closed before its first day;
- « interventions by type, dated in the year »;
- « referrals by outcome, dated in the year »;
- « residential stability at closing: follow-ups closed in the year, by outcome ».

Everything counts in the territory of the follow-up (copied from the person when it opened),
as the statistics do; a person followed in two territories of a region counts once in each
territory, once in the region and once in the whole program. Anonymized persons
(``Person.anonymized_at``) still count: the statistics do not leave them out, and anonymization
keeps the follow-ups precisely so that counts remain.

Stable housing at closing: the person kept their housing (``Outcome.KEPT``) or moved to better
suited housing (``Outcome.MOVED_BETTER``). Lost housing, other and unknown outcomes are not
stable: the percentage is of every follow-up closed in the period, so an unknown outcome
lowers it rather than being left out (it is not known to be stable).

Aggregates only, never a record (``records`` is None), seen only by roles that read case
statistics (``CASE_STATS``), and counts from 1 to 4 are suppressed for everyone
(``suppress_below``). On the percentage, ``suppress_below`` hides values between 0 and 5 %;
it does not hide a percentage resting on fewer than 5 closings (the engine would have to
look at the denominator for that).

Each rule is written once, as ``Facts`` (the records and their date or span): the full refresh
counts them in SQL for every period at once (``setbased.py``), and the rows of one period
(``facts_rows``) are grouped in SQL by territory (key None, weight = count); only persons are
read one by one, as (territory, person) pairs, so that a person counts once per area.
"""

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from tremplin.casework.models import (
    FollowUp,
    FollowUpStatus,
    Intervention,
    InterventionType,
    Outcome,
    Referral,
    ReferralOutcome,
)

from ..catalogue import CASE_STATS, COUNT, PERCENT, Breakdown, Facts, Indicator, group, register
from .common import choice_labels, facts_rows

group(
    "casework",
    _("Soutien individuel"),
    ("casework.FollowUp", "casework.Intervention", "casework.Referral"),
    audience=CASE_STATS,
    dates={
        "casework.FollowUp": ("started_on", "closed_on"),
        "casework.Intervention": ("occurred_on",),
        "casework.Referral": ("referred_on",),
    },
)
FOLLOW_UP, INTERVENTION, REFERRAL = (
    "casework.FollowUp",
    "casework.Intervention",
    "casework.Referral",
)

THRESHOLD = 5  # the statistics' threshold (casework.privacy.stats.THRESHOLD)
STABLE_OUTCOMES = (Outcome.KEPT, Outcome.MOVED_BETTER)

INTERVENTION_TYPE = Breakdown(
    "intervention_type", _("Type d'intervention"), choice_labels(InterventionType)
)
REFERRAL_OUTCOME = Breakdown(
    "referral_outcome", _("Résultat de la référence"), choice_labels(ReferralOutcome)
)
OUTCOME = Breakdown("outcome", _("Situation résidentielle à la fermeture"), choice_labels(Outcome))
SOURCE = _("Dossiers de soutien individuel (agrégats seulement)")


def _follow_ups(on: str, until: str | None = None, **where) -> Facts:
    """Follow-ups by their own territory, dated by ``on`` (a span with ``until``)."""
    return Facts(FollowUp.objects.filter(**where), on=on, until=until, territory="territory_id")


def _persons(breakdown):
    # Under way on at least one day: started on or before the last day, not closed before
    # the first. A person counts once per area (key).
    return [replace(_follow_ups("started_on", "closed_on"), key="person_id")]


def _new(breakdown):
    return [_follow_ups("started_on")]


def _of_follow_ups(model, on: str, item: str):
    def facts(breakdown):
        return [Facts(model.objects.all(), on=on, territory="follow_up__territory_id", item=item)]

    return facts


def _closed(breakdown):
    closed = _follow_ups("closed_on", status=FollowUpStatus.CLOSED)
    return [replace(closed, item="outcome")]


def _stable(breakdown):
    return [_follow_ups("closed_on", status=FollowUpStatus.CLOSED, outcome__in=STABLE_OUTCOMES)]


def _casework(**fields) -> Indicator:
    fields.setdefault("unit", COUNT)
    fields.setdefault("source", SOURCE)
    facts = fields.pop("facts", None)
    return register(
        Indicator(
            group="casework",
            audience=CASE_STATS,
            suppress_below=THRESHOLD,
            rows=facts_rows(facts) if facts else None,
            facts=facts,
            **fields,
        )
    )


_casework(
    id="casework.persons",
    reads=(FOLLOW_UP,),
    label=_("Personnes suivies"),
    definition=_(
        "Personnes différentes ayant un suivi individuel en cours au moins un jour de la "
        "période (commencé au plus tard le dernier jour, pas fermé avant le premier), dans le "
        "territoire du suivi. Une personne suivie dans deux territoires compte une fois dans "
        "chacun, une fois dans la région et une fois pour l'ensemble du programme."
    ),
    facts=_persons,
)

_casework(
    id="casework.new_follow_ups",
    reads=(FOLLOW_UP,),
    label=_("Nouveaux suivis"),
    definition=_("Suivis individuels commencés dans la période, dans le territoire du suivi."),
    facts=_new,
)

_casework(
    id="casework.interventions",
    reads=(FOLLOW_UP, INTERVENTION),
    label=_("Interventions"),
    definition=_(
        "Interventions de soutien individuel datées de la période, selon leur type, dans le "
        "territoire du suivi."
    ),
    facts=_of_follow_ups(Intervention, "occurred_on", "type"),
    breakdowns=(INTERVENTION_TYPE,),
)

_casework(
    id="casework.referrals",
    reads=(FOLLOW_UP, REFERRAL),
    label=_("Références"),
    definition=_(
        "Références vers une ressource datées de la période, selon leur résultat, dans le "
        "territoire du suivi."
    ),
    facts=_of_follow_ups(Referral, "referred_on", "outcome"),
    breakdowns=(REFERRAL_OUTCOME,),
)

_casework(
    id="casework.closed",
    reads=(FOLLOW_UP,),
    label=_("Suivis fermés"),
    definition=_(
        "Suivis individuels fermés dans la période, selon la situation résidentielle de la "
        "personne à la fermeture."
    ),
    facts=_closed,
    breakdowns=(OUTCOME,),
)

_casework(
    id="casework.closed_stable",
    reads=(FOLLOW_UP,),
    label=_("Suivis fermés en logement stable"),
    definition=_(
        "Suivis fermés dans la période alors que la personne a conservé son logement ou a "
        "déménagé dans un logement mieux adapté."
    ),
    facts=_stable,
)

_casework(
    id="casework.stability",
    reads=(FOLLOW_UP,),
    label=_("Stabilité résidentielle à la fermeture"),
    definition=_(
        "Part des suivis fermés dans la période où la personne a conservé son logement ou a "
        "déménagé dans un logement mieux adapté. Les fermetures où elle a perdu son logement, "
        "« autre » et « inconnu » comptent au dénominateur : elles ne sont pas connues comme "
        "stables."
    ),
    unit=PERCENT,
    ratio_of=("casework.closed_stable", "casework.closed", 100),
)
