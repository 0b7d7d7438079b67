"""The figures of the highlights report: the main achievements written as sentences around
values computed by the indicator engine, the table of the indicators the viewer may see, and
the chart by territory. Nothing here is typed by anyone: every figure is an indicator's value.

Without a user (the ``tremplin report`` command line), program and funding indicators only;
individual-support indicators (``CASE_STATS``) never.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from tremplin.territories.models import Territory

from . import catalogue, engine
from .catalogue import FUNDING, PROGRAM, Indicator
from .display import format_value, shown
from .periods import REGION, TERRITORY, Area, Period
from .permissions import may_see_indicator

# The main achievements: one sentence per entry, around figures computed for the period and
# area. (key, sentence, figures); each figure is (placeholder, indicator id, fragment), the
# fragment agreeing with its own number. A sentence is left out when one of its indicators
# is not in the catalogue, is not visible to the viewer, or when all its figures are zero.
ACHIEVEMENTS = [
    (
        "reach",
        gettext_lazy("Tournée et événements : %(providers)s et %(people)s"),
        [
            (
                "providers",
                "reach.providers",
                ngettext_lazy(
                    "%(n)s organisme d'habitation", "%(n)s organismes d'habitation", "count"
                ),
            ),
            (
                "people",
                "reach.people",
                ngettext_lazy("%(n)s personne rejointe", "%(n)s personnes rejointes", "count"),
            ),
        ],
    ),
    (
        "accompaniment",
        gettext_lazy(
            "%(providers)s dans la mise en place de projets ou d'activités avec les résidents, "
            "les dirigeants et les partenaires du milieu"
        ),
        [
            (
                "providers",
                "collective.providers_accompanied",
                ngettext_lazy(
                    "%(n)s organisme d'habitation accompagné",
                    "%(n)s organismes d'habitation accompagnés",
                    "count",
                ),
            )
        ],
    ),
    (
        "survey",
        gettext_lazy("Enquête mobilisante dans %(sites)s"),
        [
            (
                "sites",
                "mobilization.sites",
                ngettext_lazy("%(n)s milieu ciblé", "%(n)s milieux ciblés", "count"),
            )
        ],
    ),
    (
        "projects",
        gettext_lazy("Projets par et pour les locataires : %(under_way)s, dont %(started)s"),
        [
            (
                "under_way",
                "collective.projects_under_way",
                ngettext_lazy("%(n)s en cours", "%(n)s en cours", "count"),
            ),
            (
                "started",
                "collective.projects_started",
                ngettext_lazy(
                    "%(n)s démarré dans la période", "%(n)s démarrés dans la période", "count"
                ),
            ),
        ],
    ),
    (
        "participation",
        gettext_lazy("%(participations)s aux activités des projets"),
        [
            (
                "participations",
                "collective.participations",
                ngettext_lazy("%(n)s participation", "%(n)s participations", "count"),
            )
        ],
    ),
    (
        "associations",
        gettext_lazy("Associations de locataires : %(founded)s, %(active)s"),
        [
            (
                "founded",
                "collective.associations_founded",
                ngettext_lazy(
                    "%(n)s fondée dans la période", "%(n)s fondées dans la période", "count"
                ),
            ),
            (
                "active",
                "collective.associations_active",
                ngettext_lazy("%(n)s active", "%(n)s actives", "count"),
            ),
        ],
    ),
    (
        "concertation",
        gettext_lazy("Concertation des partenaires : %(meetings)s"),
        [
            (
                "meetings",
                "concertation.meetings",
                ngettext_lazy(
                    "%(n)s rencontre de comité tenue", "%(n)s rencontres de comités tenues", "count"
                ),
            )
        ],
    ),
    # Individual support: only for the roles that read case statistics (never the command line).
    (
        "casework",
        gettext_lazy("Soutien individuel : %(persons)s"),
        [
            (
                "persons",
                "casework.persons",
                ngettext_lazy("%(n)s personne suivie", "%(n)s personnes suivies", "count"),
            )
        ],
    ),
]

# The chart: this indicator for each territory of the area's region.
CHART_INDICATOR = "reach.providers"


@dataclass
class Statement:
    key: str
    text: str
    figures: dict[str, str]  # indicator id → the figure as written in the text


@dataclass
class IndicatorLine:
    indicator: Indicator
    group: str
    label: str
    value: str


@dataclass
class Chart:
    title: str
    indicator: Indicator
    labels: list[str]
    values: list[Decimal | None]
    shown: list[str]  # the values as written in the data table

    @property
    def rows(self) -> list[tuple[str, str]]:
        return list(zip(self.labels, self.shown, strict=True))


def indicator_allowed(user, indicator: Indicator) -> bool:
    """The viewer's rule; without a user (the command line), program and funding indicators."""
    if user is None:
        return indicator.audience in (PROGRAM, FUNDING)
    return may_see_indicator(user, indicator)


