"""The funding fixture: a small agreement with a cash and a services commitment."""

from decimal import Decimal

import pytest

from tremplin.partners.models import CommitmentKind, Partner, PartnerKind
from tremplin.partners.services import top_up_set

from .builders import make_agreement, make_commitment


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
    agreement = make_agreement("e-test", [agence, shq])
    shq.users.add(personas["partner"])
    cash = make_commitment(
        agreement,
        shq,
        "Ensemble du projet",
        CommitmentKind.CASH,
        Decimal("50000"),
        internal_note="Note interne de la SHQ",
    )
    services = make_commitment(
        agreement,
        csss,
        "Organisateurs communautaires en HLM",
        CommitmentKind.SERVICES,
        Decimal("54522"),
        internal_note="Note du CSSS",
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
