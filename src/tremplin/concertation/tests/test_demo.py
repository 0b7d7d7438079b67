"""The demo committees: the seeds' committees and ÉLÉ, consistent meetings, idempotent loading."""

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model

from tremplin.concertation import permissions, selectors
from tremplin.concertation.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    Decision,
    Meeting,
    MemberRole,
    OrganizationKind,
)
from tremplin.demo.concertation_loader import demo_today, load_concertation
from tremplin.territories.models import LocalTeam
from tremplin.testing.demo import demo_reloaded, row_counts

PASSWORD = "demo-de-test-2026"
MODELS = (Committee, CommitteeMembership, Meeting, AgendaItem, Decision, Attendance, ActionItem)


_demo_reloaded, loaded = demo_reloaded(load_concertation)


def _user(username):
    return get_user_model().objects.get(username=username)


def test_it_loads_twice_without_duplicating_anything(loaded):
    counts = row_counts(MODELS)
    ids = set(Meeting.objects.values_list("public_id", flat=True))
    created = Counter()
    again = load_concertation(created)
    assert row_counts(MODELS) == counts
    assert again == loaded
    assert sum(created.values()) == 0
    assert set(Meeting.objects.values_list("public_id", flat=True)) == ids


def test_it_creates_the_seven_ele_of_2023(loaded):
    eles = Committee.objects.filter(kind=CommitteeKind.LOCAL_TEAM).select_related("local_team")
    assert loaded["local_teams"] == eles.count() == 7
    assert {c.local_team for c in eles} == set(LocalTeam.objects.all())
    today = demo_today()
    for ele in eles:
        assert ele.name == ele.local_team.name
        assert ele.start_date == ele.local_team.founded_on
        assert ele.start_date.year == 2023
        meetings = list(ele.meetings.all())
        held = [m for m in meetings if m.date <= today]
        assert len(held) >= 3 and len(meetings) > len(held)  # a few held, one to come
        assert Decision.objects.filter(meeting__committee=ele).count() >= 3
        assert ActionItem.objects.filter(meeting__committee=ele).count() >= 3
        # The founding meeting is on the founding day; its members include tenants.
        assert min(m.date for m in meetings) == ele.start_date
        kinds = {s.organization_kind for s in selectors.members_on(ele, today)}
        assert OrganizationKind.TENANT in kinds
        roles = [s.role for s in selectors.members_on(ele, today)]
        assert roles.count(MemberRole.CHAIR) == 1 and roles.count(MemberRole.SECRETARY) == 1


def test_it_has_the_management_committee_of_the_2008_agreement(loaded):
    committee = Committee.objects.get(kind=CommitteeKind.AGREEMENT)
    assert (committee.start_date, committee.end_date) == (dt.date(2008, 4, 1), dt.date(2011, 3, 31))
    assert committee.agreement.slug == "entente-2008-2011"
    # Its members represent the signatories: directly, through a body under one (Emploi-Québec
    # for the MESS) or for a grouping of signatories (the four school boards); every signatory
    # is represented.
    signatories = set(committee.agreement.signatories.all())
    seats = committee.memberships.filter(organization_kind=OrganizationKind.PARTNER)

    def covers(partner):
        return {partner, partner.parent, *partner.children.all()} - {None}

    represented = [s.partner for s in seats]
    assert all(covers(p) & signatories for p in represented)
    assert signatories <= set().union(*(covers(p) for p in represented))
    decisions = " ".join(
        Decision.objects.filter(meeting__committee=committee).values_list("text", flat=True)
    )
    assert "6 juin 2009" in decisions and "10 milieux ciblés" in decisions
    minutes = " ".join(committee.meetings.values_list("minutes", flat=True))
    assert "62 OMH et plus de 200 personnes" in minutes
    assert not ActionItem.objects.filter(
        meeting__committee=committee, status=ActionStatus.OPEN
    ).exists()


