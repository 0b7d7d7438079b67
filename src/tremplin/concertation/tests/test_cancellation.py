"""Cancelled meetings: cancelling and restoring through the pages (who may, with a reason,
audited), the meeting kept in the committee's history marked « Annulée », no attendance
recorded at it, and left out of every attendance figure (pages, print page, indicators)."""

import datetime as dt
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.concertation import services
from tremplin.concertation.models import Attendance, AttendanceStatus, Meeting
from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.periods import Area, Period

REASON = "Tempête de neige : routes fermées."
MANAGERS = ("coordination", "organizer_a")
NOT_MANAGERS = (
    "organizer_b",
    "partner",
    "worker_a",
    "supervisor_a",
    "privacy_officer",
    "housing_manager",
    "researcher",
    "no_role",
)


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _cancel_url(meeting):
    return reverse("concertation:meeting-cancel", args=[meeting.public_id])


def _cancel(meeting, user, reason=REASON):
    return services.meeting_cancel(user=user, meeting=meeting, reason=reason)


@pytest.mark.parametrize("who", MANAGERS)
def test_it_cancels_a_meeting_with_its_reason_and_keeps_it_in_the_history(cz, login, personas, who):
    client = login(personas[who])
    m4 = cz["m4"]
    assert client.get(_cancel_url(m4)).status_code == 200
    response = client.post(_cancel_url(m4), {"cancellation_reason": f"  {REASON}  "})
    assert response.status_code == 302
    m4.refresh_from_db()
    assert m4.is_cancelled and m4.cancellation_reason == REASON
    assert m4.cancelled_by == personas[who]
    entry = AuditEntry.objects.get(action="concertation.meeting.cancel")
    assert entry.data["meeting"] == str(m4.public_id)
    page = client.get(reverse("concertation:meeting-detail", args=[m4.public_id]))
    text = _text(page)
    assert "Rencontre annulée" in text and f"Motif : {REASON}" in text
    assert "Annuler la rencontre" not in text  # nothing left to cancel
    committee = client.get(reverse("concertation:committee-detail", args=[cz["ele"].public_id]))
    assert [m.pk for m in committee.context["upcoming"]] == [m4.pk]  # still listed
    assert "Annulée" in _text(committee) and REASON in _text(committee)


def test_it_refuses_a_cancellation_without_a_reason(cz, login, personas):
    client = login(personas["organizer_a"])
    m4 = cz["m4"]
    for reason in ("", "   "):
        response = client.post(_cancel_url(m4), {"cancellation_reason": reason})
        assert response.status_code == 400
        assert "Indiquez le motif de l'annulation." in _text(response)
    response = client.post(_cancel_url(m4), {"cancellation_reason": "x" * 501})
    assert response.status_code == 400
    assert "Le motif tient en 500 caractères au plus." in _text(response)
    with pytest.raises(ValidationError) as error:
        _cancel(m4, personas["coordination"], reason=" ")
    assert "Indiquez le motif de l'annulation." in error.value.messages
    m4.refresh_from_db()
    assert not m4.is_cancelled
    assert not AuditEntry.objects.filter(action="concertation.meeting.cancel").exists()


def test_it_refuses_to_cancel_twice(cz, personas, login):
    _cancel(cz["m4"], personas["coordination"])
    with pytest.raises(ValidationError, match="déjà annulée"):
        _cancel(cz["m4"], personas["coordination"], reason="Encore")
    client = login(personas["organizer_a"])
    response = client.post(_cancel_url(cz["m4"]), {"cancellation_reason": "Encore"})
    assert "Cette rencontre est déjà annulée." in _text(response)
    cz["m4"].refresh_from_db()
    assert cz["m4"].cancellation_reason == REASON


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_it_answers_404_to_those_who_may_not_edit_the_meeting(cz, login, personas, who):
    client = login(personas[who])
    for meeting in (cz["m4"], cz["regional_meeting"]):
        if who == "organizer_b" and meeting == cz["regional_meeting"]:
            continue  # B reads the regional committee; tested below
        assert client.get(_cancel_url(meeting)).status_code == 404
        assert client.post(_cancel_url(meeting), {"cancellation_reason": REASON}).status_code == 404
    restore = reverse("concertation:meeting-restore", args=[cz["m4"].public_id])
    assert client.post(restore).status_code == 404
    assert not Meeting.objects.filter(cancelled_at__isnull=False).exists()


def test_it_lets_organizers_read_but_not_cancel_a_regional_meeting(cz, login, personas):
    client = login(personas["organizer_b"])
    meeting = cz["regional_meeting"]
    page = client.get(reverse("concertation:meeting-detail", args=[meeting.public_id]))
    assert page.status_code == 200 and "Annuler la rencontre" not in _text(page)
    assert client.post(_cancel_url(meeting), {"cancellation_reason": REASON}).status_code == 404
    assert client.get(_cancel_url(cz["beauce_meeting"])).status_code == 200  # B's own


