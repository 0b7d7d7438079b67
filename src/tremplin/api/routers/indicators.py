"""The indicator catalogue and its values, read through ``evaluation.selectors`` (the same
engine call and suppression as the dashboard and the indicator pages)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Router, Schema

from tremplin.evaluation import engine
from tremplin.evaluation import selectors as ev
from tremplin.evaluation.display import shown
from tremplin.evaluation.forms import Areas, selection_from_keys

from ..auth import scoped
from ..schemas import fields

router = Router()


class BreakdownOut(Schema):
    name: str
    label: str


class IndicatorOut(Schema):
    id: str
    group: str
    group_label: str
    label: str
    definition: str
    unit: str
    source: str
    breakdowns: list[BreakdownOut]
    suppress_below: int


class ValueOut(Schema):
    indicator: str
    value: Decimal | None  # None: no value, or a small count suppressed (``suppressed``)
    suppressed: bool
    applies: bool


class ValuesOut(Schema):
    period: str
    period_label: str
    area: str
    values: list[ValueOut]


class ItemOut(Schema):
    item: str
    label: str
    value: Decimal | None
    suppressed: bool


class BreakdownValuesOut(Schema):
    name: str
    label: str
    items: list[ItemOut]


class IndicatorValuesOut(Schema):
    indicator: str
    period: str
    area: str
    value: Decimal | None
    suppressed: bool
    breakdowns: list[BreakdownValuesOut]


def _selection(period: str | None, area: str | None):
    params = {k: v for k, v in {"period": period, "area": area}.items() if v}
    selection = selection_from_keys(params, Areas())
    if selection.errors:
        raise ValidationError([str(e) for e in selection.errors])
    return selection.period, selection.area


@router.get("/catalogue", response=list[IndicatorOut], summary="Catalogue des indicateurs")
@scoped("indicators:read")
def catalogue(request):
    """The indicators the caller's role may see, by group, as on the dashboard."""
    return [
        {
            "group": group.id,
            "group_label": str(group.label),
            "label": str(i.label),
            "definition": str(i.definition),
            "source": str(i.source),
            "breakdowns": [{"name": b.name, "label": str(b.label)} for b in i.breakdowns],
            **fields(i, "id", "unit", "suppress_below"),
        }
        for group, members in ev.visible_groups(request.user)
        for i in members
    ]


@router.get("/values", response=ValuesOut, summary="Valeurs d'une période et d'un territoire")
@scoped("indicators:read")
def values(request, period: str | None = None, area: str | None = None):
    """``period``: ``fy2008`` (fiscal 2008-2009), ``cy2008`` or ``2008-04-01..2009-03-31``;
    ``area``: ``all``, ``region:<id>`` or ``territory:<id>`` (the dashboard's keys). Small
    counts of individual support are suppressed (``value`` null, ``suppressed`` true)."""
    p, a = _selection(period, area)
    indicators = [i for _g, members in ev.visible_groups(request.user) for i in members]
    applying = [i for i in indicators if ev.applies(i, a)]
    found = engine.values(applying, [p], a) if applying else {}
    out = []
    for i in indicators:
        raw = found.get((i.id, p.key)) if ev.applies(i, a) else None
        out.append(
            {
                "indicator": i.id,
                "value": shown(i, raw),
                "suppressed": i.suppressed(raw),
                "applies": ev.applies(i, a),
            }
        )
    return {"period": p.key, "period_label": p.label, "area": a.key, "values": out}


@router.get(
    "/{indicator_id}", response=IndicatorValuesOut, summary="Un indicateur et ses ventilations"
)
@scoped("indicators:read")
def indicator(request, indicator_id: str, period: str | None = None, area: str | None = None):
    """The value and its breakdowns, with the indicator page's secondary suppression (a part
    that would reveal a hidden one by subtraction is hidden too)."""
    i = ev.get_indicator_for_user(request.user, indicator_id)
    p, a = _selection(period, area)
    raw = engine.values([i], [p], a).get((i.id, p.key)) if ev.applies(i, a) else None
    tables = []
    for b in i.breakdowns:
        found = engine.breakdown_values(i, p, a, b.name)
        labels = dict(b.labels())
        for item in found:
            labels.setdefault(item, item or "")
        vals = {item: found.get(item, ev.default_value(i)) for item in labels}
        hidden = ev.secondary_suppression(i, vals)
        items = []
        for item, label in labels.items():
            masked = item in hidden or i.suppressed(vals[item])
            items.append(
                {
                    "item": str(item),
                    "label": str(label),
                    "value": None if masked else shown(i, vals[item]),
                    "suppressed": masked,
                }
            )
        tables.append({"name": b.name, "label": str(b.label), "items": items})
    return {
        "indicator": i.id,
        "period": p.key,
        "area": a.key,
        "value": shown(i, raw),
        "suppressed": i.suppressed(raw),
        "breakdowns": tables,
    }
