"""The demo reproduces seed 000's « Financement 2008-2011 » line by line, and its totals.

The seed's lines are written out below as the seed prints them; the totals are computed here
from those lines and checked against both the seed's printed totals and the funding table.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from tremplin.demo.loader import load_demo
from tremplin.demo.partners_loader import load_partners
from tremplin.partners.funding import committed_vs_spent, funding_table
from tremplin.partners.models import (
    Agreement,
    AmountChange,
    Commitment,
    Disbursement,
    Partner,
    TopUp,
)
from tremplin.partners.selectors import partner_summary
from tremplin.testing.demo import DEMO_PASSWORD as PASSWORD

SLUG = "entente-2008-2011"
AGENCE = "Agence de la santé et des services sociaux de Chaudière-Appalaches"
OC = "Organisateurs communautaires en HLM"

# (partner, purpose, initial, top-up for An 2 = fiscal year 2009), in the seed's order.
# The seed writes the Agence's cash line « Agence de la santé et services sociaux… » (without
# « des ») and its services line with it: the same partner, named as in the services line.
SEED_CASH = [
    ("Conférence régionale des élus", "Ensemble du projet et concertation régionale", 255000, None),
    ("Société d'habitation du Québec", "Ensemble du projet", 50000, 50000),
    (AGENCE, "Ensemble du projet et projets en HLM (*CAS)", 105000, 9000),
    ("Forum jeunesse régional", "Impact pour les 12-35 ans", 75000, None),
    ("Emploi-Québec", "Enquête mobilisante", 20000, None),
    ("Table de concertation des aînés", "Impact pour les aînés", 1000, None),
]
SEED_SERVICES = [
    (AGENCE, "Évaluation de l'Entente", 18000, None),
    ("CSSS de Beauce", OC, 54522, None),
    ("CSSS des Etchemins", OC, 27262, None),
    ("CSSS du Grand Littoral", OC, 136303, None),
    ("CSSS de Montmagny-L'Islet", OC, 54522, None),
    ("CSSS de la région de Thetford", OC, 40891, None),
    ("Commissions scolaires (4)", "Soutenir les projets de formation identifiés", None, None),
]
SEED_LINES = [(*line, "cash") for line in SEED_CASH] + [
    (*line, "services") for line in SEED_SERVICES
]
TOP_UP_YEAR = 2009  # « An 2 » of the 2008 agreement: 2009-04-01 → 2010-03-31

# The totals as the seed prints them.
SEED_PRINTED_TOTALS = {
    "cash": 506000,
    "services": 331500,
    "initial": 837500,
    "top_ups": 59000,
    "grand_total": 896500,
}


def computed_totals() -> dict:
    """The totals worked out from the seed's lines, independently of the application."""
    cash = sum(initial or 0 for _p, _u, initial, _t in SEED_CASH)
    services = sum(initial or 0 for _p, _u, initial, _t in SEED_SERVICES)
    top_ups = sum(top_up or 0 for _p, _u, _i, top_up, _k in SEED_LINES)
    return {
        "cash": cash,
        "services": services,
        "initial": cash + services,
        "top_ups": top_ups,
        "grand_total": cash + services + top_ups,
    }


SIGNATORIES = {
    "Ministère des Affaires municipales, des Régions et de l'Occupation du territoire",
    "Ministère de l'Emploi et de la Solidarité sociale",
    "Conférence régionale des élus",
    "Société d'habitation du Québec",
    AGENCE,
    "CSSS de Beauce",
    "CSSS de la région de Thetford",
    "CSSS des Etchemins",
    "CSSS du Grand Littoral",
    "CSSS de Montmagny-L'Islet",
    "Forum jeunesse régional",
    "Table de concertation des aînés",
    "Commission scolaire des Navigateurs",
    "Commission scolaire de la Côte-du-Sud",
    "Commission scolaire de la Beauce-Etchemin",
    "Commission scolaire des Appalaches",
}