def test_it_sends_anonymous_visitors_to_the_login_page(client, cz):
    response = client.get(_cancel_url(cz["m4"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_refuses_attendance_at_a_cancelled_meeting(cz, login, personas):
    m2 = cz["m2"]  # held: attendance could be recorded
    opened_before = Meeting.objects.get(pk=m2.pk)  # a page loaded before the cancellation
    _cancel(m2, personas["coordination"])
    for instance in (m2, opened_before):
        with pytest.raises(ValidationError) as error:
            services.attendance_record(
                user=personas["coordination"],
                meeting=instance,
                statuses={cz["omh"]: AttendanceStatus.PRESENT},
            )
        assert "Cette rencontre a été annulée" in error.value.messages[0]
    client = login(personas["organizer_a"])
    url = reverse("concertation:meeting-attendance", args=[m2.public_id])
    page = client.get(url)
    assert "Cette rencontre a été annulée : on n'y note pas de présences." in _text(page)
    assert 'name="m-' not in page.content.decode()  # no form
    response = client.post(url, {f"m-{cz['omh'].public_id}": AttendanceStatus.PRESENT})
    assert response.status_code == 200
    assert "Cette rencontre a été annulée" in _text(response)
    assert not Attendance.objects.filter(meeting=m2).exists()
    detail = _text(client.get(reverse("concertation:meeting-detail", args=[m2.public_id])))
    assert "Noter les présences" not in detail


def test_it_restores_a_cancelled_meeting(cz, login, personas, held):
    _cancel(held, personas["coordination"])
    client = login(personas["organizer_a"])
    response = client.post(reverse("concertation:meeting-restore", args=[held.public_id]))
    assert response.status_code == 302
    held.refresh_from_db()
    assert not held.is_cancelled and held.cancellation_reason == "" and held.cancelled_by is None
    assert AuditEntry.objects.filter(action="concertation.meeting.restore").count() == 1
    # Its attendance counts again, and can be recorded again.
    counts = services.attendance_record(
        user=personas["organizer_a"],
        meeting=held,
        statuses={cz["organizer"]: AttendanceStatus.PRESENT},
    )
    assert counts == {"present": 3}
    # Restoring a meeting that is not cancelled says so, and changes nothing.
    again = client.post(reverse("concertation:meeting-restore", args=[held.public_id]), follow=True)
    assert "Cette rencontre n'est pas annulée." in _text(again)


def test_it_leaves_a_cancelled_meeting_out_of_the_pages_attendance(cz, login, personas, held):
    recorded = Attendance.objects.filter(meeting=held)
    present = recorded.filter(status=AttendanceStatus.PRESENT).count()
    assert present > 0
    client = login(personas["organizer_a"])
    committee_url = reverse("concertation:committee-detail", args=[cz["ele"].public_id])
    before = {m.pk: m.present_count for m in client.get(committee_url).context["past"]}
    assert before[held.pk] == present
    _cancel(held, personas["coordination"])
    after = client.get(committee_url)
    counts = {m.pk: m.present_count for m in after.context["past"]}
    assert counts[held.pk] is None  # shown as « – »
    assert {k: v for k, v in counts.items() if k != held.pk} == {
        k: v for k, v in before.items() if k != held.pk
    }
    page = client.get(reverse("concertation:meeting-detail", args=[held.public_id]))
    assert all(row["status"] is None for row in page.context["attendance"])
    assert "Rencontre annulée : aucune présence n'y est comptée." in _text(page)
    assert "Présent·es :" not in _text(page)
    minutes = _text(client.get(reverse("concertation:meeting-minutes", args=[held.public_id])))
    assert f"Rencontre annulée : {REASON}" in minutes
    assert "Présences non notées." in minutes
    assert recorded.count() > 0  # the rows are kept (restoring brings them back)


def test_it_leaves_a_cancelled_meeting_out_of_the_indicators(cz, personas, held):
    period = Period.fiscal(2024)  # M3, 2024-09-10
    assert period.start <= held.date <= period.end

    def value(indicator):
        return engine.compute_one(catalogue.get(indicator), period, Area(), "")

    present = Attendance.objects.filter(meeting=held, status=AttendanceStatus.PRESENT).count()
    expected = Attendance.objects.filter(meeting=held).count()
    before = {
        name: value(f"concertation.{name}")
        for name in ("meetings", "attendance_present", "attendance_expected")
    }
    _cancel(held, personas["coordination"])
    assert value("concertation.meetings") == before["meetings"] - 1
    assert value("concertation.attendance_present") == before["attendance_present"] - present
    assert value("concertation.attendance_expected") == before["attendance_expected"] - expected


def test_it_leaves_cancelled_meetings_out_of_the_lists_next_meeting(cz, login, personas):
    client = login(personas["organizer_a"])
    url = reverse("concertation:committee-list")

    def next_meeting():
        rows = client.get(url).context["rows"]
        return next(c.next_meeting for c in rows if c.pk == cz["ele"].pk)

    assert next_meeting() == cz["m4"].date
    _cancel(cz["m4"], personas["coordination"])
    assert next_meeting() is None
    later = Meeting.objects.create(
        committee=cz["ele"],
        date=cz["m4"].date + dt.timedelta(days=7),
        start_time=dt.time(9, 0),
        place="Salle",
    )
    assert next_meeting() == later.date
