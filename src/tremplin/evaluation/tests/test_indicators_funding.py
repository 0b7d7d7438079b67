"""Funding indicators on a small hand-built set of agreements (fiscal year 2008: 2008-04-01 to
2009-03-31): committed, topped up, spent, money allocated to projects and cost per project,
who sees them and the records behind them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse

from tremplin.conftest import make_provider
from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.indicators.funding import fiscal_years_in
from tremplin.evaluation.periods import Area, Period
from tremplin.evaluation.permissions import may_see_indicator
from tremplin.partners.models import (
    AgreementStatus,
    CommitmentKind,
    Disbursement,
    Partner,
    PartnerKind,
)
from tremplin.partners.services import disbursement_add, top_up_set
from tremplin.partners.tests.builders import make_agreement, make_commitment
from tremplin.projects import services as project_services
from tremplin.projects.models import Status
from tremplin.projects.tests.test_project_pages import make_project

FY2008 = Period.fiscal(2008)
WHOLE = Area()
D = dt.date
CASH, SERVICES = CommitmentKind.CASH, CommitmentKind.SERVICES


def value(indicator_id, area=WHOLE, period=FY2008):
    return engine.compute_one(catalogue.get(indicator_id), period, area)


def split(indicator_id, breakdown, area=WHOLE, period=FY2008):
    return engine.compute_one(catalogue.get(indicator_id), period, area, breakdown)


def agreement(slug, start, end, signatories, status=AgreementStatus.IN_FORCE):
    return make_agreement(
        slug, signatories, title=slug, short_title=slug, start=start, end=end, status=status
    )


def commitment(agreement, partner, kind, amount, purpose="Ensemble du projet"):
    return make_commitment(agreement, partner, purpose, kind, amount)


def spend(commitment, date, amount):
    return disbursement_add(
        user=None,
        disbursement=Disbursement(commitment=commitment, date=date, amount=Decimal(amount)),
    )


def project(title, start, *, status=Status.UNDER_WAY, end=None, buildings=(), providers=()):
    return make_project(
        title=title, status=status, start=start, end=end, buildings=buildings, providers=providers
    )


def allocate(project, commitment, amount):
    return project_services.project_funding_set(
        user=None, project=project, commitment=commitment, amount=Decimal(amount)
    )


@pytest.fixture
def money(world, personas):
    """Three partners; an agreement in force in 2008 (ended since), one after, one before,
    and a draft one; allocations to projects in and out of the period."""
    cre = Partner.objects.create(name="Conférence régionale des élus", kind=PartnerKind.OTHER)
    agence = Partner.objects.create(name="Agence de la santé", kind=PartnerKind.HEALTH_AGENCY)
    csss = Partner.objects.create(name="CSSS de Beauce", kind=PartnerKind.LOCAL_HEALTH_NETWORK)
    csss.users.add(personas["partner"])
    main = agreement("e-2008", D(2008, 4, 1), D(2011, 3, 31), [cre, agence, csss])
    main.status = AgreementStatus.ENDED
    main.save()
    later = agreement("e-2011", D(2011, 4, 1), D(2016, 3, 31), [cre])
    draft = agreement(
        "e-projet", D(2008, 1, 1), D(2008, 12, 31), [agence], status=AgreementStatus.DRAFT
    )
    before = agreement("e-2007", D(2007, 4, 1), D(2008, 3, 31), [cre])  # ends the day before

    c1 = commitment(main, cre, CASH, Decimal("255000"))
    c2 = commitment(main, agence, CASH, Decimal("105000"))
    c3 = commitment(main, csss, SERVICES, Decimal("54522"), "Organisateurs en HLM")
    commitment(main, csss, SERVICES, None, "Soutien-conseil")  # not quantified
    commitment(later, cre, CASH, Decimal("100000"))
    c6 = commitment(draft, agence, CASH, Decimal("7000"))
    commitment(before, cre, CASH, Decimal("40000"))

    top_up_set(user=None, commitment=c2, fiscal_year=2009, amount=Decimal("9000"))  # Year 2
    top_up_set(user=None, commitment=c3, fiscal_year=2008, amount=Decimal("478"))
    top_up_set(user=None, commitment=c6, fiscal_year=2008, amount=Decimal("500"))  # draft

    spend(c1, D(2008, 4, 1), "10000")  # first day
    spend(c1, D(2009, 3, 31), "5000")  # last day
    spend(c2, D(2009, 4, 1), "3000")  # the day after
    spend(c2, D(2008, 3, 31), "2000")  # the day before
    spend(c3, D(2008, 12, 1), "1500.50")

    omh_q = make_provider(
        "Office municipal d'habitation de Québec",
        world["quebec"],
        address="1, rue Principale",
        postal_code="G1K 1A1",
    )
    pa = project("Cuisine", D(2008, 9, 1), buildings=[world["building_a"]])  # territory A
    pb = project(  # territories A and B of region 12
        "Jardin", D(2008, 5, 1), buildings=[world["building_a"], world["building_b"]]
    )
    pc = project("Troc de Québec", D(2008, 6, 1), providers=[omh_q])  # the other region
    pd = project(  # ended the day before the period
        "Salle commune",
        D(2006, 1, 1),
        status=Status.COMPLETED,
        end=D(2008, 3, 31),
        buildings=[world["building_b"]],
    )
    project("Sans financement", D(2008, 7, 1), buildings=[world["building_b"]])
    pf = project("Idée", D(2008, 10, 1), status=Status.IDEA, buildings=[world["building_a"]])
    allocate(pa, c1, "6000")
    allocate(pa, c2, "2000")
    allocate(pb, c1, "4000")
    allocate(pc, c2, "3000")
    allocate(pd, c1, "10000")
    allocate(pf, c1, "1000")
    return {"cre": cre, "agence": agence, "csss": csss, "c1": c1, "c2": c2, "c3": c3, "pa": pa}


def test_it_sums_commitments_of_agreements_in_force(world, money):
    # The 2008-2011 agreement (ended since, in force in 2008): 255 000 + 105 000 + 54 522 and
    # an unquantified contribution. Not: the 2011 agreement, the draft one, the one that ended
    # the day before.
    assert value("funding.committed") == Decimal("255000") + Decimal("105000") + Decimal("54522")
    assert split("funding.committed", "partner") == {
        str(money["cre"].public_id): Decimal("255000"),
        str(money["agence"].public_id): Decimal("105000"),
        str(money["csss"].public_id): Decimal("54522"),
    }
    assert split("funding.committed", "commitment_kind") == {
        CASH: Decimal("255000") + Decimal("105000"),
        SERVICES: Decimal("54522"),
    }
    # Commitments have no territory: only the whole program has a value.
    assert value("funding.committed", Area("region", world["region"].pk)) == 0
    # 2011-2012: the later agreement only.
    assert value("funding.committed", period=Period.fiscal(2011)) == Decimal("100000")


def test_it_sums_top_ups_of_the_fiscal_year(world, money):
    # 2008: the CSSS's 478 (the Year-2 top-up is 2009's; the draft agreement's is left out).
    assert value("funding.topped_up") == Decimal("478")
    assert value("funding.topped_up", period=Period.fiscal(2009)) == Decimal("9000")
    # Calendar 2009 holds the first day of fiscal year 2009 (2009-04-01), not that of 2008.
    assert fiscal_years_in(Period.calendar(2009)) == [2009]
    assert value("funding.topped_up", period=Period.calendar(2009)) == Decimal("9000")
    assert split("funding.topped_up", "commitment_kind") == {SERVICES: Decimal("478")}


def test_it_sums_disbursements_dated_in_the_period(world, money):
    # 10 000 (first day) + 5 000 (last day) + 1 500,50; not the day before nor the day after.
    assert value("funding.spent") == Decimal("10000") + Decimal("5000") + Decimal("1500.50")
    assert split("funding.spent", "partner") == {
        str(money["cre"].public_id): Decimal("15000"),
        str(money["csss"].public_id): Decimal("1500.50"),
    }
    assert split("funding.spent", "commitment_kind") == {
        CASH: Decimal("15000"),
        SERVICES: Decimal("1500.50"),
    }


def test_it_computes_the_cost_per_funded_project(world, money):
    region = Area("region", world["region"].pk)
    ta, tb = Area("territory", world["ta"].pk), Area("territory", world["tb"].pk)
    other = Area("territory", world["t_other"].pk)
    # Projects under way and funded: Cuisine 6 000 + 2 000, Jardin 4 000, Troc 3 000. Not:
    # Salle commune (ended before), Idée (not running), Sans financement (no money).
    allocated = Decimal(6000 + 2000 + 4000 + 3000)
    assert value("funding.allocated") == allocated
    assert value("funding.funded_projects") == 3
    assert value("funding.cost_per_project") == allocated / 3  # 5 000
    # Region 12: Cuisine and Jardin (Jardin once although in A and B).
    assert value("funding.allocated", region) == Decimal(8000 + 4000)
    assert value("funding.funded_projects", region) == 2
    assert value("funding.cost_per_project", region) == Decimal(12000 / 2)
    assert value("funding.cost_per_project", ta) == Decimal(12000 / 2)  # Cuisine, Jardin
    assert value("funding.cost_per_project", tb) == Decimal(4000)  # Jardin
    assert value("funding.cost_per_project", other) == Decimal(3000)  # Troc
    cre, agence = str(money["cre"].public_id), str(money["agence"].public_id)
    # The CRE funds Cuisine (6 000) and Jardin (4 000); the Agence Cuisine (2 000) and Troc
    # (3 000).
    assert split("funding.funded_projects", "partner") == {cre: 2, agence: 2}
    assert split("funding.cost_per_project", "partner") == {
        cre: Decimal((6000 + 4000) / 2),
        agence: Decimal((2000 + 3000) / 2),
    }
    assert split("funding.cost_per_project", "commitment_kind") == {CASH: allocated / 3}


def test_it_stores_the_same_values_as_computed(world, money):
    indicators = catalogue.of_group("funding")
    stored = engine.values(indicators, [FY2008], WHOLE)
    for indicator in indicators:
        assert stored[(indicator.id, FY2008.key)] == value(indicator.id)


def test_it_shows_funding_only_to_roles_that_read_funding(personas):
    funding = catalogue.of_group("funding")
    spent = catalogue.get("funding.spent")
    assert funding and all(i.audience == "funding" for i in funding if i is not spent)
    for name in ("coordination", "organizer_a"):
        assert all(may_see_indicator(personas[name], i) for i in funding)
    # A partner sees the program's funding, but not what each partner spent (as in partners).
    assert all(may_see_indicator(personas["partner"], i) for i in funding if i is not spent)
    assert not may_see_indicator(personas["partner"], spent)
    for name in ("supervisor_a", "privacy_officer", "researcher", "worker_a"):
        assert not any(may_see_indicator(personas[name], i) for i in funding)
    assert may_see_indicator(personas["supervisor_a"], catalogue.get("collective.participations"))


def test_it_lists_the_commitments_behind_a_value(world, money, personas):
    indicator = catalogue.get("funding.committed")
    table = indicator.records(personas["coordination"], FY2008, WHOLE, "", "")
    assert table.total == 4  # the three quantified commitments and the unquantified one
    assert all(url for _cells, url in table.rows)
    # The CSSS's user sees the agreement's commitments (its funding table) but opens only the
    # pages of the CSSS's own.
    table = indicator.records(personas["partner"], FY2008, WHOLE, "commitment_kind", CASH)
    assert [(cells[0], url) for cells, url in table.rows] == [
        ("Conférence régionale des élus", None),
        ("Agence de la santé", None),
    ]
    own = indicator.records(personas["partner"], FY2008, WHOLE, "partner", "")
    assert reverse("partners:commitment-detail", args=[money["c3"].public_id]) in {
        url for _cells, url in own.rows
    }
    # Spending: a partner sees its own commitments' disbursements only.
    spent = catalogue.get("funding.spent").records(personas["partner"], FY2008, WHOLE, "", "")
    assert [cells[-1] for cells, _url in spent.rows] == [Decimal("1500.50")]
    with pytest.raises(Http404):
        indicator.records(personas["supervisor_a"], FY2008, WHOLE, "", "")


def test_it_lists_the_project_allocations_behind_the_cost(world, money, personas):
    indicator = catalogue.get("funding.cost_per_project")
    table = indicator.records(
        personas["organizer_b"], FY2008, Area("territory", world["tb"].pk), "", ""
    )
    assert [(cells[0], cells[-1]) for cells, _url in table.rows] == [("Jardin", Decimal("4000"))]
    table = indicator.records(
        personas["coordination"], FY2008, WHOLE, "partner", str(money["agence"].public_id)
    )
    assert [cells[0] for cells, _url in table.rows] == ["Cuisine", "Troc de Québec"]
    assert table.rows[0][1] == reverse("projects:project-detail", args=[money["pa"].public_id])


def test_it_updates_the_stored_value_after_a_disbursement(
    world, money, django_capture_on_commit_callbacks
):
    indicator = catalogue.get("funding.spent")
    before = engine.values([indicator], [FY2008], WHOLE)[(indicator.id, FY2008.key)]
    with django_capture_on_commit_callbacks(execute=True):
        spend(money["c2"], D(2008, 7, 1), "250")
    after = engine.values([indicator], [FY2008], WHOLE)[(indicator.id, FY2008.key)]
    assert after == before + Decimal("250")
