"""The funding fixture: a small agreement with a cash and a services commitment."""

import datetime as dt
from decimal import Decimal

import pytest

from tremplin.partners.models import Agreement, Commitment, CommitmentKind, Partner, PartnerKind
from tremplin.partners.services import commitment_save, top_up_set


@pytest.fixture
def funding(personas):
    agence = Partner.objects.create(name="Agence de la santé", kind=PartnerKind.HEALTH_AGENCY)
    csss = Partner.objects.create(
        name="CSSS de Beauce", kind=PartnerKind.LOCAL_HEALTH_NETWORK, parent=agence
    )
    shq = Partner.objects.create(
        name="Société d'habitation du Québec", kind=PartnerKind.GOVERNMENT_AGENCY
    )
    stranger = Partner.objects.create(name="Organisme étranger", kind=PartnerKind.OTHER)
    agreement = Agreement.objects.create(
        slug="e-test",
        title="Entente de test",
        short_title="Test",
        start_date=dt.date(2008, 4, 1),
        end_date=dt.date(2011, 3, 31),
    )
    agreement.signatories.set([agence, shq])
    shq.users.add(personas["partner"])
    cash = commitment_save(
        user=None,
        commitment=Commitment(
            agreement=agreement,
            partner=shq,
            purpose="Ensemble du projet",
            kind=CommitmentKind.CASH,
            initial_amount=Decimal("50000"),
            internal_note="Note interne de la SHQ",
        ),
    )
    services = commitment_save(
        user=None,
        commitment=Commitment(
            agreement=agreement,
            partner=csss,
            purpose="Organisateurs communautaires en HLM",
            kind=CommitmentKind.SERVICES,
            initial_amount=Decimal("54522"),
            internal_note="Note du CSSS",
        ),
    )
    top_up_set(user=None, commitment=cash, fiscal_year=2009, amount=Decimal("50000"))
    return {
        "agreement": agreement,
        "agence": agence,
        "csss": csss,
        "shq": shq,
        "stranger": stranger,
        "cash": cash,
        "services": services,
    }
