"""Community pages in a real Chromium: axe-core audits and the phone layout."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tremplin.partners.models import Partner, PartnerKind
from tremplin.projects.models import (
    Accompaniment,
    AccompanimentHours,
    AssociationMeeting,
    AssociationStatus,
    BoardMember,
    Project,
    ProjectActivity,
    ProjectKind,
    ProjectPartner,
    Status,
    TenantAssociation,
)
from tremplin.projects.services import project_refresh_counts
from tremplin.testing.browser import (
    assert_fits,
    assert_no_csp_errors,
    audit_all,
    submit_with_errors,
    visit,
)


@pytest.fixture
def community(world, personas):
    provider, building = world["omh_a"], world["building_a"]
    project = Project.objects.create(
        title="Jardin collectif (fictif)",
        kind=ProjectKind.LEISURE,
        status=Status.UNDER_WAY,
        start_date=dt.date(2010, 5, 15),
    )
    project.buildings.add(building)
    # What the story tells of a project: with whom, who took part, what came of it.
    partner = Partner.objects.create(name="CSSS du Grand Littoral", kind=PartnerKind.OTHER)
    ProjectPartner.objects.create(project=project, partner=partner, role="Nutritionniste")
    ProjectActivity.objects.create(
        project=project, date=dt.date(2010, 6, 1), title="Semis", participants=14, tenants=11
    )
    project_refresh_counts([project.pk])
    Project.objects.filter(pk=project.pk).update(observed_results="Douze bacs cultivés.")
    association = TenantAssociation.objects.create(
        name="Association des locataires du 25 Saint-Louis, une association au nom très long",
        provider=provider,
        founded_on=dt.date(2009, 5, 1),
        status=AssociationStatus.ACTIVE,
        members=18,
        is_demo=True,
    )
    association.buildings.add(building)
    BoardMember.objects.create(association=association, name="Lucie Fictive", role="Présidente")
    BoardMember.objects.create(association=association, name="Marc Inventé", role="Trésorier")
    AssociationMeeting.objects.create(
        association=association, date=dt.date(2009, 6, 1), kind="Assemblée générale", attendance=22
    )
    acc = Accompaniment.objects.create(
        provider=provider,
        organizer=personas["organizer_a"],
        association=association,
        start_date=dt.date(2008, 10, 1),
        themes=["association", "common_spaces"],
    )
    AccompanimentHours.objects.create(accompaniment=acc, month=dt.date(2008, 10, 1), hours=6)
    return {"association": association, "accompaniment": acc, "provider": provider}


def _accompaniment_invalid(page, provider):
    submit_with_errors(
        page,
        reverse("projects:accompaniment-create") + f"?provider={provider.public_id}",
        {
            "#id_start_date": "2009-03-01",
            "#id_end_date": "2009-01-01",
            "#id_hours-0-month": "2009-01",
            "#id_hours-0-hours": "-3",
        },
    )


def _association_invalid(page):
    submit_with_errors(page, reverse("projects:association-create"), {"#id_members": "-1"})


def test_it_has_no_serious_accessibility_violation_on_community_pages(
    logged_in_page, axe_audit, world, personas, community
):
    page = logged_in_page(personas["organizer_a"])
    provider = community["provider"]
    # Every page a link leads to is audited by the crawl (core/tests/test_crawl_axe.py);
    # here, the states no link reaches.
    visits = [
        ("accompagnement, erreurs", lambda: _accompaniment_invalid(page, provider)),
        ("association, erreurs", lambda: _association_invalid(page)),
    ]
    audit_all(page, axe_audit, visits)
    assert_no_csp_errors(page)


def test_it_fits_the_association_page_on_a_phone(
    phone_page, logged_in_page, axe_audit, personas, community
):
    page = logged_in_page(personas["worker_a"], page=phone_page)
    for path in (
        reverse("projects:association-detail", args=[community["association"].public_id]),
        reverse("projects:association-list"),
        reverse("projects:accompaniment-list"),
    ):
        visit(page, path)
        assert_fits(page, path)
        violations = axe_audit(page)
        assert not violations, str(violations)
        if "associations/" in path and path.count("/") > 3:
            expect(page.locator("main")).to_contain_text("Lucie Fictive")