@pytest.fixture
def demo(db, demo_data):
    return {"summary": demo_data, "agreement": Agreement.objects.get(slug=SLUG)}


def _table_lines(table):
    return [
        (
            row.partner,
            row.purpose,
            None if row.initial is None else int(row.initial),
            None if TOP_UP_YEAR not in row.top_ups else int(row.top_ups[TOP_UP_YEAR]),
            section.kind,
        )
        for section in table.sections
        for row in section.rows
    ]


def test_it_transcribes_totals_that_add_up_like_the_seed():
    assert computed_totals() == SEED_PRINTED_TOTALS


def test_it_reproduces_every_line_of_the_seed_table(demo):
    table = funding_table(demo["agreement"])
    assert [s.kind for s in table.sections] == ["cash", "services"]
    assert _table_lines(table) == SEED_LINES
    assert [c.fiscal_year for c in table.columns] == [TOP_UP_YEAR]
    assert table.columns[0].year_number == 2 and table.columns[0].label == "2009-2010"
    # Every top-up is for An 2, and the only ones are the seed's two.
    assert all(set(r.top_ups) <= {TOP_UP_YEAR} for s in table.sections for r in s.rows)


def test_it_computes_the_seed_totals_from_the_data(demo):
    table = funding_table(demo["agreement"])
    expected = computed_totals()
    got = {
        "cash": table.section("cash").initial,
        "services": table.section("services").initial,
        "initial": table.initial,
        "top_ups": table.top_up_total,
        "grand_total": table.grand_total,
    }
    assert got == {key: Decimal(value) for key, value in expected.items()}
    assert got == {key: Decimal(value) for key, value in SEED_PRINTED_TOTALS.items()}
    assert table.top_up(TOP_UP_YEAR) == Decimal(59000)
    assert table.section("cash").top_up(TOP_UP_YEAR) == Decimal(59000)
    assert table.section("services").top_up_total == 0


def test_it_keeps_the_unquantified_school_boards_contribution_empty(demo):
    commitment = Commitment.objects.get(
        agreement=demo["agreement"], partner__name="Commissions scolaires (4)"
    )
    assert commitment.initial_amount is None
    assert commitment.kind == "services"


def test_it_describes_the_2008_agreement_as_the_seed(demo):
    agreement = demo["agreement"]
    assert agreement.title == (
        "Entente spécifique portant sur l'amélioration de l'accessibilité, de la qualité de vie "
        "et des services offerts pour différentes clientèles vivant dans les HLM de la région "
        "de la Chaudière-Appalaches"
    )
    assert agreement.short_title == "Entente spécifique HLM 2008-2011"
    assert (agreement.start_date, agreement.end_date) == (dt.date(2008, 4, 1), dt.date(2011, 3, 31))
    assert agreement.status == "ended" and not agreement.is_fictitious
    assert agreement.table_notes == "*CAS : Comité Chaudière-Appalaches santé"
    assert "L'amélioration des services dans les HLM" in agreement.objectives
    assert "l'exercice de la pleine citoyenneté" in agreement.objectives
    assert agreement.target_clientele.startswith("Cette Entente spécifique vise tous les résidents")
    assert "problèmes d'isolement, de santé mentale ou d'exclusion" in agreement.target_clientele


def test_it_signs_the_seed_partners_and_their_bodies(demo):
    agreement = demo["agreement"]
    assert set(agreement.signatories.values_list("name", flat=True)) == SIGNATORIES
    agence = Partner.objects.get(name=AGENCE)
    csss = Partner.objects.filter(name__startswith="CSSS ")
    assert csss.count() == 5 and all(c.parent == agence for c in csss)
    emploi = Partner.objects.get(name="Emploi-Québec")
    assert emploi.parent.name == "Ministère de l'Emploi et de la Solidarité sociale"
    assert emploi not in agreement.signatories.all() and agreement.is_party(emploi)
    grouping = Partner.objects.get(name="Commissions scolaires (4)")
    assert {c.name for c in grouping.children.all()} == {
        n for n in SIGNATORIES if n.startswith("Commission scolaire ")
    }
    assert grouping not in agreement.signatories.all() and agreement.is_party(grouping)
    assert not Partner.objects.filter(is_fictitious=True).exists()
    for commitment in agreement.commitments.all():
        assert agreement.is_party(commitment.partner)


