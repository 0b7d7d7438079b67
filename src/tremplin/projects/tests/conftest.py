"""Fixtures shared by the projects tests: two projects (territories A and B), funding
commitments, a private media root."""

import datetime as dt
from decimal import Decimal

import pytest

from tremplin.partners.models import CommitmentKind, Partner, PartnerKind
from tremplin.partners.services import top_up_set
from tremplin.partners.tests.builders import make_agreement, make_commitment
from tremplin.projects.models import Status

from .test_project_pages import log, make_project


@pytest.fixture
def project_a(world, personas):
    project = make_project(
        title="Cuisine collective de Lévis",
        buildings=[world["building_a"]],
        lead_organizer=personas["organizer_a"],
        summary="Repas partagés à l'été",
    )
    log(project, participants=12, tenants=9)
    log(project, date=dt.date(2008, 11, 5), participants=8, tenants=8)
    return project


@pytest.fixture
def project_b(world, personas):
    return make_project(
        title="Jardin communautaire de Saint-Georges",
        buildings=[world["building_b"]],
        lead_organizer=personas["organizer_b"],
        kind="leisure",
        start=dt.date(2010, 5, 1),
        end=dt.date(2010, 9, 30),
        status=Status.COMPLETED,
    )


@pytest.fixture
def funding(personas):
    """A services commitment of a CSSS; the partner persona belongs to the SHQ."""
    csss = Partner.objects.create(name="CSSS de Beauce", kind=PartnerKind.LOCAL_HEALTH_NETWORK)
    shq = Partner.objects.create(name="Société d'habitation du Québec", kind=PartnerKind.OTHER)
    shq.users.add(personas["partner"])
    agreement = make_agreement("e-test", [csss, shq])
    services_commitment = make_commitment(
        agreement,
        csss,
        "Organisateurs communautaires en HLM",
        CommitmentKind.SERVICES,
        Decimal("54522"),
    )
    return {"services": services_commitment}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def money(personas):
    """Two agreements. In the first (SHQ and CSSS signed): the CSSS's services, 50 000 $ plus a
    4 522 $ top-up, and the SHQ's unquantified contribution. In the second, which the SHQ did
    not sign: a cash commitment of the Forum jeunesse."""
    csss = Partner.objects.create(name="CSSS de Beauce", kind=PartnerKind.LOCAL_HEALTH_NETWORK)
    shq = Partner.objects.create(name="Société d'habitation du Québec", kind=PartnerKind.OTHER)
    forum = Partner.objects.create(name="Forum jeunesse", kind=PartnerKind.YOUTH_FORUM)
    Partner.objects.create(name="Partenaire inactif", kind=PartnerKind.OTHER, active=False)
    shq.users.add(personas["partner"])
    first = make_agreement(
        "e-2008", [csss, shq], title="Entente 2008-2011", short_title="Entente 2008"
    )
    second = make_agreement(
        "e-jeunes",
        [forum],
        title="Entente jeunesse",
        short_title="Jeunesse",
        end=dt.date(2010, 3, 31),
    )
    services = make_commitment(
        first, csss, "Organisateurs en HLM", CommitmentKind.SERVICES, Decimal("50000")
    )
    top_up_set(user=None, commitment=services, fiscal_year=2009, amount=Decimal("4522"))
    unquantified = make_commitment(first, shq, "Soutien-conseil", CommitmentKind.SERVICES, None)
    youth = make_commitment(second, forum, "Projets jeunesse", CommitmentKind.CASH, Decimal("3500"))
    return {
        "csss": csss,
        "shq": shq,
        "forum": forum,
        "services": services,
        "unquantified": unquantified,
        "youth": youth,
    }
