"""Lifting a worker's hourly bulk-read bar (``casework.limits``), and the privacy officer's
exports counted toward the limit like everyone's."""

import datetime as dt
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts.roles import Role
from tremplin.accounts.services import membership_set
from tremplin.audit.models import AuditEntry
from tremplin.audit.services import log_action
from tremplin.casework.models import BulkReadLift

from .casefiles import open_file, some_files

PAGES = ("casework:bulk-read-limits", "casework:privacy-bulk-read-limits")
LIFTED = "casework.bulk_read.lifted"
REASON = "Reprise de la charge d'une collègue en congé de maladie"


@pytest.fixture
def files(world, personas):
    """Six files of worker_a (the limit is set to 3 in these tests)."""
    return some_files(personas["worker_a"], world["building_a"], 6)


def _has(html, text):
    """``text`` on the page, its apostrophes escaped or not (variables are, literals not)."""
    return text in html or text.replace("'", "&#x27;") in html


def _lift(client, worker, reason=REASON, extra="2", page=PAGES[0]):
    return client.post(
        reverse(page), {"worker": str(worker.pk), "reason": reason, "extra_files": extra}
    )


def _block(client, persons):
    """Open ``persons`` (as many as the limit), then one more: blocked."""
    for person in persons[:-1]:
        assert open_file(client, person).status_code == 200
    return open_file(client, persons[-1])


def test_a_blocked_worker_reads_again_once_their_supervisor_lifts_the_bar(
    files, personas, login, client, settings
):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 3
    wa, sa = personas["worker_a"], personas["supervisor_a"]
    worker = login(wa)
    blocked = _block(worker, files[:4])
    assert blocked.status_code == 429
    text = blocked.content.decode()
    # The blocked page says who may lift the bar.
    assert "votre superviseur·e clinique" in text
    assert "responsable de la protection des renseignements personnels peut lever" in text

    from django.test import Client

    supervisor = login(sa, client=Client())
    # Linked from the supervisor's caseload.
    caseload = supervisor.get(reverse("casework:caseload")).content.decode()
    assert reverse("casework:bulk-read-limits") in caseload
    page = supervisor.get(reverse("casework:bulk-read-limits"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "worker_a" in html and "Bloqué·e" in html
    assert "3 / 3" in html  # three distinct files in the hour, for an allowance of three
    assert "no-store" in page["Cache-Control"]

    response = _lift(supervisor, wa, extra="2")
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:bulk-read-limits")
    lift = BulkReadLift.objects.get()
    assert (lift.worker, lift.lifted_by, lift.extra_files) == (wa, sa, 2)
    assert lift.reason == REASON
    hours = (lift.expires_at - lift.created_at).total_seconds() / 3600
    assert round(hours, 2) == 1
    after = supervisor.get(reverse("casework:bulk-read-limits")).content.decode()
    assert "3 / 5" in after and "Près de la limite" in after

    # Two more distinct files, then blocked again (the lift adds two, not unlimited).
    assert open_file(worker, files[3]).status_code == 200
    assert open_file(worker, files[4]).status_code == 200
    again = open_file(worker, files[5])
    assert again.status_code == 429
    assert "plus de 5 dossiers" in again.content.decode()
    last = AuditEntry.objects.filter(action="casework.bulk_read.blocked").order_by("id").last()
    assert last.data["limit"] == 3 and last.data["lifted_files"] == 2


def test_the_lift_is_journaled_with_its_reason_for_the_privacy_officer(
    files, personas, login, client, settings
):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 3
    wa, sa = personas["worker_a"], personas["supervisor_a"]
    for person in files[:3]:
        log_action(person, "casework.person.read", user=wa, subject=person)
    assert _lift(login(sa), wa, extra="3").status_code == 302
    entry = AuditEntry.objects.get(action=LIFTED)
    assert entry.user == sa
    assert entry.data["reason"] == REASON
    assert entry.data["worker"] == "worker_a"
    assert entry.data["extra_files"] == 3
    assert entry.data["files_last_hour"] == 3
    assert entry.data["flag"] is True
    lift = BulkReadLift.objects.get()
    assert entry.object_id == str(lift.pk)

    officer = login(personas["privacy_officer"])
    journal = officer.get(reverse("casework:privacy-journal") + f"?utilisateur={sa.pk}")
    html = journal.content.decode()
    assert "Lecture massive — blocage levé" in html
    assert _has(html, "Reprise de la charge d'une collègue")
    assert "signalé" in html


@pytest.mark.parametrize(
    ("reason", "extra", "message"),
    [
        ("", "2", "Indiquez la raison de la levée du blocage."),
        ("   ", "2", "Indiquez la raison de la levée du blocage."),
        (REASON, "0", "Indiquez au moins 1 dossier."),
        (REASON, "4", "Indiquez au plus 3 dossiers."),
        (REASON, "beaucoup", "Indiquez un nombre entier de dossiers."),
        ("x" * 501, "2", "La raison dépasse 500 caractères."),
    ],
)
def test_it_refuses_a_lift_without_a_reason_or_with_a_bad_number_in_french(
    files, personas, login, settings, reason, extra, message
):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 3
    wa = personas["worker_a"]
    for person in files[:3]:
        log_action(person, "casework.person.read", user=wa, subject=person)
    response = _lift(login(personas["supervisor_a"]), wa, reason=reason, extra=extra)
    assert response.status_code == 200
    html = response.content.decode()
    assert _has(html, message)
    assert _has(html, "Rien n'a été enregistré")
    assert not BulkReadLift.objects.exists()
    assert not AuditEntry.objects.filter(action=LIFTED).exists()


def test_it_asks_which_worker_when_none_is_chosen(files, personas, login, settings):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 3
    response = login(personas["supervisor_a"]).post(
        reverse(PAGES[0]), {"worker": "", "reason": REASON, "extra_files": "2"}
    )
    assert response.status_code == 200
    assert "Choisissez la personne dont le blocage est levé." in response.content.decode()
    assert not BulkReadLift.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        "worker_a",
        "worker_b",
        "coordination",
        "organizer_a",
        "housing_manager",
        "partner",
        "researcher",
        "no_role",
    ],
)
def test_every_other_role_gets_a_404(files, personas, login, role):
    client = login(personas[role])
    target = personas["worker_a"]
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 404
        assert _lift(client, target, page=name).status_code == 404
    assert not BulkReadLift.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, personas):
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        response = _lift(client, personas["worker_a"], page=name)
        assert response.status_code == 302
    assert not BulkReadLift.objects.exists()


