"""Crash safety: a long job killed with SIGKILL in the middle, then run again, loses nothing,
does nothing twice and leaves no half-written state visible.

Each job runs as ``python -m tremplin …`` in a subprocess over a scratch copy of the migrated
test database (a SQLite file, or a PostgreSQL database made from the test database as a
template), stopped at a named point by ``tremplin.operations.crashpoint`` and killed there.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import uuid

import pytest
from django.db import connection, connections

from tremplin.operations.backup import Database

PG = connection.vendor == "postgresql"
pytestmark = pytest.mark.django_db  # makes pytest-django set the test database up


@pytest.fixture(scope="module")
def scratch(django_db_setup, django_db_blocker, tmp_path_factory):
    """Settings and environment of a scratch database: the migrated test database, copied."""
    root = tmp_path_factory.mktemp("crash")
    with django_db_blocker.unblock():
        settings_dict = dict(connection.settings_dict)
        if PG:
            name = f"h_ops_crash_{uuid.uuid4().hex[:8]}"
            connections.close_all()  # a template database must have no other session
            admin = Database(dict(settings_dict, NAME="postgres"))
            with admin.pg_connect(autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings_dict["NAME"]}"')
            s = settings_dict
            url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
            database = Database(dict(settings_dict, NAME=name))
        else:
            path = root / "scratch.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
            url = f"sqlite:///{path}"
            database = Database(dict(settings_dict, NAME=str(path)))
    env = dict(
        os.environ,
        DATABASE_URL=url,
        TREMPLIN_MAIL_TASK_BACKEND="default",
        DJANGO_SETTINGS_MODULE="tremplin.settings",
    )
    try:
        yield database, env, root
    finally:
        if PG:
            with admin.pg_connect(autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def sql(database: Database):
    if database.vendor == "postgresql":
        with database.pg_connect(autocommit=True) as conn, conn.cursor() as cursor:
            yield cursor
    else:
        conn = sqlite3.connect(database.settings["NAME"], isolation_level=None)
        try:
            yield conn.cursor()
        finally:
            conn.close()


def tremplin(env, *args, timeout=120) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tremplin", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def killed_at(env, point: str, count: int, *args) -> None:
    """Run the command until the crash point, then SIGKILL it there."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tremplin.operations.crashpoint", point, str(count), "--", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in process.stderr:
            if line.startswith("CRASH POINT"):
                break
        else:
            raise AssertionError(f"ended before the crash point: {process.wait()}")
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL


def python(env, code: str) -> str:
    return tremplin(env, "shell", "-c", code)


# --------------------------------------------------------------------------- newsletter send


NEWSLETTER_SETUP = """
from django.utils import timezone
from tremplin.newsletter import tasks
from tremplin.newsletter.models import *
now = timezone.now()
edition = Edition.objects.create(number=91, season="spring", year=2026, title="Crash",
                                 status=EditionStatus.SCHEDULED, scheduled_at=now)
Section.objects.create(edition=edition, position=0, kind=SectionKind.TEXT, heading="Mot",
                       body="<p>Bonjour.</p>")
for i in range(15):
    Subscriber.objects.create(email=f"crash{i:02d}@example.org", language="fr",
        status=SubscriberStatus.CONFIRMED, consent_at=now, confirmed_at=now, requested_at=now,
        consent_method=ConsentMethod.WEB_FORM, consent_source="Formulaire")
tasks.send_edition.enqueue(edition.pk)
"""


def test_a_newsletter_send_killed_midway_sends_everyone_once(scratch, smtp_server):
    database, env, _root = scratch
    env = dict(
        env,
        EMAIL_URL=f"smtp://{smtp_server.host}:{smtp_server.port}",
        TREMPLIN_SITE_URL="http://testserver",
    )
    python(env, NEWSLETTER_SETUP)
    worker = ("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0")
    # Killed right after the 4th delivery is marked sent: mid-batch, 6 more claimed.
    killed_at(env, "tremplin.newsletter.sending:_mark_sent", 4, *worker)
    assert len(smtp_server.messages) == 4
    with sql(database) as cursor:
        cursor.execute("SELECT status, COUNT(*) FROM newsletter_delivery GROUP BY status")
        assert dict(cursor.fetchall()) == {"sent": 4, "sending": 6, "pending": 5}
        # The rows the dead run claimed wait for their lease (10 minutes) to pass: time passes.
        cursor.execute(
            "UPDATE newsletter_delivery SET claimed_at = claimed_at - INTERVAL '11 minutes'"
            if PG
            else "UPDATE newsletter_delivery SET claimed_at = datetime(claimed_at, '-11 minutes')"
        )
    # The coordination resumes the send (the job that died is not run again by itself).
    tremplin(env, "newsletter", "resume", "91")
    tremplin(env, *worker)
    recipients = sorted(r for m in smtp_server.messages for r in m.rcpt_tos)
    assert recipients == [f"crash{i:02d}@example.org" for i in range(15)]  # each once
    with sql(database) as cursor:
        cursor.execute("SELECT status, COUNT(*) FROM newsletter_delivery GROUP BY status")
        assert dict(cursor.fetchall()) == {"sent": 15}
        cursor.execute("SELECT status FROM newsletter_edition WHERE number = 91")
        assert cursor.fetchone()[0] == "sent"


