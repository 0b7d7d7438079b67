"""The period and area of the evaluation pages: the dashboard's GET form, and the
``?period=&area=`` keys the indicator and records pages (and their links) carry.

Bad input never fails a page: the form says what is wrong in French and the pages show the
defaults (the last fiscal year that has ended, the whole program).
"""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.territories.models import Region, Territory

from .periods import (
    ALL,
    CALENDAR,
    CUSTOM,
    FISCAL,
    PERIOD_KINDS,
    REGION,
    TERRITORY,
    Area,
    Period,
    current_fiscal_year,
)

FIRST_YEAR = 2008  # the program's first regional agreement (2008–2011)
MIN_YEAR, MAX_YEAR = 1950, 2200  # keys outside: not a period anyone means (and no trail)


def default_period(kind: str = FISCAL, today: dt.date | None = None) -> Period:
    """The last fiscal (or calendar) year that has ended."""
    today = today or timezone.localdate()
    if kind == CALENDAR:
        return Period.calendar(today.year - 1)
    return Period.fiscal(current_fiscal_year(today) - 1)


@dataclass(frozen=True)
class AreaOption:
    key: str
    label: str
    kind: str
    pk: int | None = None
    region_id: int | None = None


class Areas:
    """Every area one may choose (two queries), with their labels and nesting."""

    def __init__(self):
        regions = list(Region.objects.order_by("name").values_list("id", "name"))
        territories = list(
            Territory.objects.order_by("name").values_list("id", "name", "region_id")
        )
        self.whole = AreaOption(ALL, _("L'ensemble du programme"), ALL)
        self.regions = [AreaOption(f"{REGION}:{pk}", name, REGION, pk, pk) for pk, name in regions]
        self.territories = [
            AreaOption(f"{TERRITORY}:{pk}", name, TERRITORY, pk, region)
            for pk, name, region in territories
        ]
        self.by_key = {o.key: o for o in [self.whole, *self.regions, *self.territories]}

    def territories_of(self, region_id: int) -> list[AreaOption]:
        return [t for t in self.territories if t.region_id == region_id]

    def get(self, area: Area) -> AreaOption | None:
        return self.by_key.get(area.key)

    def label(self, area: Area) -> str:
        option = self.get(area)
        return option.label if option else area.key

    def choices(self) -> list:
        """Whole program, regions, then each region's territories (``<optgroup>``)."""
        choices = [(self.whole.key, self.whole.label)]
        if self.regions:
            choices.append((_("Régions"), [(r.key, r.label) for r in self.regions]))
        for region in self.regions:
            children = self.territories_of(region.pk)
            if children:
                group = _("Territoires — %(region)s") % {"region": region.label}
                choices.append((group, [(t.key, t.label) for t in children]))
        return choices

    def siblings(self, area: Area) -> tuple[AreaOption | None, list[AreaOption]]:
        """The areas to compare with: (the parent shown as a total, its children)."""
        option = self.get(area)
        if option is None:
            return None, []
        if option.kind == ALL:
            return None, [*self.regions, *self.territories]
        region = self.by_key.get(f"{REGION}:{option.region_id}")
        return region, self.territories_of(option.region_id)


def year_choices(today: dt.date | None = None) -> list[tuple[int, str]]:
    today = today or timezone.localdate()
    return [(year, str(year)) for year in range(today.year, FIRST_YEAR - 1, -1)]


class DashboardForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type de période"), choices=())
    year = forms.TypedChoiceField(
        label=gettext_lazy("Année"),
        coerce=int,
        choices=(),
        help_text=gettext_lazy(
            "Pour un exercice financier, l'année où il commence : 2008 pour avril 2008 à mars 2009."
        ),
    )
    area = forms.ChoiceField(label=gettext_lazy("Territoire"), choices=())

    def __init__(self, data=None, *, areas: Areas, **kwargs):
        default = default_period()
        kwargs.setdefault("initial", {"kind": default.kind, "year": default.year, "area": ALL})
        super().__init__(data, **kwargs)
        self.areas = areas
        self.fields["kind"].choices = [(k, str(label)) for k, label in PERIOD_KINDS.items()]
        self.fields["year"].choices = year_choices()
        self.fields["area"].choices = areas.choices()

    def selection(self) -> tuple[Period, Area]:
        """The chosen period and area, or the defaults when the form is unbound or invalid."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return Period.of(data["kind"], data["year"]), Area.from_key(data["area"])
        return default_period(), Area()


def dashboard_form(params, areas: Areas) -> DashboardForm:
    """The form bound to the query string. ``period=fy2008`` (the key the other pages carry)
    stands for ``kind=fy&year=2008``; without any parameter the form is unbound (defaults)."""
    keys = ("kind", "year", "area", "period")
    if not any(params.get(k) for k in keys):
        return DashboardForm(areas=areas)
    data = {k: params.get(k, "") for k in ("kind", "year", "area")}
    period_key = params.get("period", "")
    if period_key and not data["kind"] and not data["year"]:
        data["kind"], data["year"] = period_key[:2], period_key[2:]
    default = default_period()
    data["kind"] = data["kind"] or (default.kind if data["year"] else "")
    data["area"] = data["area"] or ALL
    return DashboardForm(data, areas=areas)


@dataclass
class Selection:
    period: Period
    area: Area
    area_option: AreaOption
    errors: list[str]


def selection_from_keys(params, areas: Areas) -> Selection:
    """``?period=<key>&area=<key>`` of the indicator and records pages: any period key
    (fiscal, calendar or a span ``2008-04-01..2009-03-31``), a known area. What is wrong is
    named in ``errors`` and replaced by the default."""
    errors = []
    period = default_period()
    if params.get("period"):
        try:
            period = Period.from_key(params["period"])
        except ValueError:
            errors.append(_("La période demandée n'est pas valide : voici la période par défaut."))
        else:
            if not (MIN_YEAR <= period.start.year and period.end.year <= MAX_YEAR):
                errors.append(
                    _("La période demandée n'est pas valide : voici la période par défaut.")
                )
                period = default_period()
            elif period.kind == CUSTOM and (period.end - period.start).days > 366 * 10:
                errors.append(_("La période demandée est trop longue (dix ans au plus)."))
                period = default_period()
    area, option = Area(), areas.whole
    if params.get("area"):
        try:
            area = Area.from_key(params["area"])
        except ValueError:
            area = None
        option = areas.get(area) if area else None
        if option is None:
            errors.append(_("Le territoire demandé n'existe pas : voici l'ensemble du programme."))
            area, option = Area(), areas.whole
    return Selection(period, area, option, errors)
