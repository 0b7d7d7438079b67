"""The evaluation dashboard, an indicator's page, the records behind a value, and the exports
of the indicator table. Thin: figures come from selectors.py, given the user.

Coordination, organizers, supervisors, the privacy officer, partners and researchers read
them; workers, housing managers and users without a role get a 404 (permissions.py); anonymous
visitors are sent to the sign-in page, like every staff page.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import catalogue, engine, exports, selectors
from .catalogue import UNIT_LABELS
from .display import format_value
from .forms import Areas, dashboard_form, selection_from_keys
from .periods import CUSTOM, Area, Period
from .permissions import require_evaluation


def _reports_url(period, area) -> str | None:
    """The highlights reports of the same period and area (pages written alongside these)."""
    try:
        url = reverse("evaluation:report-list")
    except NoReverseMatch:
        return None
    return f"{url}?{selectors.query(period, area)}"


@login_required
def dashboard(request):
    require_evaluation(request.user)
    areas = Areas()
    form = dashboard_form(request.GET, areas)
    period, area = form.selection()
    invalid = form.is_bound and not form.is_valid()
    context = {
        "form": form,
        "invalid": invalid,
        "period": period,
        "area": area,
        "area_label": areas.label(area),
        "sections": selectors.dashboard(request.user, period, area),
        "previous": period.previous(),
        "query": selectors.query(period, area),
        "reports_url": _reports_url(period, area),
    }
    return render(request, "evaluation/dashboard.html", context, status=400 if invalid else 200)


def _selection(request, areas):
    selection = selection_from_keys(request.GET, areas)
    return selection, (400 if selection.errors else 200)


def _indicator_selection(request, indicator_id):
    """The indicator, the areas, the period and area asked for (400 when the selection is
    wrong), and the area shown: the whole program when the indicator is counted only there."""
    indicator = selectors.get_indicator_for_user(request.user, indicator_id)
    areas = Areas()
    selection, status = _selection(request, areas)
    whole_only = not selectors.applies(indicator, selection.area)
    area = Area() if whole_only else selection.area
    return indicator, areas, selection, status, area, whole_only


@login_required
def indicator_detail(request, indicator_id):
    indicator, areas, selection, status, area, whole_only = _indicator_selection(
        request, indicator_id
    )
    period = selection.period
    trend = selectors.trend_table(indicator, period, area)
    current = next((c for c in trend.cells if c.current), None)
    context = {
        "indicator": indicator,
        "group": catalogue.GROUPS.get(indicator.group),
        "unit_label": UNIT_LABELS.get(indicator.unit, indicator.unit),
        "selection": selection,
        "period": period,
        "area": area,
        "area_label": areas.label(area),
        "whole_only": whole_only,
        "current": current,
        "trend": trend,
        "breakdowns": selectors.breakdown_tables(indicator, period, area),
        "areas_table": selectors.area_table(indicator, period, area, areas),
        "dashboard_query": selectors.query(period, selection.area),
        "records_url": selectors.records_url(indicator, period, area),
        "previous_query": selectors.query(period.previous(), selection.area),
        "next_period": _next(period),
        "next_query": selectors.query(_next(period), selection.area) if _next(period) else "",
    }
    return render(request, "evaluation/indicator.html", context, status=status)


def _next(period):
    """The period after, unless it has not begun yet."""
    if period.kind == CUSTOM:
        return None
    following = Period.of(period.kind, period.year + 1)
    return following if following.start <= timezone.localdate() else None


@login_required
def records(request, indicator_id):
    indicator, areas, selection, status, area, _whole_only = _indicator_selection(
        request, indicator_id
    )
    period = selection.period
    errors = list(selection.errors)
    breakdown_name = request.GET.get("breakdown", "")
    item = request.GET.get("item", "")
    breakdown = indicator.breakdown(breakdown_name) if breakdown_name else None
    if breakdown_name and breakdown is None:
        errors.append(_("Cette répartition n'existe pas pour cet indicateur : voici le total."))
        breakdown_name, item, status = "", "", 400
    item_label = ""
    if breakdown is not None:
        item_label = dict(breakdown.labels()).get(item, item or _("(non précisé)"))
    value, protected = _cell_value(indicator, period, area, breakdown_name, item)
    table, denied = None, False
    if indicator.records is not None and not protected:
        try:
            table = indicator.records(request.user, period, area, breakdown_name or None, item)
        except Http404:
            denied = True  # the records' own pages are closed to this role
    if (
        table is not None
        and indicator.suppress_below
        and 0 < table.total < indicator.suppress_below
    ):
        table, protected = None, True
    context = {
        "indicator": indicator,
        "period": period,
        "area": area,
        "area_label": areas.label(area),
        "errors": errors,
        "breakdown": breakdown,
        "item": item,
        "item_label": item_label,
        "table": table,
        "rows": [(list(zip(table.columns, cells, strict=False)), url) for cells, url in table.rows]
        if table is not None
        else [],
        "denied": denied,
        "protected": protected,
        "truncated": table is not None and table.total > len(table.rows),
        "indicator_url": selectors.indicator_url(indicator, period, area),
        "value": value,
        "breakdowns": []
        if table is not None
        else selectors.breakdown_tables(indicator, period, area, with_charts=False),
    }
    return render(request, "evaluation/records.html", context, status=status)


def _cell_value(indicator, period, area, breakdown_name, item) -> tuple[str, bool]:
    """The value the records stand behind, as the indicator's page shows it, and whether it
    is suppressed or hidden (its records are then never listed: they would count it)."""
    if not breakdown_name:
        value = engine.values([indicator], [period], area)[(indicator.id, period.key)]
        return format_value(indicator, value), indicator.suppressed(value)
    values = dict(engine.breakdown_values(indicator, period, area, breakdown_name))
    values.setdefault(item, selectors.default_value(indicator))
    if item in selectors.secondary_suppression(indicator, values):
        return _("masqué"), True
    return format_value(indicator, values[item]), indicator.suppressed(values[item])


@login_required
def export(request, fmt):
    require_evaluation(request.user)
    areas = Areas()
    form = dashboard_form(request.GET, areas)
    period, area = form.selection()
    area_label = areas.label(area)
    periods, territories, rows = selectors.export_table(request.user, period, area, areas)
    args = (period, area_label, periods, territories, rows)
    name = f"indicateurs-{period.key}-{area.key.replace(':', '-')}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.csv_bytes(*args), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.xlsx_bytes(*args),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