def test_it_links_the_partner_account_to_the_shq(demo):
    user = get_user_model().objects.get(username="partenaire")
    assert list(user.partner_organizations.values_list("name", flat=True)) == [
        "Société d'habitation du Québec"
    ]


def test_it_keeps_the_history_of_the_seed_amounts(demo):
    shq = Commitment.objects.get(agreement=demo["agreement"], partner__short_name="SHQ")
    changes = {(c.field, c.before, c.after) for c in shq.amount_changes.all()}
    assert changes == {
        ("initial_amount", None, Decimal(50000)),
        (f"top_up:{TOP_UP_YEAR}", None, Decimal(50000)),
    }
    assert AmountChange.objects.filter(commitment__agreement=demo["agreement"]).count() == 14


def _counts():
    return {
        "partners": Partner.objects.count(),
        "agreements": Agreement.objects.count(),
        "signatures": Agreement.signatories.through.objects.count(),
        "commitments": Commitment.objects.count(),
        "top_ups": TopUp.objects.count(),
        "disbursements": Disbursement.objects.count(),
        "history": AmountChange.objects.count(),
        "accounts": Partner.users.through.objects.count(),
    }


def test_it_reloads_without_duplicates_nor_new_history(demo):
    first = demo["summary"]
    counts = _counts()
    second = load_demo(PASSWORD)
    assert _counts() == counts
    assert second["funding"] == first["funding"]
    for key in ("partners", "agreements", "commitments", "top_ups", "disbursements"):
        assert first["created"][key] == first["funding"][key] > 0
        assert second["created"][key] == 0


def test_it_resets_a_changed_amount_and_records_it(demo):
    shq = Commitment.objects.get(agreement=demo["agreement"], partner__short_name="SHQ")
    Commitment.objects.filter(pk=shq.pk).update(initial_amount=Decimal(1))
    TopUp.objects.filter(commitment=shq).delete()
    before = AmountChange.objects.count()
    load_partners()
    assert _table_lines(funding_table(demo["agreement"])) == SEED_LINES
    assert AmountChange.objects.count() == before + 2


def test_it_adds_fictitious_disbursements_within_the_period(demo):
    agreement = demo["agreement"]
    cash = agreement.commitments.filter(kind="cash")
    assert cash.count() == len(SEED_CASH)
    for commitment in cash:
        disbursements = list(commitment.disbursements.all())
        assert len(disbursements) >= 2
        for d in disbursements:
            assert agreement.start_date <= d.date <= agreement.end_date
            assert "Donnée fictive" in d.description
    spending = committed_vs_spent(agreement)
    assert 0 < spending["spent"] <= spending["committed"]
    for line in spending["lines"]:
        assert line.spent <= line.committed


def test_it_adds_a_fictitious_second_agreement(demo):
    later = Agreement.objects.get(slug="entente-2011-2016")
    assert later.is_fictitious
    assert (later.start_date, later.end_date) == (dt.date(2011, 4, 1), dt.date(2016, 3, 31))
    assert later.short_title.endswith("2011-2016")
    assert TopUp.objects.filter(commitment__agreement=later).count() >= 2
    signatories = set(later.signatories.values_list("name", flat=True))
    assert signatories < SIGNATORIES | {"Emploi-Québec"}
    shq = Partner.objects.get(name="Société d'habitation du Québec")
    summary = partner_summary(get_user_model().objects.get(username="coordination"), shq)
    agreements = {row["commitment"].agreement.slug for row in summary["rows"]}
    assert agreements == {SLUG, "entente-2011-2016"}
    assert summary["total"] == sum(r["total"] for r in summary["rows"])
