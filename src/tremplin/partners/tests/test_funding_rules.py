"""Funding integrity: exact money, top-ups within the period, parties only, no silent overwrite."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tremplin.partners.funding import funding_table
from tremplin.partners.models import (
    AmountChange,
    Commitment,
    CommitmentKind,
    Partner,
    TopUp,
    fiscal_year_of,
)
from tremplin.partners.services import commitment_save, partner_delete, top_up_set


def test_it_names_fiscal_years_by_their_april_start():
    assert fiscal_year_of(dt.date(2009, 3, 31)) == 2008
    assert fiscal_year_of(dt.date(2009, 4, 1)) == 2009


def test_it_computes_the_table_from_commitments(funding):
    table = funding_table(funding["agreement"])
    assert table.section(CommitmentKind.CASH).initial == Decimal("50000")
    assert table.section(CommitmentKind.SERVICES).initial == Decimal("54522")
    assert table.initial == Decimal("50000") + Decimal("54522")
    assert [c.year_number for c in table.columns] == [2]
    assert table.top_up_total == Decimal("50000")
    assert table.grand_total == Decimal("50000") + Decimal("54522") + Decimal("50000")


def test_it_refuses_a_commitment_from_a_partner_who_is_not_a_party(funding):
    commitment = Commitment(
        agreement=funding["agreement"],
        partner=funding["stranger"],
        purpose="X",
        kind=CommitmentKind.CASH,
        initial_amount=Decimal("10"),
    )
    with pytest.raises(ValidationError) as exc:
        commitment_save(user=None, commitment=commitment)
    assert "n'est pas partie à l'entente" in str(exc.value)
    assert not Commitment.objects.filter(partner=funding["stranger"]).exists()


def test_it_accepts_a_body_under_a_signatory(funding):
    # The CSSS is under the Agence, which signed.
    assert funding["agreement"].is_party(funding["csss"])


@pytest.mark.parametrize("year", [2007, 2011, 2020])
def test_it_refuses_a_top_up_outside_the_agreements_period(funding, year):
    with pytest.raises(ValidationError) as exc:
        top_up_set(user=None, commitment=funding["cash"], fiscal_year=year, amount=Decimal("100"))
    assert "hors de la période de l'entente" in str(exc.value)
    assert not TopUp.objects.filter(fiscal_year=year).exists()


def test_it_refuses_to_delete_a_partner_with_commitments_and_says_why(funding):
    with pytest.raises(ValidationError) as exc:
        partner_delete(user=None, partner=funding["shq"])
    assert "a des engagements dans Test" in str(exc.value)
    assert Partner.objects.filter(pk=funding["shq"].pk).exists()
    partner_delete(user=None, partner=funding["stranger"])
    assert not Partner.objects.filter(pk=funding["stranger"].pk).exists()


def test_it_keeps_the_history_of_amount_changes(funding, personas):
    cash = Commitment.objects.get(pk=funding["cash"].pk)
    cash.initial_amount = Decimal("60000")
    commitment_save(user=personas["coordination"], commitment=cash, expected_version=cash.version)
    change = AmountChange.objects.filter(commitment=cash, field="initial_amount").first()
    assert (change.before, change.after, change.username) == (
        Decimal("50000"),
        Decimal("60000"),
        "coordination",
    )
    assert AmountChange.objects.filter(
        commitment=cash, field="top_up:2009", after=Decimal("50000")
    ).exists()


# Views: bad input through the forms.


def commitment_post(funding, **changes):
    c = funding["cash"]
    data = {
        "partner": c.partner_id,
        "purpose": c.purpose,
        "kind": c.kind,
        "initial_amount": "50 000",
        "position": 0,
        "internal_note": "",
        "version": c.version,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-5 000", "supérieure ou égale à 0"),
        ("cinquante mille", "Entrez un montant en dollars"),
        ("1e400", "12 chiffres"),
        ("NaN", "Entrez un montant"),
    ],
)
def test_it_refuses_negative_or_non_numeric_amounts(funding, personas, login, amount, message):
    client = login(personas["coordination"])
    url = reverse("partners:commitment-edit", args=[funding["cash"].public_id])
    response = client.post(url, commitment_post(funding, initial_amount=amount))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["initial_amount"])
    funding["cash"].refresh_from_db()
    assert funding["cash"].initial_amount == Decimal("50000")


def test_it_accepts_quebec_style_amounts(funding, personas, login):
    client = login(personas["coordination"])
    url = reverse("partners:commitment-edit", args=[funding["cash"].public_id])
    assert (
        client.post(url, commitment_post(funding, initial_amount="255\u00a0000,50 $")).status_code
        == 302
    )
    funding["cash"].refresh_from_db()
    assert funding["cash"].initial_amount == Decimal("255000.50")


def test_it_refuses_the_second_of_two_concurrent_edits(funding, personas, login):
    client = login(personas["coordination"])
    url = reverse("partners:commitment-edit", args=[funding["cash"].public_id])
    opened_version = funding["cash"].version
    # Alice and Bob open the form at the same version; Alice saves first.
    assert (
        client.post(
            url, commitment_post(funding, initial_amount="70000", version=opened_version)
        ).status_code
        == 302
    )
    response = client.post(
        url, commitment_post(funding, initial_amount="80000", version=opened_version)
    )
    assert response.status_code == 200
    assert "modifié par coordination pendant que vous le modifiiez" in response.content.decode()
    funding["cash"].refresh_from_db()
    assert funding["cash"].initial_amount == Decimal("70000")


def test_it_refuses_a_top_up_out_of_period_through_the_form(funding, personas, login):
    client = login(personas["coordination"])
    url = reverse("partners:commitment-top-up", args=[funding["cash"].public_id])
    response = client.post(url, {"topup-fiscal_year": "2012", "topup-amount": "1000"})
    assert response.status_code == 200
    assert "hors de la période" in response.content.decode()
    assert not TopUp.objects.filter(fiscal_year=2012).exists()


def test_it_refuses_a_non_pdf_document_and_an_oversized_one(
    funding, personas, login, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tremplin.partners.models import AgreementDocument

    settings.MEDIA_ROOT = tmp_path
    client = login(personas["coordination"])
    url = reverse("partners:document-add", args=["e-test"])
    fake = SimpleUploadedFile(
        "entente.pdf", b"<script>alert(1)</script>", content_type="application/pdf"
    )
    response = client.post(url, {"title": "Entente", "file": fake}, follow=True)
    assert "Seuls les documents PDF" in response.content.decode()
    big = SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n" + b"0" * (AgreementDocument.MAX_BYTES + 1))
    response = client.post(url, {"title": "Gros", "file": big}, follow=True)
    assert "taille maximale" in response.content.decode()
    assert AgreementDocument.objects.count() == 0
    good = SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4\n%%EOF\n")
    client.post(url, {"title": "Entente signée", "file": good})
    document = AgreementDocument.objects.get()
    assert ".." not in document.file.name and document.file.name.endswith(
        f"{document.public_id}.pdf"
    )
    download = client.get(reverse("partners:document-download", args=[document.public_id]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
