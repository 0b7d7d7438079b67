"""Capacity under concurrent registrations, with parallel requests on PostgreSQL.

Each thread is a separate visitor with its own database connection, all released at once by a
barrier. A short pause is slipped in between counting the seats and taking one, so that without
the lock on the event row both visitors would see a free seat (and the tests would fail).
"""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tremplin.events import services
from tremplin.events.models import Registration

from .conftest import make_event, register, soon

# serialized_rollback: the flush after each test must not lose the data migrations' rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgresql_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrence : nécessite PostgreSQL (SQLite sérialise toutes les écritures)")
    settings.TREMPLIN_REGISTRATION_RATE_LIMIT = 1000


@pytest.fixture
def slow_seat_count(monkeypatch):
    """Widen the race window: pause after counting the seats, before taking one."""
    original = services._seat_status

    def slow(event):
        status = original(event)
        time.sleep(0.3)
        return status

    monkeypatch.setattr(services, "_seat_status", slow)


def _register_in_parallel(event, emails: list[str]) -> list[int]:
    barrier = threading.Barrier(len(emails))
    statuses: list[int] = []
    errors: list[BaseException] = []
    url = reverse("events:public-detail", args=[event.public_id])

    def visit(i, email):
        try:
            client = Client(REMOTE_ADDR=f"192.0.2.{i + 1}")
            barrier.wait(timeout=10)
            response = client.post(url, {"name": f"Personne {i}", "email": email, "website": ""})
            statuses.append(response.status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(i, e)) for i, e in enumerate(emails)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return statuses


def test_it_gives_the_last_seat_to_one_of_two_people_registering_at_once(world, slow_seat_count):
    event = make_event(capacity=2, stops=[(world["levis"], soon())])
    register(event, email="first@example.org")
    statuses = _register_in_parallel(event, ["a@example.org", "b@example.org"])
    assert statuses == [302, 302]
    by_status = {
        status: sorted(Registration.objects.filter(status=status).values_list("email", flat=True))
        for status in ("confirmed", "waitlisted")
    }
    assert len(by_status["confirmed"]) == 2
    assert len(by_status["waitlisted"]) == 1
    assert "first@example.org" in by_status["confirmed"]


def test_it_never_exceeds_the_capacity_with_many_people_at_once(world):
    event = make_event(capacity=5, stops=[(world["levis"], soon())])
    statuses = _register_in_parallel(event, [f"p{i}@example.org" for i in range(16)])
    assert statuses == [302] * 16
    assert Registration.objects.filter(status="confirmed").count() == 5
    assert Registration.objects.filter(status="waitlisted").count() == 11


def test_it_registers_once_when_the_same_email_arrives_twice_at_once(world, slow_seat_count):
    event = make_event(capacity=10, stops=[(world["levis"], soon())])
    statuses = _register_in_parallel(event, ["same@example.org", "SAME@example.org"])
    assert statuses == [302, 302]
    assert Registration.objects.count() == 1
