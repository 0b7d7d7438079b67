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

Big tables are grouped in SQL by territory (key None, weight = count): only persons are
read one by one, as (territory, person) pairs, so that a person counts once per area.
"""

from django.db.models import Count, Q
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

from ..catalogue import CASE_STATS, COUNT, PERCENT, Breakdown, Indicator, group, register
from .common import choice_labels

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


def _in(period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _running(period):
    """Follow-ups under way on at least one day of the period."""
    return FollowUp.objects.filter(started_on__lte=period.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )


def _grouped(queryset, territory: str, category: str | None):
    """Rows counted in SQL: one per territory (and category when split)."""
    fields = [territory, category] if category else [territory]
    counted = queryset.order_by().values(*fields).annotate(n=Count("id"))
    for territory_id, *rest, n in counted.values_list(*fields, "n"):
        yield territory_id, None, rest[0] if rest else "", None, n


def _persons_rows(period, breakdown):
    pairs = _running(period).order_by().values_list("territory_id", "person_id").distinct()
    for territory_id, person_id in pairs:
        yield territory_id, None, "", person_id, 1


def _new_rows(period, breakdown):
    return _grouped(FollowUp.objects.filter(_in(period, "started_on")), "territory_id", None)


def _intervention_rows(period, breakdown):
    return _grouped(
        Intervention.objects.filter(_in(period, "occurred_on")),
        "follow_up__territory_id",
        "type" if breakdown == INTERVENTION_TYPE.name else None,
    )


def _referral_rows(period, breakdown):
    return _grouped(
        Referral.objects.filter(_in(period, "referred_on")),
        "follow_up__territory_id",
        "outcome" if breakdown == REFERRAL_OUTCOME.name else None,
    )


def _closed(period):
    return FollowUp.objects.filter(_in(period, "closed_on"), status=FollowUpStatus.CLOSED)


def _closed_rows(period, breakdown):
    return _grouped(
        _closed(period), "territory_id", "outcome" if breakdown == OUTCOME.name else None
    )


def _stable_rows(period, breakdown):
    return _grouped(_closed(period).filter(outcome__in=STABLE_OUTCOMES), "territory_id", None)


def _casework(**fields) -> Indicator:
    fields.setdefault("unit", COUNT)
    fields.setdefault("source", SOURCE)
    return register(
        Indicator(group="casework", audience=CASE_STATS, suppress_below=THRESHOLD, **fields)
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
    rows=_persons_rows,
)

_casework(
    id="casework.new_follow_ups",
    reads=(FOLLOW_UP,),
    label=_("Nouveaux suivis"),
    definition=_("Suivis individuels commencés dans la période, dans le territoire du suivi."),
    rows=_new_rows,
)

_casework(
    id="casework.interventions",
    reads=(FOLLOW_UP, INTERVENTION),
    label=_("Interventions"),
    definition=_(
        "Interventions de soutien individuel datées de la période, selon leur type, dans le "
        "territoire du suivi."
    ),
    rows=_intervention_rows,
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
    rows=_referral_rows,
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
    rows=_closed_rows,
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
    rows=_stable_rows,
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
