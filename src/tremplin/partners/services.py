"""Writes on partners and funding. Every amount change is kept in AmountChange and audited."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action, save_audited
from tremplin.core.formatting import exact_money

from .models import AgreementDocument, AmountChange, Commitment, Disbursement, Partner, TopUp


class ConcurrentEditError(ValidationError):
    """Someone saved the record since this form was opened."""


def _record_change(commitment, *, user, field, before, after):
    if before != after:
        AmountChange.objects.create(
            commitment=commitment,
            user=user,
            username=getattr(user, "username", "") or "",
            field=field,
            before=before,
            after=after,
        )


@transaction.atomic
def commitment_save(
    *, user, commitment: Commitment, expected_version: int | None = None, request=None
) -> Commitment:
    """Create or update a commitment.

    ``expected_version`` is the version the editor started from: if someone saved since,
    nothing is written and ConcurrentEditError says so (no silent overwrite).
    """
    commitment.full_clean(exclude=["version"])
    if commitment.pk is None:
        commitment.version = 1
        commitment.save()
        _record_change(
            commitment,
            user=user,
            field="initial_amount",
            before=None,
            after=commitment.initial_amount,
        )
        log_action(commitment, "partners.commitment.create", user=user, request=request)
        return commitment
    current = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError(
            _(
                "Cet engagement a été modifié par %(who)s pendant que vous le modifiiez. "
                "Vos changements n'ont pas été enregistrés : rechargez la page pour voir la version actuelle."
            )
            % {"who": _last_editor(current)},
            code="concurrent_edit",
        )
    if commitment.initial_amount != current.initial_amount:
        total = (commitment.initial_amount or Decimal(0)) + _top_up_total(commitment)
        try:
            _check_holds_allocations(commitment, total=total)
        except ValidationError as exc:
            raise ValidationError({"initial_amount": exc.messages}) from exc
    commitment.version = current.version + 1
    commitment.save()
    _record_change(
        commitment,
        user=user,
        field="initial_amount",
        before=current.initial_amount,
        after=commitment.initial_amount,
    )
    log_action(commitment, "partners.commitment.update", user=user, request=request)
    return commitment


def _check_holds_allocations(commitment: Commitment, *, total: Decimal) -> None:
    """Refuse a total (initial amount and top-ups) under what projects have already drawn on
    the commitment, naming those projects: the funding table would show a negative remainder.

    The projects' allocations are read through the reverse relation (``project_funding``):
    partners sits below projects and does not import them. Call it with the row locked."""
    rows = list(
        commitment.project_funding.order_by("project__title").values_list(
            "project__title", "amount"
        )
    )
    drawn = sum((amount for _title, amount in rows), Decimal(0))
    if total >= drawn:
        return
    raise ValidationError(
        _(
            "L'engagement ne peut pas descendre à %(total)s : %(drawn)s en sont déjà imputés "
            "aux projets suivants : %(projects)s. Réduisez d'abord ces imputations."
        )
        % {
            "total": exact_money(total),
            "drawn": exact_money(drawn),
            "projects": " ; ".join(
                f"« {title} » ({exact_money(amount)})" for title, amount in rows
            ),
        },
        code="below_allocations",
    )


def _top_up_total(commitment: Commitment, *, except_year: int | None = None) -> Decimal:
    top_ups = TopUp.objects.filter(commitment=commitment)
    if except_year is not None:
        top_ups = top_ups.exclude(fiscal_year=except_year)
    return top_ups.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _last_editor(commitment) -> str:
    change = commitment.amount_changes.first()
    return change.username if change and change.username else _("une autre personne")


@transaction.atomic
def top_up_set(
    *, user, commitment: Commitment, fiscal_year: int, amount: Decimal | None, request=None
) -> TopUp | None:
    """Set (or with ``amount=None``, remove) the top-up of a commitment for a fiscal year.
    Refused when the new total would fall under what projects have drawn on the commitment."""
    Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
    total = (
        (commitment.initial_amount or Decimal(0))
        + _top_up_total(commitment, except_year=fiscal_year)
        + (amount or Decimal(0))
    )
    _check_holds_allocations(commitment, total=total)
    existing = TopUp.objects.filter(commitment=commitment, fiscal_year=fiscal_year).first()
    before = existing.amount if existing else None
    if amount is None:
        if existing:
            existing.delete()
    else:
        top_up = existing or TopUp(commitment=commitment, fiscal_year=fiscal_year)
        top_up.amount = amount
        top_up.full_clean()
        top_up.save()
        existing = top_up
    _record_change(
        commitment, user=user, field=f"top_up:{fiscal_year}", before=before, after=amount
    )
    Commitment.objects.filter(pk=commitment.pk).update(version=commitment.version + 1)
    commitment.version += 1
    log_action(
        commitment,
        "partners.commitment.top_up",
        user=user,
        request=request,
        data={"fiscal_year": fiscal_year},
    )
    return existing if amount is not None else None


@transaction.atomic
def disbursement_add(*, user, disbursement: Disbursement, request=None) -> Disbursement:
    disbursement.full_clean()
    disbursement.save()
    log_action(
        disbursement.commitment,
        "partners.disbursement.create",
        user=user,
        request=request,
        data={"amount": str(disbursement.amount), "date": disbursement.date.isoformat()},
    )
    return disbursement


@transaction.atomic
def partner_delete(*, user, partner: Partner, request=None) -> None:
    """Delete a partner, unless it has commitments or member bodies (then say why)."""
    commitments = list(partner.commitments.select_related("agreement")[:3])
    if commitments:
        agreements = ", ".join(sorted({c.agreement.short_title for c in commitments}))
        raise ValidationError(
            _(
                "« %(name)s » ne peut pas être supprimé : il a des engagements dans %(agreements)s. "
                "Rendez-le plutôt inactif."
            )
            % {"name": partner.name, "agreements": agreements},
            code="has_commitments",
        )
    if partner.children.exists():
        raise ValidationError(
            _("« %(name)s » ne peut pas être supprimé : d'autres partenaires en font partie.")
            % {"name": partner.name},
            code="has_children",
        )
    log_action(partner, "partners.partner.delete", user=user, request=request)
    partner.delete()


PDF_MAGIC = b"%PDF-"


@transaction.atomic
def document_add(*, user, agreement, title: str, upload, request=None) -> AgreementDocument:
    """Attach a PDF to an agreement: checked by content (not by name) and by size."""
    if upload.size > AgreementDocument.MAX_BYTES:
        raise ValidationError(_("Le fichier dépasse la taille maximale de 10 Mo."), code="too_big")
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(_("Seuls les documents PDF sont acceptés."), code="not_pdf")
    document = AgreementDocument(
        agreement=agreement, title=title.strip() or _("Document"), uploaded_by=user
    )
    document.size = upload.size
    document.file.save("document.pdf", upload, save=False)
    return save_audited(
        document,
        "partners.document",
        verb="add",
        on=agreement,
        user=user,
        request=request,
        data={"document": str(document.public_id)},
    )