def report_indicators(user, area: Area) -> list[Indicator]:
    """The indicators of the report's table, in the dashboard's group order."""
    order = {g: i for i, g in enumerate(catalogue.GROUP_ORDER)}
    found = [
        i
        for i in catalogue.all_indicators()
        if indicator_allowed(user, i) and (i.territorial or area.kind != TERRITORY)
    ]
    return sorted(found, key=lambda i: order.get(i.group, len(order)))  # stable within a group


def _count(indicator: Indicator, value) -> int:
    """The number a fragment agrees with (a suppressed count reads as a plural: « < 5 »)."""
    amount = shown(indicator, value)
    return 2 if amount is None else int(amount)


def achievements(user, values: dict[str, Decimal | None]) -> list[Statement]:
    """The sentences of ACHIEVEMENTS whose indicators exist, are visible and are not all zero."""
    statements = []
    for key, sentence, figures in ACHIEVEMENTS:
        indicators = [catalogue.get(ind_id) for _name, ind_id, _fragment in figures]
        if any(
            i is None or i.id not in values or not indicator_allowed(user, i) for i in indicators
        ):
            continue
        if not any(values[i.id] for i in indicators):
            continue
        parts, written = {}, {}
        for (name, _ind_id, fragment), indicator in zip(figures, indicators, strict=True):
            figure = format_value(indicator, values[indicator.id])
            written[indicator.id] = figure
            parts[name] = fragment % {"n": figure, "count": _count(indicator, values[indicator.id])}
        text = str(sentence) % parts
        statements.append(Statement(key=key, text=text[0].upper() + text[1:], figures=written))
    return statements


def territory_chart(user, period: Period, area: Area) -> Chart | None:
    indicator = catalogue.get(CHART_INDICATOR)
    if indicator is None or not indicator_allowed(user, indicator):
        return None
    territories = Territory.objects.all()
    if area.kind == TERRITORY:
        region = Territory.objects.filter(pk=area.pk).values_list("region_id", flat=True).first()
        territories = territories.filter(region_id=region)
    elif area.kind == REGION:
        territories = territories.filter(region_id=area.pk)
    territories = list(territories.order_by("name"))
    if len(territories) < 2:
        return None
    found = engine.area_values([indicator], period, [f"territory:{t.pk}" for t in territories])
    values = [found.get((indicator.id, f"territory:{t.pk}"), Decimal(0)) for t in territories]
    if not any(values):
        return None
    return Chart(
        title=_("%(label)s par territoire, %(period)s")
        % {"label": indicator.label, "period": period.label},
        indicator=indicator,
        labels=[t.name for t in territories],
        values=[shown(indicator, v) for v in values],
        shown=[format_value(indicator, v) for v in values],
    )


def report_figures(user, period: Period, area: Area) -> tuple[list[Statement], list[IndicatorLine]]:
    """The achievements' sentences and the indicator table, from one read of the engine."""
    indicators = report_indicators(user, area)
    wanted = {i.id: i for i in indicators}
    for _key, _sentence, figures in ACHIEVEMENTS:
        for _name, ind_id, _fragment in figures:
            indicator = catalogue.get(ind_id)
            if indicator is not None and indicator_allowed(user, indicator):
                wanted.setdefault(ind_id, indicator)
    found = engine.values(list(wanted.values()), [period], area)
    values = {ind_id: found.get((ind_id, period.key)) for ind_id in wanted}
    groups = catalogue.GROUPS
    lines = [
        IndicatorLine(
            indicator=i,
            group=str(groups[i.group].label) if i.group in groups else i.group,
            label=str(i.label),
            value=format_value(i, values.get(i.id)),
        )
        for i in indicators
    ]
    return achievements(user, values), lines
