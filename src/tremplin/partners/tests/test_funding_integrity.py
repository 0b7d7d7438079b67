"""A commitment never holds less than projects have drawn on it: lowering its initial amount or
removing a top-up under that is refused with a French message naming the projects, and nothing
is written. The fixture's cash commitment holds 50 000 $ + a 50 000 $ top-up (2009) = 100 000 $.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tremplin.partners.models import AmountChange, TopUp
from tremplin.partners.services import commitment_save, top_up_set
from tremplin.projects import funding_links
from tremplin.projects.models import Project, ProjectFunding

from .test_funding_rules import commitment_post


@pytest.fixture
def drawn(funding):
    """Two projects drawing 50 000 $ and 30 000 $ on the cash commitment: 80 000 $ in all."""
    for title, amount in (("Cuisine collective", "50000"), ("Jardin partagé", "30000")):
        project = Project.objects.create(
            title=title, kind="food", status="under_way", start_date=dt.date(2008, 9, 1)
        )
        ProjectFunding.objects.create(
            project=project, commitment=funding["cash"], amount=Decimal(amount)
        )
    return funding["cash"]


def _held(commitment) -> Decimal:
    top_ups = sum(TopUp.objects.filter(commitment=commitment).values_list("amount", flat=True))
    commitment.refresh_from_db()
    return commitment.initial_amount + top_ups


def test_it_refuses_an_initial_amount_under_what_projects_drew(drawn, personas):
    history = AmountChange.objects.count()
    drawn.initial_amount = Decimal("20000")  # 20 000 + 50 000 = 70 000 < 80 000
    with pytest.raises(ValidationError) as refused:
        commitment_save(user=personas["coordination"], commitment=drawn)
    message = " ".join(refused.value.message_dict["initial_amount"])
    assert "70\u202f000\u00a0$" in message and "80\u202f000\u00a0$" in message
    assert "« Cuisine collective » (50\u202f000\u00a0$)" in message
    assert "« Jardin partagé » (30\u202f000\u00a0$)" in message
    assert _held(drawn) == Decimal("100000")
    assert AmountChange.objects.count() == history


def test_it_accepts_an_initial_amount_that_still_covers_the_projects(drawn, personas):
    drawn.initial_amount = Decimal("30000")  # 30 000 + 50 000 = 80 000: exactly what is drawn
    commitment_save(user=personas["coordination"], commitment=drawn)
    assert _held(drawn) == Decimal("80000")


def test_it_refuses_to_remove_a_top_up_the_projects_rely_on(drawn, personas):
    with pytest.raises(ValidationError) as refused:
        top_up_set(user=personas["coordination"], commitment=drawn, fiscal_year=2009, amount=None)
    assert "« Cuisine collective »" in " ".join(refused.value.messages)
    assert TopUp.objects.get(commitment=drawn, fiscal_year=2009).amount == Decimal("50000")
    # Lowering it to what still covers the projects is fine: 50 000 + 30 000 = 80 000.
    top_up_set(
        user=personas["coordination"], commitment=drawn, fiscal_year=2009, amount=Decimal("30000")
    )
    assert _held(drawn) == Decimal("80000")


def test_it_explains_the_refusal_on_the_forms_and_keeps_the_remainder_true(
    drawn, funding, personas, login
):
    client = login(personas["coordination"])
    response = client.post(
        reverse("partners:commitment-edit", args=[drawn.public_id]),
        commitment_post(funding, initial_amount="10 000"),
    )
    assert response.status_code == 200
    assert "Réduisez d'abord ces imputations" in " ".join(
        response.context["form"].errors["initial_amount"]
    )
    response = client.post(
        reverse("partners:commitment-top-up", args=[drawn.public_id]),
        {"topup-fiscal_year": "2009", "topup-amount": ""},
    )
    assert response.status_code == 200
    assert "Jardin partagé" in response.content.decode()
    assert _held(drawn) == Decimal("100000")
    # What the projects' pages show as left on the commitment: 100 000 − 80 000.
    row = funding_links._with_balances(type(drawn).objects.filter(pk=drawn.pk)).get()
    assert funding_links.remaining(row) == Decimal("20000")


def test_it_says_it_in_english_too(drawn, personas):
    from django.utils import translation

    drawn.initial_amount = Decimal("0")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        commitment_save(user=personas["coordination"], commitment=drawn)
    assert "Reduce those allocations first" in " ".join(refused.value.messages)
