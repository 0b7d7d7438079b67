"""Campaign pages: list, create and edit, the campaign page (sites, links, goals), printable
poster with QR code and paper questionnaire, the staff's paper-entry mode.

The coordination manages every campaign; an organizer those with a site in their territories
(``selectors.get_campaign_for_user``); other roles get a 404.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core.form_pages import form_page

from . import answering, selectors, services
from .forms import AnswerForm, CampaignForm, PaperEntryForm
from .models import Campaign, Source

MAX_PRINTED_SHEETS = 200


def _to_campaign(campaign):
    return redirect("surveys:campaign-detail", public_id=campaign.public_id)


def answer_url(request, site) -> str:
    return request.build_absolute_uri(reverse("surveys:answer", args=[site.code]))


@login_required
def campaign_list(request):
    campaigns = list(
        selectors.campaigns_for_user(request.user)
        .select_related("version")
        .order_by("-opens_on", "title")
    )
    today = timezone.localdate()
    for campaign in campaigns:
        campaign.state = campaign.status_on(today)
    return render(request, "surveys/campaign_list.html", {"campaigns": campaigns})


def _save(request, campaign: Campaign, *, creating: bool):
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if not creating and campaign.responses.exists():
        form.fields["version"].disabled = True

    def save():
        campaign = form.save(commit=False)
        if creating:
            campaign.created_by = request.user
        return services.campaign_save(
            user=request.user,
            campaign=campaign,
            buildings=form.cleaned_data["buildings"],
            providers=form.cleaned_data["providers"],
            default_goal=form.cleaned_data.get("default_goal") or 0,
            request=request,
        )

    return form_page(
        request,
        form,
        save,
        success=_("La campagne a été enregistrée."),
        to=lambda saved: reverse("surveys:campaign-detail", args=[saved.public_id]),
        template="surveys/campaign_form.html",
        context={"campaign": campaign, "creating": creating},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    selectors.campaigns_for_user(request.user)  # 404 outside the survey staff
    return _save(request, Campaign(), creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, public_id):
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    return _save(request, campaign, creating=False)


@login_required
def campaign_detail(request, public_id):
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    sites = list(campaign.sites.select_related("building", "provider").order_by("label"))
    for site in sites:
        site.url = answer_url(request, site)
    latest = campaign.version.questionnaire.versions.order_by("-number").first()
    paper = list(
        campaign.responses.filter(source=Source.PAPER)
        .select_related("site", "entered_by")
        .order_by("-id")[:20]
    )
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "state": campaign.status_on(timezone.localdate()),
            "sites": sites,
            "newer_version": latest if latest and latest.number > campaign.version.number else None,
            "paper_entries": paper,
            "goal_total": sum(s.goal for s in sites),
        },
    )


@login_required
@require_POST
def site_goals(request, public_id):
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    goals, bad = {}, False
    for site in campaign.sites.all():
        raw = (request.POST.get(f"goal-{site.code}") or "").strip()
        if raw == "":
            continue
        if not raw.isdigit() or int(raw) > 100_000:
            bad = True
            continue
        goals[site.pk] = int(raw)
    if bad:
        messages.error(request, _("Un objectif est un nombre entier de 0 à 100 000."))
    changed = services.site_goals_update(
        user=request.user, campaign=campaign, goals=goals, request=request
    )
    if changed:
        messages.success(request, _("Les objectifs ont été enregistrés."))
    return _to_campaign(campaign)


# --------------------------------------------------------------------------- printables


def _qr(url: str):
    import segno

    return segno.make(url, error="m")


@login_required
def poster(request, public_id):
    site = selectors.get_site_for_user(request.user, public_id)
    url = answer_url(request, site)
    svg = _qr(url).svg_inline(
        scale=8, omitsize=True, title=_("Code QR du questionnaire"), dark="#000", light="#fff"
    )
    return render(
        request,
        "surveys/poster.html",
        {"site": site, "campaign": site.campaign, "url": url, "qr_svg": svg},
    )


@login_required
def qr_code(request, public_id, fmt):
    if fmt not in ("svg", "png"):
        raise Http404
    site = selectors.get_site_for_user(request.user, public_id)
    out = io.BytesIO()
    code = _qr(answer_url(request, site))
    if fmt == "svg":
        code.save(out, kind="svg", scale=10, xmldecl=True, title=site.label)
        content_type = "image/svg+xml"
    else:
        code.save(out, kind="png", scale=12, border=4)
        content_type = "image/png"
    response = HttpResponse(out.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="qr-{site.code}.{fmt}"'
    return response


@login_required
def paper(request, public_id):
    """The questionnaire to print; ``?de=1&a=30`` prints 30 sheets numbered 1 to 30."""
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    struct = answering.structure(campaign.version)
    numbers = [None]
    first, last = request.GET.get("de", ""), request.GET.get("a", "")
    if first.isdigit() and last.isdigit() and 1 <= int(first) <= int(last):
        numbers = list(range(int(first), min(int(last), int(first) + MAX_PRINTED_SHEETS - 1) + 1))
    elif first or last:
        messages.error(
            request,
            _(
                "Numéros de feuilles invalides : indiquez de 1 à %(max)s feuilles, par exemple de 1 à 30."
            )
            % {"max": MAX_PRINTED_SHEETS},
        )
    return render(
        request,
        "surveys/paper.html",
        {
            "campaign": campaign,
            "form": AnswerForm(struct),
            "numbers": numbers,
            "max_sheets": MAX_PRINTED_SHEETS,
        },
    )


# --------------------------------------------------------------------------- paper entry


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, public_id):
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    struct = answering.structure(campaign.version)
    is_post = request.method == "POST"
    initial = {}
    if request.GET.get("site"):
        initial["site"] = request.GET["site"]
    if (request.GET.get("feuille") or "").isdigit():
        initial["sheet_number"] = int(request.GET["feuille"])
    entry = PaperEntryForm(request.POST if is_post else None, campaign=campaign, initial=initial)
    form = AnswerForm(struct, request.POST if is_post else None)
    status = 200
    if is_post:
        entry_ok = entry.is_valid()
        try:
            if not entry_ok:
                answering.clean_answers(struct, form.raw)
                raise ValidationError({})
            site = selectors.site_of_campaign(campaign, entry.cleaned_data["site"])
            number = entry.cleaned_data["sheet_number"]
            services.response_submit(
                site=site,
                answers=form.raw,
                source=Source.PAPER,
                sheet_number=number,
                user=request.user,
                language="fr",
                request=request,
                struct=struct,
            )
        except ValidationError as error:
            form.set_errors(error)
            for message in form.errors.pop("sheet_number", []):
                entry.add_error("sheet_number", message)
            status = 400
        else:
            messages.success(request, _("Feuille no %(number)s enregistrée.") % {"number": number})
            url = reverse("surveys:paper-entry", args=[campaign.public_id])
            return redirect(f"{url}?site={site.code}&feuille={number + 1}")
    return render(
        request,
        "surveys/paper_entry.html",
        {"campaign": campaign, "entry": entry, "form": form},
        status=status,
    )


@login_required
@require_POST
def response_delete(request, public_id, response_id):
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    response = selectors.get_response_for_user(request.user, campaign, response_id)
    if response.source != Source.PAPER:
        raise Http404
    number = response.sheet_number
    services.response_delete(user=request.user, response=response, request=request)
    messages.success(
        request, _("La saisie de la feuille no %(number)s a été supprimée.") % {"number": number}
    )
    return _to_campaign(campaign)
