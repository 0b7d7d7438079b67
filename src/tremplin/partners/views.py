"""Pages of partners, agreements and funding. Reads through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.audit.services import log_action
from tremplin.core.form_pages import NOT_SAVED, action, form_page, submitted
from tremplin.search import query as search

from . import permissions, selectors, services
from .forms import (
    CommitmentForm,
    DisbursementForm,
    DocumentForm,
    PartnerContactFormSet,
    PartnerForm,
    TopUpForm,
)
from .funding import committed_vs_spent, funding_table
from .models import AgreementDocument, Partner


def _edit_only(user):
    if not permissions.can_edit_funding(user):
        raise Http404


@login_required
def agreement_list(request):
    agreements = selectors.agreements_for_user(request.user)
    return render(request, "partners/agreement_list.html", {"agreements": agreements})


@login_required
def agreement_detail(request, slug):
    agreement = selectors.get_agreement_for_user(request.user, slug)
    table = funding_table(agreement)
    visible = {
        r.commitment.pk
        for s in table.sections
        for r in s.rows
        if permissions.can_see_commitment_detail(request.user, r.commitment)
    }
    return render(
        request,
        "partners/agreement_detail.html",
        {
            "agreement": agreement,
            "table": table,
            "visible_commitments": visible,
            "signatories": agreement.signatories.order_by("name"),
            "documents": agreement.documents.all(),
            "can_edit": permissions.can_edit_funding(request.user),
            "document_form": DocumentForm() if permissions.can_edit_funding(request.user) else None,
        },
    )


@login_required
def funding_export(request, slug, fmt):
    from . import reports

    agreement = selectors.get_agreement_for_user(request.user, slug)
    content, content_type, ext = reports.render_funding(
        agreement, fmt, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if fmt in {"pdf", "html"} else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="financement-{agreement.slug}.{ext}"'
    )
    return response


@login_required
def agreement_spending(request, slug):
    agreement = selectors.get_agreement_for_user(request.user, slug)
    if permissions.is_partner_user(request.user):
        raise Http404  # partners see totals, not the spending detail of others
    return render(
        request,
        "partners/agreement_spending.html",
        {"agreement": agreement, **committed_vs_spent(agreement)},
    )


@login_required
@require_POST
def document_add(request, slug):
    _edit_only(request.user)
    agreement = selectors.get_agreement_for_user(request.user, slug)
    form = DocumentForm(request.POST, request.FILES)
    to = reverse("partners:agreement-detail", args=[agreement.slug])
    if not form.is_valid():
        messages.error(
            request,
            _("Le document n'a pas été ajouté : donnez un titre et choisissez un fichier PDF."),
        )
        return redirect(to)
    return action(
        request,
        lambda: services.document_add(
            user=request.user,
            agreement=agreement,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            request=request,
        ),
        success=_("Le document a été ajouté."),
        to=to,
        joined=True,
    )


@login_required
def document_download(request, public_id):
    try:
        document = AgreementDocument.objects.select_related("agreement").get(public_id=public_id)
    except (AgreementDocument.DoesNotExist, ValueError):
        raise Http404 from None
    selectors.get_agreement_for_user(request.user, document.agreement.slug)  # 404 outside scope
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.title}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def commitment_detail(request, public_id):
    commitment = selectors.get_commitment_for_user(request.user, public_id)
    return render(
        request,
        "partners/commitment_detail.html",
        {
            "commitment": commitment,
            "top_ups": commitment.top_ups.all(),
            "disbursements": commitment.disbursements.all(),
            "changes": commitment.amount_changes.all()[:100],
            "show_note": permissions.can_see_internal_notes(request.user, commitment.partner_id),
            "can_edit": permissions.can_edit_funding(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_create(request, slug):
    _edit_only(request.user)
    agreement = selectors.get_agreement_for_user(request.user, slug)
    form = CommitmentForm(request.POST or None, agreement=agreement)
    return form_page(
        request,
        form,
        lambda: services.commitment_save(
            user=request.user, commitment=form.save(commit=False), request=request
        ),
        success=_("L'engagement a été enregistré."),
        to=_commitment_url,
        template="partners/commitment_form.html",
        context={"agreement": agreement, "creating": True},
    )


def _commitment_url(commitment) -> str:
    return reverse("partners:commitment-detail", args=[commitment.public_id])


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request, public_id):
    commitment = selectors.get_commitment_for_edit(request.user, public_id)
    form = CommitmentForm(request.POST or None, instance=commitment, agreement=commitment.agreement)
    return form_page(
        request,
        form,
        lambda: services.commitment_save(
            user=request.user,
            commitment=form.save(commit=False),
            expected_version=form.cleaned_data.get("version"),
            request=request,
        ),
        success=_("L'engagement a été enregistré."),
        to=_commitment_url(commitment),
        template="partners/commitment_form.html",
        context={
            "top_up_form": TopUpForm(prefix="topup"),
            "agreement": commitment.agreement,
            "commitment": commitment,
        },
    )


@login_required
@require_POST
def commitment_top_up(request, public_id):
    commitment = selectors.get_commitment_for_edit(request.user, public_id)
    form = TopUpForm(request.POST, prefix="topup")
    saved = submitted(
        request,
        form,
        lambda: services.top_up_set(
            user=request.user,
            commitment=commitment,
            fiscal_year=form.cleaned_data["fiscal_year"],
            amount=form.cleaned_data["amount"],
            request=request,
        ),
    )
    if saved is not NOT_SAVED:
        messages.success(request, _("La bonification a été enregistrée."))
        return redirect(_commitment_url(commitment))
    return render(
        request,
        "partners/commitment_form.html",
        {
            "form": CommitmentForm(instance=commitment, agreement=commitment.agreement),
            "top_up_form": form,
            "agreement": commitment.agreement,
            "commitment": commitment,
        },
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_add(request, public_id):
    commitment = selectors.get_commitment_for_edit(request.user, public_id)
    form = DisbursementForm(request.POST or None, instance=None)
    form.instance.commitment = commitment
    return form_page(
        request,
        form,
        lambda: services.disbursement_add(
            user=request.user, disbursement=form.save(commit=False), request=request
        ),
        success=_("La dépense a été enregistrée."),
        to=_commitment_url(commitment),
        template="partners/disbursement_form.html",
        context={"commitment": commitment},
    )


@login_required
def partner_list(request):
    q = request.GET.get("q", "")[:200]
    partners = search.filter(selectors.partners_for_user(request.user), q)
    return render(
        request,
        "partners/partner_list.html",
        {"partners": partners, "q": q, "can_edit": permissions.can_edit_funding(request.user)},
    )


@login_required
def partner_detail(request, public_id):
    partner = selectors.get_partner_for_user(request.user, public_id)
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "contacts": partner.contacts.all(),
            "summary": selectors.partner_summary(request.user, partner),
            "show_note": permissions.can_see_partner_notes(request.user),
            "can_edit": permissions.can_edit_funding(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, public_id=None):
    _edit_only(request.user)
    partner = selectors.get_partner_for_user(request.user, public_id) if public_id else Partner()
    form = PartnerForm(request.POST or None, instance=partner)
    contacts = PartnerContactFormSet(request.POST or None, instance=partner, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        with transaction.atomic():
            partner = form.save()
            contacts.instance = partner
            contacts.save()
            log_action(partner, "partners.partner.save", user=request.user, request=request)
        messages.success(request, _("Le partenaire a été enregistré."))
        return redirect("partners:partner-detail", public_id=partner.public_id)
    return render(
        request,
        "partners/partner_form.html",
        {"form": form, "contacts": contacts, "partner": partner},
    )


@login_required
@require_POST
def partner_delete(request, public_id):
    _edit_only(request.user)
    partner = selectors.get_partner_for_user(request.user, public_id)
    return action(
        request,
        lambda: services.partner_delete(user=request.user, partner=partner, request=request),
        success=_("Le partenaire a été supprimé."),
        to="partners:partner-list",
        refused_to=reverse("partners:partner-detail", args=[partner.public_id]),
        joined=True,
    )
