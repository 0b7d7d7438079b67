"""A follow-up's interventions page by page (core.keyset, #19): every intervention once, in
time order, through "Suivante" and "Précédente"; the last page costs what the first costs;
a tampered cursor is the page by its number; the access rule and the audit of the file's
reads as on the file itself. The file shows each follow-up's latest interventions only."""

# ruff: noqa: F811 - the case_world fixture is imported, then requested by name

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.casework.models import EmergencyAccess, Intervention, WorkerBar
from tremplin.casework.selectors import FILE_INTERVENTIONS, INTERVENTIONS_PER_PAGE
from tremplin.casework.services import follow_up_refresh

from .casefiles import case_world, make_file  # noqa: F401

COUNT = 2 * INTERVENTIONS_PER_PAGE + 7  # three pages, the last one short


@pytest.fixture
def long_follow_up(world, personas):
    """worker_a's follow-up with ``COUNT`` interventions, several on the same day (the order
    is by date, then by id)."""
    wa = personas["worker_a"]
    person, fu = make_file(
        wa, first="Longue", last="Histoire", building=world["building_a"],
        started=timezone.localdate() - dt.timedelta(days=200),
    )  # fmt: skip
    start = timezone.localdate() - dt.timedelta(days=150)
    Intervention.objects.bulk_create(
        Intervention(
            follow_up=fu,
            occurred_on=start + dt.timedelta(days=k // 3),
            type="information",
            mode="phone",
            note=f"Note n{k:03d}.",
            created_by=wa,
        )  # fmt: skip
        for k in range(COUNT)
    )
    follow_up_refresh([fu.pk])
    return person, fu


def _url(fu):
    return reverse("casework:follow-up-interventions", args=[fu.public_id])


def _notes(response) -> list[str]:
    return re.findall(r"Note n(\d{3})\.", response.content.decode())


def _link(response, rel_or_label) -> str | None:
    """The href of the pagination link with that rel (or that label)."""
    text = response.content.decode()
    pattern = (
        rf'<a href="([^"]*)" rel="{rel_or_label}">'
        if rel_or_label in ("next", "prev")
        else rf'<a href="([^"]*)">{rel_or_label}</a>'
    )
    found = re.search(pattern, text)
    return unescape(found.group(1)) if found else None


def _get(client, url, params=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url + params)
    assert response.status_code == 200, (url, params)
    return response, len(ctx.captured_queries)


def test_it_pages_through_every_intervention_once_in_time_order(long_follow_up, personas, login):
    _person, fu = long_follow_up
    client = login(personas["worker_a"])
    url = _url(fu)
    client.get(url)  # warm-up (session, translations)
    response, first_cost = _get(client, url)
    assert "Page 1 sur 3" in response.content.decode()
    seen, costs = _notes(response), []
    while href := _link(response, "next"):
        assert "apres=" in href
        response, cost = _get(client, url, href)
        seen += _notes(response)
        costs.append(cost)
    assert seen == [f"{k:03d}" for k in range(COUNT)]  # nothing skipped, nothing twice
    assert "Page 3 sur 3" in response.content.decode()
    # And back from the last page with "Précédente".
    back = _notes(response)
    while href := _link(response, "prev"):
        assert "avant=" in href
        response, cost = _get(client, url, href)
        back = _notes(response) + back
        costs.append(cost)
    assert back == seen
    # The same cost on every page read from a row (one lookup of that row more than by number),
    # and the last page by its number ("Dernière") what the first costs.
    assert len(set(costs)) == 1 and costs[0] <= first_cost + 1
    last, last_cost = _get(client, url, "?page=3")
    assert _notes(last) == seen[2 * INTERVENTIONS_PER_PAGE :]
    assert last_cost == first_cost
    middle, _cost = _get(client, url, "?page=2")
    assert _notes(middle) == seen[INTERVENTIONS_PER_PAGE : 2 * INTERVENTIONS_PER_PAGE]


def test_it_reads_a_tampered_cursor_as_the_page_by_its_number(
    long_follow_up, case_world, personas, login
):
    _person, fu = long_follow_up
    client = login(personas["worker_a"])
    url = _url(fu)
    first = _notes(_get(client, url)[0])
    other = case_world["ib"].public_id  # worker_b's intervention: not of this follow-up
    for params in (
        "?apres=pas-un-identifiant", f"?apres={other}", f"?avant={other}", "?avant=%00",
        "?apres=" + "9" * 5000, "?page=abc", "?page=-3", "?page=0",
    ):  # fmt: skip
        response, _cost = _get(client, url, params)
        assert _notes(response) == first, params
        assert "Visite." not in response.content.decode()
    assert _notes(_get(client, url, "?page=99999999999999999999")[0]) == _notes(
        _get(client, url, "?page=3")[0]
    )


def test_it_keeps_the_file_access_rule_and_its_audit(
    long_follow_up, case_world, personas, login, settings
):
    person, fu = long_follow_up
    url = _url(fu)
    # Another worker, the coordination: 404; the other worker's attempt is logged.
    assert login(personas["worker_b"]).get(url).status_code == 404
    assert AuditEntry.objects.filter(
        action="casework.forbidden_attempt", user=personas["worker_b"],
        subject_id=str(person.public_id),
    ).exists()  # fmt: skip
    assert login(personas["coordination"]).get(url).status_code == 404
    assert login(personas["worker_a"]).get(
        reverse("casework:follow-up-interventions", args=["00000000-0000-0000-0000-000000000000"])
    ).status_code == 404  # fmt: skip
    # The supervisor of the team reads it; each page read is logged as a read of the file.
    supervisor = login(personas["supervisor_a"])
    assert supervisor.get(url + "?page=2").status_code == 200
    entry = AuditEntry.objects.filter(
        action="casework.follow_up.read", user=personas["supervisor_a"]
    ).latest("id")
    assert entry.subject_id == str(person.public_id)
    assert entry.data == {
        "follow_up": str(fu.public_id), "page": 2, "emergency_access": False,
    }  # fmt: skip
    assert "Note" not in str(entry.data)
    # It counts toward the bulk-reading limit like the file: reopening is free, a second
    # person's file is over a limit of one.
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 1
    assert supervisor.get(url).status_code == 200
    other = reverse("casework:person-detail", args=[case_world["person_a"].public_id])
    assert supervisor.get(other).status_code == 429
    # A barred worker: 404 even when assigned.
    WorkerBar.objects.create(person=person, worker=personas["worker_a"])
    assert login(personas["worker_a"]).get(url).status_code == 404


def test_it_opens_read_only_under_emergency_access(long_follow_up, personas, login):
    _person, fu = long_follow_up
    wb = personas["worker_b"]
    EmergencyAccess.objects.create(
        user=wb, person=fu.person, reason="Crise signalée par le concierge ce matin.",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )  # fmt: skip
    response = login(wb).get(_url(fu))
    text = response.content.decode()
    assert response.status_code == 200 and "en lecture seule" in text
    assert "Corriger" not in text
    assert AuditEntry.objects.filter(
        action="casework.follow_up.read", user=wb, data__emergency_access=True
    ).exists()
    assert "no-store" in response["Cache-Control"]


def test_the_file_shows_the_latest_interventions_and_links_to_all(long_follow_up, personas, login):
    person, fu = long_follow_up
    response = login(personas["worker_a"]).get(
        reverse("casework:person-detail", args=[person.public_id])
    )
    text = response.content.decode()
    assert _notes(response) == [f"{k:03d}" for k in range(COUNT - FILE_INTERVENTIONS, COUNT)]
    assert f"Les {FILE_INTERVENTIONS} dernières interventions sur {COUNT}." in text
    assert f'href="{_url(fu)}"' in text
