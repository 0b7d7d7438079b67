"""Counts of a stop entered after the fact (``/events/stops/{id}/attendance``): the web page's
form and service, its bad inputs as problem documents with nothing written, 404 outside the
caller's events, idempotency."""

import json
import uuid

import pytest
from django.utils import timezone

from tremplin.api.tests.test_endpoints import _fresh_cache, problem, token  # noqa: F401
from tremplin.audit.models import AuditEntry
from tremplin.events.models import StopAttendance
from tremplin.events.services import registration_check_in
from tremplin.events.tests.conftest import make_event, register
from tremplin.housing.models import HousingProvider, ProviderKind
from tremplin.housing.services import provider_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def stop(world, personas):
    event = make_event(stops=[(world["levis"], timezone.now())], user=personas["organizer_a"])
    return event.stops.get()


def test_attendance_counts_saved_read_and_cleared(world, personas, client, stop):
    url = f"/api/v1/events/stops/{stop.public_id}/attendance"
    auth = token(personas["organizer_a"], "events:read", "events:write")
    registration, _ = register(stop.event, stop=stop, source="walk_in")
    registration_check_in(user=None, registration=registration, present=True)
    before = client.get(url, **auth).json()
    assert before["counted"] is False and before["people"] == 0 and before["updated_at"] is None
    assert before["checked_in"] == 1
    body = {"tenants": 14, "provider_staff": 2, "partners": 1, "providers": [
        str(world["omh_a"].public_id)], "note": "Compté à la porte"}  # fmt: skip
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    response = client.put(url, json.dumps(body), content_type="application/json", **auth, **key)
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["counted"] and saved["people"] == 17 and saved["others"] == 0
    assert saved["providers"] == [str(world["omh_a"].public_id)]
    again = client.put(url, json.dumps(body), content_type="application/json", **auth, **key)
    assert again.json() == saved
    attendance = StopAttendance.objects.get(stop=stop)
    assert attendance.entered_by == personas["organizer_a"] and attendance.note == body["note"]
    assert AuditEntry.objects.filter(action="events.attendance.save").count() == 1
    assert client.get(url, **auth).json() == saved
    # A second PUT replaces the whole count (left-out fields are 0).
    response = client.put(url, json.dumps({"others": 3}), content_type="application/json", **auth)
    assert response.json()["people"] == 3 and response.json()["providers"] == []
    assert StopAttendance.objects.count() == 1
    # Another territory's organizer: 404 for the three, nothing changed.
    other = token(personas["organizer_b"], "events:read", "events:write")
    problem(client.get(url, **other), 404)
    problem(client.put(url, json.dumps(body), content_type="application/json", **other), 404)
    problem(client.delete(url, **other), 404)
    assert StopAttendance.objects.get(stop=stop).people == 3
    # Reading only: no write.
    problem(client.delete(url, **token(personas["organizer_a"], "events:read")), 403)
    response = client.delete(url, **auth)
    assert response.status_code == 204
    assert not StopAttendance.objects.exists()
    assert client.delete(url, **auth).status_code == 204  # nothing left: still 204
    assert AuditEntry.objects.filter(action="events.attendance.clear").count() == 1


def test_attendance_bad_input_writes_nothing(world, personas, client, stop):
    url = f"/api/v1/events/stops/{stop.public_id}/attendance"
    auth = token(personas["organizer_a"], "events:write")

    def put(body, path=url, **extra):
        data = body if isinstance(body, str) else json.dumps(body)
        return client.put(path, data, content_type="application/json", **auth, **extra)

    problem(put("{pas du json"), 400)
    body = problem(put({"tenants": -1}), 422)
    assert body["errors"][0]["field"] == "tenants"
    problem(put({"tenants": "douze"}), 422)
    problem(put({"tenants": 2.5}), 422)
    problem(put({"tenants": 3, "adults": 2}), 422)  # unknown field
    problem(put({"tenants": 100_001}), 422)
    body = problem(put({"tenants": 60_000, "others": 60_000}), 422)  # the model's total
    assert "100" in body["detail"] and body["errors"][0]["field"] == ""
    quebec = provider_save(
        user=None,
        provider=HousingProvider(
            kind=ProviderKind.OMH, name="OMH de Québec", municipality=world["quebec"],
            address="1, rue du Pont", postal_code="G1K 1A1",
        ),
    )  # fmt: skip
    for provider in (quebec.public_id, uuid.uuid4()):  # another region's, none
        body = problem(put({"tenants": 3, "providers": [str(provider)]}), 422)
        assert body["errors"][0]["field"] == "providers"
    body = problem(
        put({"tenants": 3, "providers": [str(quebec.public_id)]}, HTTP_ACCEPT_LANGUAGE="en"), 422
    )
    assert body["title"] == "Invalid data"
    problem(put({"providers": ["pas-un-uuid"]}), 422)
    problem(put({"note": "x" * 501}), 422)
    problem(put({"tenants": 1}, path=f"/api/v1/events/stops/{uuid.uuid4()}/attendance"), 404)
    problem(put({"tenants": 1}, path="/api/v1/events/stops/pas-un-uuid/attendance"), 422)
    problem(client.put(url, "{}", content_type="application/json"), 401)
    assert not StopAttendance.objects.exists()
    assert not AuditEntry.objects.filter(action="events.attendance.save").exists()
