"""The privacy officer's journal (filters, paging, read-only) and the flags to review:
emergency accesses and bulk-read blocks."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.audit.services import log_action
from tremplin.casework.models import EmergencyAccess
from tremplin.casework.privacy import selectors

from .test_privacy_support import make_follow_up, make_person


@pytest.fixture
def officer_client(login, personas):
    return login(personas["privacy_officer"])


@pytest.fixture
def people(world, personas):
    jeanne = make_person(world, "Jeanne", "Tremblay")
    rene = make_person(world, "René", "Côté", territory="tb")
    fu_j = make_follow_up(jeanne, personas["worker_a"])
    fu_r = make_follow_up(rene, personas["worker_b"])
    return {"jeanne": jeanne, "rene": rene, "fu_j": fu_j, "fu_r": fu_r}


def _entry(obj, action, user, subject, data=None):
    return log_action(obj, action, user=user, subject=subject, data=data or {})


def _journal_rows(client, **params):
    response = client.get(reverse("casework:privacy-journal"), params)
    assert response.status_code == 200
    return response, [row["entry"] for row in response.context["rows"]]


def test_it_lists_only_casework_entries_newest_first(officer_client, personas, people, world):
    w = personas["worker_a"]
    first = _entry(people["jeanne"], "casework.person.read", w, people["jeanne"])
    log_action(world["omh_a"], "housing.provider.update", user=personas["coordination"])
    second = _entry(people["fu_j"], "casework.follow_up.read", w, people["jeanne"])
    response, rows = _journal_rows(officer_client)
    assert rows == [second, first]
    html = response.content.decode()
    assert "Suivi — consultation" in html and "Personne — consultation" in html
    assert "housing.provider.update" not in html


def test_it_filters_by_person_chosen_by_name(officer_client, personas, people):
    w_a, w_b = personas["worker_a"], personas["worker_b"]
    about_jeanne = _entry(people["jeanne"], "casework.person.read", w_a, people["jeanne"])
    _entry(people["rene"], "casework.person.read", w_b, people["rene"])
    # A name search (accents and case ignored) lists matching persons to choose from.
    response, _rows = _journal_rows(officer_client, q="TREMBLAY jeanne")
    assert [p.pk for p in response.context["matches"]] == [people["jeanne"].pk]
    assert AuditEntry.objects.filter(action="casework.privacy.person_search").exists()
    search = AuditEntry.objects.get(action="casework.privacy.person_search")
    assert search.data == {"results": 1}  # never the name searched
    response, rows = _journal_rows(officer_client, personne=people["jeanne"].public_id)
    assert rows == [about_jeanne]
    assert response.context["person"] == people["jeanne"]
    _response, rows = _journal_rows(officer_client, q="cote")
    assert _response.context["matches"] == [people["rene"]]


def test_it_filters_by_user_and_dates(officer_client, personas, people, settings):
    w_a, w_b = personas["worker_a"], personas["worker_b"]
    e1 = _entry(people["jeanne"], "casework.person.read", w_a, people["jeanne"])
    e2 = _entry(people["rene"], "casework.person.read", w_b, people["rene"])
    _response, rows = _journal_rows(officer_client, utilisateur=w_b.pk)
    assert rows == [e2]
    today = timezone.localdate()
    _response, rows = _journal_rows(officer_client, du=today.isoformat(), au=today.isoformat())
    assert set(rows) >= {e1, e2}
    yesterday = today - dt.timedelta(days=1)
    _response, rows = _journal_rows(officer_client, au=yesterday.isoformat())
    assert rows == []
    _response, rows = _journal_rows(officer_client, du=(today + dt.timedelta(days=1)).isoformat())
    assert rows == []


def test_it_keeps_both_ends_of_a_date_range(officer_client, personas, people, monkeypatch):
    w, jeanne = personas["worker_a"], people["jeanne"]
    tz = timezone.get_current_timezone()

    def at(*args):
        moment = dt.datetime(*args, tzinfo=tz)
        monkeypatch.setattr(timezone, "now", lambda: moment)  # auto_now_add reads it
        return _entry(jeanne, "casework.person.read", w, jeanne)

    inside_start = at(2024, 3, 1, 0, 0, 1)
    inside_end = at(2024, 3, 31, 23, 59, 59)
    at(2024, 2, 29, 23, 59, 59)
    at(2024, 4, 1, 0, 0, 0)
    monkeypatch.undo()
    _response, rows = _journal_rows(officer_client, du="2024-03-01", au="2024-03-31")
    assert rows == [inside_end, inside_start]


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"du": "2024-13-45"}, "du", "Saisissez une date valide."),
        ({"du": "2024-03-10", "au": "2024-03-01"}, "au", "La date de fin doit suivre"),
        ({"utilisateur": "999999"}, "utilisateur", "Sélectionnez un choix valide"),
        ({"personne": "pas-un-uuid"}, "personne", "Saisissez un UUID valide."),
    ],
)
def test_it_explains_bad_filters_in_french(officer_client, people, params, field, message):
    response = officer_client.get(reverse("casework:privacy-journal"), params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])


def test_it_says_so_when_the_chosen_person_does_not_exist(officer_client, people):
    import uuid

    response = officer_client.get(reverse("casework:privacy-journal"), {"personne": uuid.uuid4()})
    assert response.status_code == 200
    assert "Cette personne est introuvable." in response.content.decode()


def test_it_pages_the_journal_without_counting_it(
    officer_client, personas, people, django_assert_max_num_queries
):
    w = personas["worker_a"]
    entries = [
        _entry(people["jeanne"], "casework.person.read", w, people["jeanne"])
        for _ in range(selectors.PER_PAGE + 3)
    ]
    response, rows = _journal_rows(officer_client)
    assert len(rows) == selectors.PER_PAGE
    assert response.context["page"].has_next
    assert rows[0] == entries[-1]
    _response, rows = _journal_rows(officer_client, page=2)
    # The officer's own journal reads are casework entries too (newest first, on page 1).
    assert entries[0] in rows and entries[2] in rows
    for bad in ["0", "-4", "abc", "999999"]:
        assert (
            officer_client.get(reverse("casework:privacy-journal"), {"page": bad}).status_code
            == 200
        )


def test_it_lists_the_journal_with_a_constant_number_of_queries(
    officer_client, personas, people, world, django_assert_max_num_queries
):
    def fill(n):
        for i in range(n):
            person = people["jeanne"] if i % 2 else people["rene"]
            user = personas["worker_a"] if i % 3 else personas["worker_b"]
            _entry(person, "casework.person.read", user, person, data={"i": i})

    url = reverse("casework:privacy-journal")
    params = {"q": "tremblay", "du": "2000-01-01"}
    fill(5)
    officer_client.get(url, params)  # warm the session
    with django_assert_max_num_queries(14) as small:
        officer_client.get(url, params)
    fill(60)
    with django_assert_max_num_queries(14) as large:
        officer_client.get(url, params)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_it_logs_each_journal_read_with_the_filters(officer_client, personas, people):
    officer_client.get(
        reverse("casework:privacy-journal"),
        {"personne": people["jeanne"].public_id, "utilisateur": personas["worker_a"].pk},
    )
    entry = AuditEntry.objects.get(action="casework.privacy.journal.read")
    assert entry.user == personas["privacy_officer"]
    assert entry.subject_id == str(people["jeanne"].public_id)
    assert entry.data["user"] == "worker_a"


def test_it_never_changes_journal_rows(officer_client, personas, people):
    entry = _entry(people["jeanne"], "casework.person.read", personas["worker_a"], people["jeanne"])
    snapshot = list(AuditEntry.objects.filter(pk=entry.pk).values())
    for url in [reverse("casework:privacy-journal")]:
        assert officer_client.post(url, {"action": "forged"}).status_code in (404, 405)
    assert list(AuditEntry.objects.filter(pk=entry.pk).values()) == snapshot


# --------------------------------------------------------------------------- flags


def _emergency(person, user, hours=4, **fields):
    return EmergencyAccess.objects.create(
        user=user,
        person=person,
        reason="Appel du 911 : la personne est en crise",
        expires_at=timezone.now() + dt.timedelta(hours=hours),
        **fields,
    )


def test_it_flags_emergency_accesses_until_reviewed(officer_client, personas, people):
    access = _emergency(people["rene"], personas["worker_a"])
    response = officer_client.get(reverse("casework:privacy-index"))
    assert response.context["accesses"] == [access]
    assert "Appel du 911" in response.content.decode()
    response = officer_client.post(
        reverse("casework:privacy-emergency-review"), {"acces": access.pk}
    )
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.reviewed_by == personas["privacy_officer"]
    assert access.reviewed_at is not None
    review = AuditEntry.objects.get(action="casework.emergency_access.reviewed")
    assert review.subject_id == str(people["rene"].public_id)
    assert review.user == personas["privacy_officer"]
    response = officer_client.get(reverse("casework:privacy-index"))
    assert response.context["accesses"] == []
    # The full list keeps it, marked as reviewed; reviewing twice changes nothing.
    response = officer_client.get(reverse("casework:privacy-emergency-list"))
    assert response.context["page"].rows == [access]
    assert "examiné" in response.content.decode()
    officer_client.post(
        reverse("casework:privacy-emergency-review"), {"acces": access.pk, "retour": "liste"}
    )
    assert AuditEntry.objects.filter(action="casework.emergency_access.reviewed").count() == 1


def test_it_flags_bulk_read_blocks_until_reviewed(officer_client, personas, people):
    block = log_action(
        people["jeanne"],
        "casework.bulk_read.blocked",
        user=personas["worker_a"],
        subject=people["jeanne"],
        data={"limit": 60, "distinct_files_last_hour": 60},
    )
    response = officer_client.get(reverse("casework:privacy-index"))
    assert response.context["blocks"] == [block]
    journal = officer_client.get(reverse("casework:privacy-journal")).content.decode()
    assert "signalé" in journal
    officer_client.post(reverse("casework:privacy-bulk-review"), {"entree": block.pk})
    review = AuditEntry.objects.get(action="casework.bulk_read.reviewed")
    assert review.object_id == str(block.pk) and review.data == {"blocked_user": "worker_a"}
    block.refresh_from_db()
    assert block.action == "casework.bulk_read.blocked"  # the blocked entry itself unchanged
    assert officer_client.get(reverse("casework:privacy-index")).context["blocks"] == []
    officer_client.post(reverse("casework:privacy-bulk-review"), {"entree": block.pk})
    assert AuditEntry.objects.filter(action="casework.bulk_read.reviewed").count() == 1


def test_it_refuses_to_review_an_entry_that_is_not_a_block(officer_client, personas, people):
    other = log_action(people["jeanne"], "casework.person.read", user=personas["worker_a"])
    response = officer_client.post(reverse("casework:privacy-bulk-review"), {"entree": other.pk})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="casework.bulk_read.reviewed").exists()


def test_it_lists_flags_with_a_constant_number_of_queries(
    officer_client, personas, people, django_assert_max_num_queries
):
    def fill(n):
        for _ in range(n):
            _emergency(people["rene"], personas["worker_a"])
            log_action(
                people["jeanne"],
                "casework.bulk_read.blocked",
                user=personas["worker_b"],
                subject=people["jeanne"],
                data={"limit": 60},
            )

    urls = [reverse("casework:privacy-index"), reverse("casework:privacy-emergency-list")]
    fill(2)
    for url in urls:
        officer_client.get(url)
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(12) as ctx:
            officer_client.get(url)
        counts[url] = len(ctx.captured_queries)
    fill(25)
    for url in urls:
        with django_assert_max_num_queries(12) as ctx:
            officer_client.get(url)
        assert len(ctx.captured_queries) == counts[url], url
