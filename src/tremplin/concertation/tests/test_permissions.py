"""Who sees and manages which committee: every persona against every page (404 outside scope)."""

import pytest
from django.urls import reverse

from tremplin.concertation import permissions, selectors
from tremplin.concertation.models import ActionItem, ActionStatus
from tremplin.conftest import PERSONAS

# Who reads each committee of the fixture (ÉLÉ de Lévis: territory A; the regional partners'
# committee, where the partner's organization sits; a working group of territory B).
READERS = {
    "ele": {"coordination", "organizer_a"},
    "regional": {"coordination", "organizer_a", "organizer_b", "partner"},
    "beauce": {"coordination", "organizer_b"},
}
MANAGERS = {
    "ele": {"coordination", "organizer_a"},
    "regional": {"coordination"},
    "beauce": {"coordination", "organizer_b"},
}
MEETING_OF = {"ele": "m2", "regional": "regional_meeting", "beauce": "beauce_meeting"}


def _read_pages(cz, key):
    committee, meeting = cz[key], cz[MEETING_OF[key]]
    return [
        reverse("concertation:committee-detail", args=[committee.public_id]),
        reverse("concertation:meeting-detail", args=[meeting.public_id]),
        reverse("concertation:meeting-agenda", args=[meeting.public_id]),
        reverse("concertation:meeting-minutes", args=[meeting.public_id]),
        reverse("concertation:meeting-agenda-docx", args=[meeting.public_id]),
        reverse("concertation:meeting-minutes-docx", args=[meeting.public_id]),
    ]


def _manage_pages(cz, key):
    committee, meeting = cz[key], cz[MEETING_OF[key]]
    seat = committee.memberships.first()
    item = ActionItem.objects.create(meeting=meeting, description="Suivi", owner_name="X")
    return [
        reverse("concertation:committee-edit", args=[committee.public_id]),
        reverse("concertation:membership-create", args=[committee.public_id]),
        reverse("concertation:membership-edit", args=[seat.public_id]),
        reverse("concertation:meeting-create", args=[committee.public_id]),
        reverse("concertation:meeting-edit", args=[meeting.public_id]),
        reverse("concertation:meeting-attendance", args=[meeting.public_id]),
        reverse("concertation:meeting-minutes-edit", args=[meeting.public_id]),
        reverse("concertation:action-create", args=[meeting.public_id]),
        reverse("concertation:action-edit", args=[item.public_id]),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", ["ele", "regional", "beauce"])
def test_it_shows_committees_only_to_their_readers(cz, personas, login, persona, key):
    client = login(personas[persona])
    expected = 200 if persona in READERS[key] else 404
    for url in _read_pages(cz, key):
        assert client.get(url).status_code == expected, (persona, url)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", ["ele", "regional", "beauce"])
def test_it_lets_only_managers_open_the_forms(cz, personas, login, persona, key):
    client = login(personas[persona])
    expected = 200 if persona in MANAGERS[key] else 404
    for url in _manage_pages(cz, key):
        assert client.get(url).status_code == expected, (persona, url)
        assert client.post(url, {}).status_code in ({200, 302} if expected == 200 else {404})


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_the_committees_in_scope(cz, personas, login, persona):
    client = login(personas[persona])
    response = client.get(reverse("concertation:committee-list"))
    if persona not in {"coordination", "organizer_a", "organizer_b", "partner"}:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    listed = {c.name for c in response.context["rows"]}
    expected = {cz[k].name for k, readers in READERS.items() if persona in readers}
    assert listed == expected
    # The queryset and the per-object rule agree.
    for key in READERS:
        assert permissions.can_read_committee(personas[persona], cz[key]) == (
            persona in READERS[key]
        )
    assert set(selectors.committees_for_user(personas[persona])) == {
        cz[k] for k in READERS if persona in READERS[k]
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_coordination_and_organizers_create(cz, personas, login, persona):
    client = login(personas[persona])
    expected = 200 if persona in {"coordination", "organizer_a", "organizer_b"} else 404
    assert client.get(reverse("concertation:committee-create")).status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_closes_action_items_only_for_managers(cz, personas, login, persona):
    client = login(personas[persona])
    item = cz["a2"]
    response = client.post(reverse("concertation:action-close", args=[item.public_id]))
    item.refresh_from_db()
    if persona in MANAGERS["ele"]:
        assert response.status_code == 302
        assert item.status == ActionStatus.DONE
    else:
        assert response.status_code == 404
        assert item.status == ActionStatus.OPEN


def test_it_lets_a_partner_read_a_committee_through_a_seat_in_their_name(
    cz, personas, login, world
):
    client = login(personas["partner"])
    url = reverse("concertation:committee-detail", args=[cz["ele"].public_id])
    assert client.get(url).status_code == 404
    lucie = cz["lucie"]
    lucie.user = personas["partner"]
    lucie.save()
    assert client.get(url).status_code == 200
    # Reading is not managing.
    edit = reverse("concertation:committee-edit", args=[cz["ele"].public_id])
    assert client.get(edit).status_code == 404


def test_it_lets_a_partner_read_through_a_body_under_their_organization(cz, personas, login, shq):
    from tremplin.partners.models import Partner, PartnerKind

    branch = Partner.objects.create(
        name="SHQ – direction régionale", kind=PartnerKind.GOVERNMENT_AGENCY, parent=shq
    )
    beauce_seat = cz["beauce"].memberships.first()
    beauce_seat.organization_kind = "partner"
    beauce_seat.partner = branch
    beauce_seat.save()
    client = login(personas["partner"])
    url = reverse("concertation:committee-detail", args=[cz["beauce"].public_id])
    assert client.get(url).status_code == 200


def test_it_answers_404_for_unknown_ids(cz, personas, login):
    client = login(personas["coordination"])
    unknown = "00000000-0000-0000-0000-000000000000"
    for name in ("committee-detail", "meeting-detail", "membership-edit", "action-edit"):
        assert client.get(reverse(f"concertation:{name}", args=[unknown])).status_code == 404


def test_it_sends_anonymous_visitors_to_the_login_page(cz, client):
    response = client.get(reverse("concertation:committee-detail", args=[cz["ele"].public_id]))
    assert response.status_code == 302
    assert "/comptes/connexion/" in response["Location"]
