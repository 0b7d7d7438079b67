"""One JSON line per request and per job, with numbers and identifiers, never personal data."""

import json
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from tremplin.operations.logs import JsonFormatter


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def lines():
    handler = Lines()
    loggers = [logging.getLogger("tremplin.requests"), logging.getLogger("tremplin.jobs")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_request_is_one_json_line_without_the_search_or_the_person(
    client, personas, login, lines
):
    user = personas["organizer_a"]
    login(user)
    response = client.get(reverse("housing:directory"), {"q": "Tremblay"})
    assert response.status_code == 200
    [line] = lines
    entry = json.loads(line)
    assert entry["event"] == "request" and entry["method"] == "GET"
    assert entry["route"] == "housing:directory"
    assert entry["status"] == 200 and entry["user"] == user.pk
    assert entry["queries"] > 0 and entry["duration_ms"] > 0
    assert set(entry) == {
        "time",
        "event",
        "method",
        "route",
        "status",
        "duration_ms",
        "queries",
        "user",
    }
    for personal in ("Tremblay", user.username, user.email, "/repertoire/"):
        assert personal not in line


def test_an_anonymous_request_has_no_user(client, db, lines):
    client.get("/nulle-part/")
    [entry] = [json.loads(line) for line in lines]
    assert entry["status"] == 404 and entry["user"] is None and entry["route"] is None


def test_a_job_is_logged_when_it_starts_and_when_it_ends(db, lines, monkeypatch):
    from tremplin.newsletter.tasks import send_edition

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    send_edition.enqueue(0)  # an edition that does not exist: the job ends at once
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    started, finished = (json.loads(line) for line in lines)
    assert started["phase"] == "started" and finished["phase"] == "finished"
    assert finished["task"] == "tremplin.newsletter.tasks.send_edition"
    assert finished["status"] == "SUCCESSFUL" and finished["duration_ms"] >= 0