def test_a_supervisor_cannot_lift_the_bar_of_a_worker_outside_their_team(
    files, personas, login, settings
):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 3
    wa = personas["worker_a"]
    for person in files[:3]:
        log_action(person, "casework.person.read", user=wa, subject=person)
    other = login(personas["supervisor_b"])
    assert "worker_a" not in other.get(reverse(PAGES[0])).content.decode()
    # A forged form naming worker_a, another supervisor or an unknown user: 404.
    assert _lift(other, wa).status_code == 404
    assert _lift(other, personas["supervisor_a"]).status_code == 404
    assert _lift(other, personas["worker_b"], reason="").status_code == 200  # own team
    response = other.post(
        reverse(PAGES[0]), {"worker": "999999", "reason": REASON, "extra_files": "1"}
    )
    assert response.status_code == 404
    # Not even themselves.
    assert _lift(other, personas["supervisor_b"]).status_code == 404
    assert not BulkReadLift.objects.exists()


def test_the_privacy_officer_lifts_anyone_but_themselves(files, personas, login, settings):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 3
    sa, officer_user = personas["supervisor_a"], personas["privacy_officer"]
    for person in files[:3]:
        log_action(person, "casework.person.read", user=sa, subject=person)
    officer = login(officer_user)
    index = officer.get(reverse("casework:privacy-index")).content.decode()
    assert reverse("casework:privacy-bulk-read-limits") in index  # in the privacy menu
    html = officer.get(reverse(PAGES[1])).content.decode()
    assert "supervisor_a" in html and "Bloqué·e" in html
    assert _lift(officer, sa, page=PAGES[1]).status_code == 302
    assert BulkReadLift.objects.get().worker == sa
    assert _lift(officer, officer_user, page=PAGES[1]).status_code == 404
    # Roles that open no file have no bar to lift.
    assert _lift(officer, personas["partner"], page=PAGES[1]).status_code == 404
    assert BulkReadLift.objects.count() == 1


