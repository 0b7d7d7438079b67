"""Pages of community work: accompaniments of housing providers and tenant associations.

Every program role reads them; the coordination, or an organizer of the provider's territory,
changes them (``permissions.can_edit_provider_work``); anyone else gets a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tremplin.accounts.roles import Role
from tremplin.housing.models import HousingProvider

from . import counting, permissions, services
from .forms_community import (
    AccompanimentFilterForm,
    AccompanimentForm,
    AssociationFilterForm,
    AssociationForm,
    BoardFormSet,
    HoursFormSet,
    MeetingFormSet,
    fiscal_year_bounds,
)
from .models import Accompaniment, AccompanimentTheme, TenantAssociation

PER_PAGE = 50
THEME_LABELS = dict(AccompanimentTheme.choices)


def _require_reader(user):
    if not permissions.can_read(user):
        raise Http404


def _provider_by_public_id(value):
    if not value:
        return None
    try:
        return HousingProvider.objects.select_related("municipality__mrc").get(public_id=value)
    except (HousingProvider.DoesNotExist, ValidationError, ValueError, TypeError):
        return None


def _require_editor(user, provider):
    if provider is None or not permissions.can_edit_provider_work(user, provider):
        raise Http404


def _check_posted_provider(request):
    """A provider sent in a form must be one the user may edit: 404 otherwise (and if unknown)."""
    value = request.POST.get("provider")
    if value:
        provider = _provider_by_public_id(value)
        _require_editor(request.user, provider)
        return provider
    return None


TERRITORY = "provider__municipality__mrc__territory"


def _filtered(qs, data: dict, lookups: dict):
    """``qs`` narrowed by the filter form's filled-in fields (field name → lookup)."""
    return qs.filter(**{lookup: data[name] for name, lookup in lookups.items() if data.get(name)})


def _page(request, queryset):
    paginator = Paginator(queryset, PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


# --------------------------------------------------------------------------- accompaniments


@login_required
def accompaniment_list(request):
    _require_reader(request.user)
    form = AccompanimentFilterForm(request.GET or None)
    qs = Accompaniment.objects.all()
    year = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        qs = _filtered(qs, data, {"territory": TERRITORY, "organizer": "organizer"})
        year = data.get("year")
    if year is not None:
        start, end = fiscal_year_bounds(year)
        accompanied = len(counting.providers_accompanied(start, end, queryset=qs.order_by()))
        qs = qs.filter(counting.overlapping("start_date", "end_date", start, end))
    else:
        accompanied = qs.order_by().values("provider_id").distinct().count()
    qs = (
        qs.select_related("provider__municipality__mrc__territory", "organizer", "association")
        .annotate(hours_total=Sum("hours__hours"))
        .order_by("-start_date", "provider__name")
    )
    page = _page(request, qs)
    for a in page:
        a.theme_labels = [str(THEME_LABELS.get(t, t)) for t in a.themes or []]
        a.can_edit = permissions.can_edit_provider_work(request.user, a.provider)
    return render(
        request,
        "projects/accompaniment_list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "rows": page.object_list,
            "year": year,
            "year_label": f"{year}-{year + 1}" if year is not None else "",
            "accompanied": accompanied,
            "total": page.paginator.count,
            "can_create": permissions.can_create(request.user),
        },
    )


def _save_accompaniment(request, accompaniment, *, creating):
    data = request.POST if request.method == "POST" else None
    initial = {}
    if creating and request.method == "GET":
        provider = _provider_by_public_id(request.GET.get("provider"))
        if request.GET.get("provider"):
            _require_editor(request.user, provider)
            initial["provider"] = provider
    form = AccompanimentForm(data, instance=accompaniment, user=request.user, initial=initial)
    hours = HoursFormSet(data, instance=accompaniment, prefix="hours")
    if data is not None and form.is_valid() and hours.is_valid():
        with transaction.atomic():
            accompaniment = form.save(commit=False)
            services.accompaniment_save(
                user=request.user, accompaniment=accompaniment, request=request
            )
            hours.instance = accompaniment
            hours.save()
        messages.success(request, _("L'accompagnement a été enregistré."))
        return redirect("projects:accompaniment-list")
    return render(
        request,
        "projects/accompaniment_form.html",
        {"form": form, "hours": hours, "accompaniment": accompaniment, "creating": creating},
    )