# --------------------------------------------------------------------------- highlights report


def test_a_report_killed_while_written_never_leaves_a_truncated_file(scratch):
    _database, env, scratch_root = scratch
    root = scratch_root / "rapports"
    root.mkdir()
    output = root / "faits-saillants.html"
    output.write_text("<html>le rapport de la veille</html>")
    args = ("report", "highlights", "--from", "2025-04-01", "--to", "2026-03-31", "-o", output)
    # Killed once the new report is written out, before it takes the old one's place.
    killed_at(env, "tremplin.core.files:_write", 1, *map(str, args))
    assert output.read_text() == "<html>le rapport de la veille</html>"  # intact
    visible = {p.name for p in root.iterdir() if not p.name.startswith(".")}
    assert visible == {"faits-saillants.html"}
    # What the dead run had written is aside, hidden, under a name that says so.
    [partial] = root.glob(".faits-saillants.html.*.partiel")
    tremplin(env, *map(str, args))
    text = output.read_text()
    assert text.rstrip().endswith("</html>") and "la veille" not in text
    partial.unlink()


# --------------------------------------------------------------------------- retention apply


RETENTION_SETUP = """
import datetime as dt
from tremplin.conftest import build_personas, build_world
from tremplin.casework.models import Outcome
from tremplin.casework.tests.test_privacy_support import (
    make_follow_up, make_intervention, make_person)
world = build_world()
worker = build_personas(world)["worker_a"]
for i in range(3):
    person = make_person(world, f"Personne{i}", "Ancienne")
    follow_up = make_follow_up(person, worker, started_on=dt.date(2014, 1, 6),
                               closed_on=dt.date(2015, 6, 30), outcome=Outcome.KEPT)
    for day in (1, 2, 3):
        make_intervention(follow_up, worker, dt.date(2014, 9, day), note=f"Note {day}")
"""


def retention_counts(database) -> dict:
    with sql(database) as cursor:
        counts = {}
        for table in ("casework_followup", "casework_intervention", "casework_destructionrecord"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*) FROM audit_auditentry WHERE action = 'casework.followup.destroyed'"
        )
        counts["journal"] = cursor.fetchone()[0]
    return counts


def test_a_retention_run_killed_midway_destroys_all_or_nothing_and_once(scratch):
    database, env, _root = scratch
    python(env, RETENTION_SETUP)
    before = retention_counts(database)
    assert before == {
        "casework_followup": 3,
        "casework_intervention": 9,
        "casework_destructionrecord": 0,
        "journal": 0,
    }
    # Killed once the first follow-up is destroyed and logged: its interventions are gone
    # inside the run's transaction, the two others not yet.
    killed_at(env, "tremplin.casework.privacy.retention:log_action", 1, "retention", "apply")
    assert retention_counts(database) == before  # no follow-up half destroyed
    out = tremplin(env, "retention", "apply")
    assert "Fait : 3 suivi(s), 9 intervention(s)" in out
    assert retention_counts(database) == {
        "casework_followup": 0,
        "casework_intervention": 0,
        "casework_destructionrecord": 6,  # 3 follow-ups destroyed, 3 persons anonymized
        "journal": 3,
    }


# --------------------------------------------------------------------------- indicator refresh


def stored_facts(database) -> tuple[list, dict]:
    """The stored values, and each (group, period) batch's computation time."""
    with sql(database) as cursor:
        cursor.execute(
            "SELECT indicator, period, area, breakdown, item, value FROM evaluation_indicatorfact"
        )
        facts = sorted(tuple(str(v) for v in row) for row in cursor.fetchall())
        cursor.execute('SELECT "group", period, computed_at FROM evaluation_factbatch')
        batches = {(g, p): str(at) for g, p, at in cursor.fetchall()}
    return facts, batches