def test_an_expired_lift_no_longer_lets_the_worker_read(files, personas, login, settings):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 3
    wa = personas["worker_a"]
    BulkReadLift.objects.create(
        worker=wa,
        lifted_by=personas["supervisor_a"],
        reason=REASON,
        extra_files=3,
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert _block(login(wa), files[:4]).status_code == 429


def _team_reader(supervisor, territory, n, files):
    user = get_user_model().objects.create_user(f"lecteur{n}", f"lecteur{n}@example.org", "x")
    membership_set(user=user, role=Role.WORKER, territories=[territory], supervisor=supervisor)
    for _i in range(files):
        log_action(None, "casework.person.read", user=user, subject=str(uuid.uuid4()))
    return user


def test_the_list_runs_a_constant_number_of_queries(
    world, personas, login, settings, django_assert_max_num_queries
):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 5
    sa = personas["supervisor_a"]
    client = login(sa)

    def fill(start, count):
        for n in range(start, start + count):
            user = _team_reader(sa, world["ta"], n, files=5 if n % 2 else 4)
            if n % 3 == 0:
                BulkReadLift.objects.create(
                    worker=user,
                    lifted_by=sa,
                    reason=REASON,
                    extra_files=2,
                    expires_at=timezone.now() + dt.timedelta(minutes=30),
                )

    fill(0, 2)
    client.get(reverse(PAGES[0]))
    with django_assert_max_num_queries(15) as small:
        page = client.get(reverse(PAGES[0]))
    assert page.content.decode().count("?intervenant=") == 2
    fill(2, 20)
    with django_assert_max_num_queries(15) as large:
        page = client.get(reverse(PAGES[0]))
    assert page.content.decode().count("?intervenant=") == 22
    assert len(large.captured_queries) == len(small.captured_queries)


# --------------------------------------------------------------------------- the officer's exports


@pytest.fixture
def officer(login, personas):
    return login(personas["privacy_officer"])


def test_the_privacy_officers_access_exports_count_toward_the_limit(
    files, personas, officer, settings
):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 2
    a, b, c = files[:3]
    # One person's access request: the page and both formats are one file.
    assert officer.get(reverse("casework:privacy-person", args=[a.public_id])).status_code == 200
    export = reverse("casework:privacy-person-export", args=[a.public_id, "json"])
    response = officer.get(export)
    assert response.status_code == 200
    url_b = reverse("casework:privacy-person-export", args=[b.public_id, "json"])
    assert officer.get(url_b).status_code == 200
    # A third person's file, exported or opened: blocked like anyone's.
    for url in (
        reverse("casework:privacy-person-export", args=[c.public_id, "json"]),
        reverse("casework:privacy-person", args=[c.public_id]),
    ):
        blocked = officer.get(url)
        assert blocked.status_code == 429
        html = blocked.content.decode()
        assert "Consultation suspendue" in html and "Fictive" not in html
        assert reverse("casework:privacy-index") in html
    entries = AuditEntry.objects.filter(
        action="casework.bulk_read.blocked", user=personas["privacy_officer"]
    )
    assert entries.count() == 2 and {e.subject_id for e in entries} == {str(c.public_id)}
    assert not AuditEntry.objects.filter(
        action="casework.person.access_export", subject_id=str(c.public_id)
    ).exists()
    # Files already exported within the hour stay open.
    assert officer.get(export).status_code == 200


def test_the_research_export_does_not_count_and_the_journal_says_why(
    files, personas, officer, settings
):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 1
    a, b = files[:2]
    assert officer.get(reverse("casework:privacy-person", args=[a.public_id])).status_code == 200
    # De-identified: no person's file is opened, the limit reached does not stop it.
    research = officer.get(reverse("casework:privacy-research-export", args=["csv"]))
    assert research.status_code == 200
    assert officer.get(reverse("casework:privacy-research")).status_code == 200
    html = officer.get(reverse("casework:privacy-journal")).content.decode()
    assert "hors limite" in html
    assert "exportation dépersonnalisée (k ≥ 5)" in html
    # …while another identified file is still refused.
    assert officer.get(reverse("casework:privacy-person", args=[b.public_id])).status_code == 429


@pytest.mark.parametrize(
    ("limit", "said"),
    [(1, "Au-delà de 1 dossier différent ouvert"), (3, "Au-delà de 3 dossiers différents ouverts")],
)
def test_the_lift_page_states_the_limit_in_the_singular_or_the_plural(
    personas, login, client, settings, limit, said
):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = limit
    login(personas["supervisor_a"])
    html = client.get(reverse(PAGES[0])).content.decode()
    assert _has(html, said)