@login_required
@require_http_methods(["GET", "POST"])
def accompaniment_create(request):
    if not permissions.can_create(request.user):
        raise Http404
    if request.method == "POST":
        _check_posted_provider(request)
    accompaniment = Accompaniment()
    if request.user.membership.role != Role.COORDINATION:
        accompaniment.organizer = request.user
    return _save_accompaniment(request, accompaniment, creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def accompaniment_edit(request, public_id):
    _require_reader(request.user)
    try:
        accompaniment = Accompaniment.objects.select_related(
            "provider__municipality__mrc", "organizer"
        ).get(public_id=public_id)
    except Accompaniment.DoesNotExist:
        raise Http404 from None
    _require_editor(request.user, accompaniment.provider)
    if request.method == "POST":
        _check_posted_provider(request)
    return _save_accompaniment(request, accompaniment, creating=False)


# --------------------------------------------------------------------------- associations


@login_required
def association_list(request):
    _require_reader(request.user)
    form = AssociationFilterForm(request.GET or None)
    qs = TenantAssociation.objects.select_related(
        "provider__municipality__mrc__territory"
    ).annotate(building_count=Count("buildings", distinct=True))
    if form.is_bound and form.is_valid():
        qs = _filtered(qs, form.cleaned_data, {"status": "status", "territory": TERRITORY})
    page = _page(request, qs.order_by("name"))
    return render(
        request,
        "projects/association_list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "rows": page.object_list,
            "total": page.paginator.count,
            "can_create": permissions.can_create(request.user),
        },
    )


def _get_association(user, public_id):
    _require_reader(user)
    try:
        return TenantAssociation.objects.select_related(
            "provider__municipality__mrc__territory"
        ).get(public_id=public_id)
    except TenantAssociation.DoesNotExist:
        raise Http404 from None


@login_required
def association_detail(request, public_id):
    association = _get_association(request.user, public_id)
    buildings = association.buildings.select_related("municipality").order_by(
        "municipality__name", "address"
    )
    return render(
        request,
        "projects/association_detail.html",
        {
            "association": association,
            "buildings": buildings,
            "board": association.board.all(),
            "meetings": association.meetings.all(),
            "accompaniments": association.accompaniments.select_related("organizer"),
            "can_edit": permissions.can_edit_provider_work(request.user, association.provider),
        },
    )


def _save_association(request, association, provider, *, creating):
    data = request.POST if request.method == "POST" else None
    initial = {"provider": provider} if creating and provider is not None else {}
    form = AssociationForm(
        data, instance=association, user=request.user, provider=provider, initial=initial
    )
    board = BoardFormSet(data, instance=association, prefix="board")
    meetings = MeetingFormSet(data, instance=association, prefix="meetings")
    if data is not None and form.is_valid() and board.is_valid() and meetings.is_valid():
        with transaction.atomic():
            association = services.association_save(
                user=request.user,
                association=form.save(commit=False),
                buildings=form.cleaned_data["buildings"],
                request=request,
            )
            for formset in (board, meetings):
                formset.instance = association
                formset.save()
        messages.success(request, _("L'association a été enregistrée."))
        return redirect("projects:association-detail", public_id=association.public_id)
    return render(
        request,
        "projects/association_form.html",
        {
            "form": form,
            "board": board,
            "meetings": meetings,
            "association": association,
            "creating": creating,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def association_create(request):
    if not permissions.can_create(request.user):
        raise Http404
    if request.method == "POST":
        # Without a provider, the form says so (buildings limited to the user's scope).
        provider = _check_posted_provider(request)
    else:
        provider = _provider_by_public_id(request.GET.get("provider"))
        if request.GET.get("provider"):
            _require_editor(request.user, provider)
    return _save_association(request, TenantAssociation(), provider, creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def association_edit(request, public_id):
    association = _get_association(request.user, public_id)
    _require_editor(request.user, association.provider)
    provider = association.provider
    if request.method == "POST":
        provider = _check_posted_provider(request) or association.provider
    return _save_association(request, association, provider, creating=False)


urlpatterns_community = [
    path("accompagnements/", accompaniment_list, name="accompaniment-list"),
    path("accompagnements/nouveau/", accompaniment_create, name="accompaniment-create"),
    path(
        "accompagnements/<uuid:public_id>/modifier/",
        accompaniment_edit,
        name="accompaniment-edit",
    ),
    path("associations/", association_list, name="association-list"),
    path("associations/nouvelle/", association_create, name="association-create"),
    path("associations/<uuid:public_id>/", association_detail, name="association-detail"),
    path("associations/<uuid:public_id>/modifier/", association_edit, name="association-edit"),
]