def test_an_indicator_refresh_killed_midway_leaves_every_group_whole(scratch):
    database, env, _root = scratch
    refresh = ("indicators", "refresh", "--all", "--year", "2009")
    tremplin(env, *refresh)
    facts, batches = stored_facts(database)
    assert len(set(facts)) == len(facts) and len(batches) > 2
    # Killed inside the second group's transaction: its old values deleted, the new ones
    # inserted (set-based, every period at once), its batches not yet marked.
    killed_at(env, "tremplin.evaluation.setbased:_insert_group", 2, *refresh)
    after_kill, batches_after_kill = stored_facts(database)
    assert after_kill == facts  # rolled back: no group half refreshed, nothing twice
    assert batches_after_kill.keys() == batches.keys()
    # Only the first group's batches (fiscal and calendar 2009) were refreshed (committed
    # before the kill).
    changed = [k for k in batches if batches_after_kill[k] != batches[k]]
    assert len(changed) == 2 and len({group for group, _period in changed}) == 1
    tremplin(env, *refresh)
    again, batches_again = stored_facts(database)
    assert again == facts
    assert all(batches_again[k] > batches_after_kill[k] for k in batches)


# --------------------------------------------------------------------------- directory import


DIRECTORY_SETUP = """
from tremplin.conftest import build_world
from tremplin.territories.models import Municipality
if not Municipality.objects.filter(code="25213").exists():
    build_world()
"""

DIRECTORY_PLACES = (
    ("Lévis", "G6V 6P5"),
    ("Saint-Georges", "G5Y 2C8"),
    ("Saint-Anselme", "G0R 2N0"),
)


def directory_file(path) -> None:
    """24 buildings of 6 new providers: the framework writes them in one commit."""
    lines = ["Organisme;Type d'organisme;Adresse;Municipalité;Code postal;3½"]
    for p in range(6):
        town, postal_code = DIRECTORY_PLACES[p % 3]
        lines += [
            f"Coopérative Crash {p};Coopérative;{10 + b}, rue du Crash;{town};{postal_code};{b + 1}"
            for b in range(4)
        ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def directory_state(database) -> dict:
    with sql(database) as cursor:
        state = {}
        cursor.execute(
            "SELECT COUNT(*), COUNT(DISTINCT b.address || p.name) FROM housing_building b"
            " JOIN housing_housingprovider p ON p.id = b.provider_id"
            " WHERE p.name LIKE 'Coopérative Crash%'"
        )
        state["buildings"], state["distinct"] = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(building_count), 0) FROM housing_housingprovider"
            " WHERE name LIKE 'Coopérative Crash%'"
        )
        state["providers"], state["counted"] = cursor.fetchone()
        cursor.execute("SELECT status, COUNT(*) FROM imports_importrecord GROUP BY status")
        state["records"] = dict(cursor.fetchall())
        cursor.execute(
            "SELECT action, COUNT(*) FROM audit_auditentry"
            " WHERE action IN ('housing.import', 'imports.commit') GROUP BY action"
        )
        state["journal"] = dict(cursor.fetchall())
    return state


def test_a_directory_import_killed_midway_imports_nothing_then_everything_once(scratch):
    database, env, root = scratch
    python(env, DIRECTORY_SETUP)
    path = root / "répertoire-crash.csv"
    directory_file(path)
    before = directory_state(database)
    assert before["buildings"] == before["providers"] == 0
    # Killed inside the import's transaction: the 24 buildings and 6 providers inserted, the
    # second provider's counts refreshed, the journal and the import's record not yet written.
    args = ("import", "directory", str(path))
    killed_at(env, "tremplin.housing.importing:provider_refresh", 2, *args)
    assert directory_state(database) == before  # no half-imported file visible
    out = tremplin(env, *args)
    assert "Importation terminée : 24 créé(s), 0 mis à jour, 0 rejeté(s)." in out
    after = directory_state(database)
    assert after == {
        "buildings": 24,
        "distinct": 24,  # each once
        "providers": 6,
        "counted": 24,  # every provider's counts refreshed
        "records": {**before["records"], "applied": before["records"].get("applied", 0) + 1},
        "journal": {
            "housing.import": before["journal"].get("housing.import", 0) + 1,
            "imports.commit": before["journal"].get("imports.commit", 0) + 1,
        },
    }
    # The same file again: every row recognised, nothing written twice.
    out = tremplin(env, *args)
    assert "0 créé(s), 0 mis à jour" in out
    assert directory_state(database)["buildings"] == 24