def test_it_has_the_partners_committee_led_by_public_health_since_2016(loaded):
    committee = Committee.objects.get(kind=CommitteeKind.PARTNERS)
    assert committee.start_date.year == 2016 and committee.end_date is None
    chair = committee.memberships.get(role=MemberRole.CHAIR, end_date__isnull=True)
    assert chair.user == _user("coordination")
    assert "Direction de santé publique" in chair.community_organization
    # Tenants sit there, without accounts; one seat changed hands in 2020.
    tenants = committee.memberships.filter(organization_kind=OrganizationKind.TENANT)
    assert tenants.count() == 2 and not tenants.filter(user__isnull=False).exists()
    assert [s.person_name for s in selectors.members_on(committee, dt.date(2020, 7, 1))].count(
        "Roland Poulin"
    ) == 0
    assert "Roland Poulin" in [
        s.person_name for s in selectors.members_on(committee, dt.date(2020, 9, 1))
    ]


def test_it_carries_open_demo_items_to_the_next_meeting(loaded):
    today = demo_today()
    for committee in Committee.objects.filter(kind=CommitteeKind.LOCAL_TEAM):
        upcoming = committee.meetings.filter(date__gt=today).order_by("date").first()
        carried = set(selectors.carried_action_items(upcoming))
        open_items = set(selectors.open_action_items(committee))
        # Nothing was closed after the demo's day: what the next meeting reviews is what is open.
        assert carried == open_items and open_items


def test_it_flags_everything_as_fictitious_and_keeps_every_rule(loaded):
    for model in (Committee, CommitteeMembership, Meeting, ActionItem):
        assert not model.objects.filter(is_demo=False).exists()
    for model in MODELS:
        for row in model.objects.all():
            row.full_clean()
    assert all("fictive" in c.objectives for c in Committee.objects.all())


def test_it_gives_the_demo_accounts_the_right_scope(loaded):
    names = {
        username: {c.name for c in selectors.committees_for_user(_user(username))}
        for username in ("coordination", "organisateur", "organisatrice-beauce", "partenaire")
    }
    assert len(names["coordination"]) == 9
    assert "ÉLÉ de Lévis" in names["organisateur"]
    assert "ÉLÉ de Lévis" not in names["organisatrice-beauce"]
    assert "ÉLÉ Beauce-Sartigan" in names["organisatrice-beauce"]
    # Shared between Grand Littoral and Etchemins: both organizers manage it.
    shared = Committee.objects.get(name="ÉLÉ Bellechasse-Etchemins")
    assert permissions.can_manage_committee(_user("organisateur"), shared)
    assert permissions.can_manage_committee(_user("organisatrice-beauce"), shared)
    # The SHQ sits on the partners' committee and sat on the management committee.
    assert {Committee.objects.get(kind=k).name for k in ("partners", "agreement")} == names[
        "partenaire"
    ]
    for username in ("intervenant", "gestionnaire", "chercheur"):
        assert not permissions.can_read_committee(_user(username), shared)


def test_it_shows_every_demo_committee_and_meeting(loaded, client):
    from django.urls import reverse

    from tremplin.accounts.two_factor import sign_in_verified

    sign_in_verified(client, _user("coordination"))
    response = client.get(reverse("concertation:committee-list"))
    assert response.status_code == 200 and response.context["total"] == 9
    for committee in Committee.objects.all():
        page = client.get(reverse("concertation:committee-detail", args=[committee.public_id]))
        assert page.status_code == 200
        assert "fictifs" in page.content.decode()
    for meeting in Meeting.objects.all():
        for name in ("meeting-detail", "meeting-minutes", "meeting-minutes-docx"):
            url = reverse(f"concertation:{name}", args=[meeting.public_id])
            assert client.get(url).status_code == 200, url


def test_it_gives_every_demo_committee_its_region_and_lists_its_events(loaded, client):
    from django.urls import reverse

    from tremplin.accounts.two_factor import sign_in_verified
    from tremplin.events.models import Event

    committees = Committee.objects.select_related("region", "local_team")
    assert {c.region.code for c in committees} == {"12"}
    assert all(c.region == c.local_team.region for c in committees if c.local_team)
    sign_in_verified(client, _user("partenaire"))
    partners = Committee.objects.get(kind=CommitteeKind.PARTNERS)
    page = client.get(reverse("concertation:committee-detail", args=[partners.public_id]))
    listed = {row.event for row in page.context["events"]}
    # The partner reads the public pages of the committee's published forums.
    assert listed == set(Event.objects.filter(committee=partners, published_at__isnull=False))
    assert "Forum régional des locataires 2027" in {e.title for e in listed}
    assert all(not row.staff_page for row in page.context["events"])
