"""The endpoints: the same access rules as the pages (404 outside scope), cursor pages stable
under inserts, updated_since, ETag, problem documents for bad input, idempotent writes, the
case-file audit and bulk-read limit, and the role × endpoint matrix."""

import datetime as dt
import json
import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.api import scopes
from tremplin.api.services import token_create
from tremplin.audit.models import AuditEntry
from tremplin.casework.tests.casefiles import make_file
from tremplin.housing.models import Building
from tremplin.housing.services import building_save
from tremplin.projects.models import Project, ProjectActivity, Status
from tremplin.projects.services import project_save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit windows


def token(user, *wanted):
    """A token with the scopes asked (default: every scope the role gives)."""
    if any(s.startswith("casework") for s in wanted) or not wanted:
        TOTPDevice.objects.get_or_create(user=user, name="App", confirmed=True)
    ids = list(wanted) or [s.id for s in scopes.allowed_scopes(user)]
    _, raw = token_create(user=user, name="test", scopes=ids)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def project_in(world, title="Cuisine collective", territory="a"):
    building = world["building_a"] if territory == "a" else world["building_b"]
    return project_save(
        user=None,
        project=Project(
            title=title, kind="food", status=Status.UNDER_WAY, start_date=dt.date(2024, 1, 1)
        ),
        sites=([building], []),
    )


def test_directory_pages_by_cursor_stable_under_inserts(
    world, personas, client, django_assert_max_num_queries
):
    auth = token(personas["partner"], "directory:read")
    url = "/api/v1/directory/buildings"
    with django_assert_max_num_queries(10):
        first = client.get(url, {"limit": 1}, **auth)
    assert first.status_code == 200
    body = first.json()
    assert [b["id"] for b in body["items"]] == [str(world["building_a"].public_id)]
    assert body["items"][0]["units"] == {
        "studio": 0, "one_bedroom": 20, "two_bedrooms": 4, "three_bedrooms": 0,
        "four_bedrooms_or_more": 0, "adapted": 0, "total": 24,
    }  # fmt: skip
    assert body["items"][0]["clienteles"] == ["aines"]
    # The list's row (annotated, clienteles read per page) is the detail's answer.
    detail = client.get(f"{url}/{world['building_a'].public_id}", **auth).json()
    assert body["items"][0] == detail
    # A building inserted while the client pages comes later; nothing skipped or repeated.
    new = Building(
        provider=world["omh_a"], address="1, rue Neuve", postal_code="G6V 1A1",
        municipality=world["levis"], units_1br=3,
    )  # fmt: skip
    building_save(user=None, building=new, clienteles=[])
    seen = [b["id"] for b in body["items"]]
    cursor = body["next_cursor"]
    while cursor:
        body = client.get(url, {"limit": 1, "cursor": cursor}, **auth).json()
        seen += [b["id"] for b in body["items"]]
        cursor = body["next_cursor"]
    expected = [world["building_a"], world["building_b"], new]
    assert seen == [str(b.public_id) for b in expected]
    # updated_since: only what changed since.
    since = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    assert client.get(url, {"updated_since": since}, **auth).json()["items"] == []
    # Query count does not grow with the page.
    with django_assert_max_num_queries(10):
        assert len(client.get(url, {"limit": 500}, **auth).json()["items"]) == 3


def test_bad_cursors_and_parameters_are_4xx(world, personas, client):
    auth = token(personas["partner"], "directory:read")
    url = "/api/v1/directory/buildings"
    cursor = client.get(url, {"limit": 1}, **auth).json()["next_cursor"]
    problem(client.get(url, {"cursor": cursor[:-2] + "xx"}, **auth), 400)
    problem(client.get(url, {"cursor": "nimportequoi"}, **auth), 400)
    # A cursor of another list.
    problem(client.get("/api/v1/directory/providers", {"cursor": cursor}, **auth), 400)
    body = problem(client.get(url, {"limit": 0}, **auth), 422)
    assert body["errors"][0]["field"] == "limit"
    problem(client.get(url, {"limit": "beaucoup"}, **auth), 422)
    problem(client.get(url, {"updated_since": "hier"}, **auth), 422)
    problem(client.get("/api/v1/directory/buildings/pas-un-uuid", **auth), 422)
    problem(client.get(f"/api/v1/directory/buildings/{uuid.uuid4()}", **auth), 404)


def test_etag_gives_304(world, personas, client):
    auth = token(personas["partner"], "directory:read")
    url = f"/api/v1/directory/buildings/{world['building_a'].public_id}"
    response = client.get(url, **auth)
    etag = response["ETag"]
    assert response.json()["address"] == "25, rue Saint-Louis"
    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **auth)
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"autre"', **auth).status_code == 200


def test_rate_limit_429_with_retry_after(world, personas, client, settings):
    settings.TREMPLIN_API_RATE_PER_MINUTE = 2
    auth = token(personas["partner"], "territories:read")
    for _ in range(2):
        assert client.get("/api/v1/territories/regions", **auth).status_code == 200
    response = client.get("/api/v1/territories/regions", **auth)
    problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60


def test_public_events_without_a_token(world, client):
    assert client.get("/api/v1/events/public").json() == {"items": [], "next_cursor": None}
    problem(client.get("/api/v1/events/public", HTTP_AUTHORIZATION="Bearer trp_faux"), 401)
    problem(client.get("/api/v1/events"), 401)


def test_activity_write_validation_and_idempotency(world, personas, client):
    project = project_in(world)
    auth = token(personas["organizer_a"], "projects:write")
    url = f"/api/v1/projects/{project.public_id}/activities"
    good = {"date": "2024-02-01", "title": "Atelier", "participants": 12, "tenants": 8}

    def post(body, **extra):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return client.post(url, data, content_type="application/json", **auth, **extra)

    problem(post("{pas du json"), 400)
    problem(post({**good, "participants": "douze"}), 422)
    body = problem(post({**good, "couleur": "bleu"}), 422)
    assert body["errors"][0]["field"] == "couleur"
    problem(post({**good, "participants": -1}), 422)
    problem(post({**good, "date": "2024-02-31"}), 422)
    problem(post({**good, "tenants": 20}), 422)  # more tenants than participants (the model)
    problem(post({**good, "date": "2023-01-01"}), 422)  # before the project (the model)
    problem(post({**good, "note": "x" * 70000}), 413)
    assert not ProjectActivity.objects.exists()
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    first = post(good, **key)
    assert first.status_code == 201, first.content
    again = post(good, **key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert ProjectActivity.objects.count() == 1
    problem(post({**good, "title": "Autre"}, **key), 422)  # same key, another body
    project.refresh_from_db()
    assert project.participant_sum == 12
    # Another territory's organizer: 404, nothing written.
    other = token(personas["organizer_b"], "projects:write")
    response = client.post(url, json.dumps(good), content_type="application/json", **other)
    problem(response, 404)
    assert ProjectActivity.objects.count() == 1


def test_case_file_read_is_audited_with_the_token_and_limited(world, personas, client, settings):
    worker = personas["worker_a"]
    person, _ = make_file(worker, building=world["building_a"])
    second, _ = make_file(worker, first="Jean", last="Exemple", building=world["building_a"])
    auth = token(worker, "casework:read")
    prefix = auth["HTTP_AUTHORIZATION"][7:19]
    caseload = client.get("/api/v1/casework/caseload", **auth).json()["items"]
    assert {c["person"] for c in caseload} == {str(person.public_id), str(second.public_id)}
    response = client.get(
        f"/api/v1/casework/persons/{person.public_id}", **auth, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 200 and response.json()["last_name"] == "Fictive"
    entry = AuditEntry.objects.get(action="casework.person.read")
    assert entry.subject_id == str(person.public_id) and entry.data["api_token"] == prefix
    assert entry.user == worker and entry.ip_address == "10.0.0.9"
    # Another worker's token: 404, logged as a forbidden attempt.
    other = token(personas["worker_b"], "casework:read")
    problem(client.get(f"/api/v1/casework/persons/{person.public_id}", **other), 404)
    assert AuditEntry.objects.filter(
        action="casework.forbidden_attempt", user=personas["worker_b"]
    ).exists()
    # The hourly limit counts API reads.
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 1
    response = client.get(f"/api/v1/casework/persons/{second.public_id}", **auth)
    problem(response, 429)
    assert response["Retry-After"] == "3600"
    assert AuditEntry.objects.filter(action="casework.bulk_read.blocked").exists()


def test_intervention_write(world, personas, client):
    worker = personas["worker_a"]
    _, follow_up = make_file(worker, building=world["building_a"])
    auth = token(worker, "casework:write")
    body = {
        "follow_up": str(follow_up.public_id), "occurred_on": timezone.localdate().isoformat(),
        "type": "intake", "mode": "phone", "duration_minutes": 30, "note": "Appel",
    }  # fmt: skip
    url = "/api/v1/casework/interventions"
    problem(
        client.post(
            url, json.dumps({**body, "type": "inconnu"}), content_type="application/json", **auth
        ),
        422,
    )
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    problem(
        client.post(
            url,
            json.dumps({**body, "occurred_on": future}),
            content_type="application/json",
            **auth,
        ),
        422,
    )
    response = client.post(url, json.dumps(body), content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    assert follow_up.interventions.get().note == "Appel"
    other = token(personas["worker_b"], "casework:write")
    problem(client.post(url, json.dumps(body), content_type="application/json", **other), 404)
    assert follow_up.interventions.count() == 1


def test_indicators(world, personas, client):
    auth = token(personas["coordination"], "indicators:read")
    catalogue = client.get("/api/v1/indicators/catalogue", **auth).json()
    assert catalogue and all(i["id"] and i["label"] for i in catalogue)
    partner = token(personas["partner"], "indicators:read")
    partner_ids = {i["id"] for i in client.get("/api/v1/indicators/catalogue", **partner).json()}
    assert partner_ids < {i["id"] for i in catalogue}
    values = client.get("/api/v1/indicators/values", {"period": "fy2024"}, **auth).json()
    assert values["period"] == "fy2024" and len(values["values"]) == len(catalogue)
    problem(client.get("/api/v1/indicators/values", {"period": "fy1800"}, **auth), 422)
    problem(client.get("/api/v1/indicators/values", {"area": "territory:999999"}, **auth), 422)
    problem(client.get("/api/v1/indicators/nimporte", **auth), 404)


def test_schema_and_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/directory/buildings" in schema["paths"]
    docs = client.get("/api/v1/docs")
    html = docs.content.decode()
    assert docs.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "<script>" not in html


LISTS = {
    "/api/v1/territories/regions": "territories:read",
    "/api/v1/directory/providers": "directory:read",
    "/api/v1/directory/buildings": "directory:read",
    "/api/v1/funding/partners": "funding:read",
    "/api/v1/funding/agreements": "funding:read",
    "/api/v1/projects": "projects:read",
    "/api/v1/community/associations": "projects:read",
    "/api/v1/community/accompaniments": "projects:read",
    "/api/v1/concertation/committees": "concertation:read",
    "/api/v1/events": "events:read",
    "/api/v1/surveys/questionnaires": "surveys:read",
    "/api/v1/surveys/campaigns": "surveys:read",
    "/api/v1/indicators/catalogue": "indicators:read",
    "/api/v1/casework/caseload": "casework:read",
}


def test_role_by_endpoint_matrix(world, personas, client):
    """Each role with a token of every scope its role gives: 200 on the lists of those scopes,
    403 on the others (the scope cannot be in its token); a casework list is never 200 to a
    role that does not hold case files; the writes (an activity, a stop's counts) on another's
    object are 404. With the role removed afterwards: 404 everywhere."""
    from tremplin.events.tests.conftest import make_event

    project = project_in(world, territory="a")
    event = make_event(stops=[(world["levis"], timezone.now())], user=personas["organizer_a"])
    stop = event.stops.get()
    for name, user in personas.items():
        if name == "no_role":
            continue
        auth = token(user)
        allowed = {s.id for s in scopes.allowed_scopes(user)}
        for url, scope in LISTS.items():
            expected = 200 if scope in allowed else 403
            got = client.get(url, **auth).status_code
            assert got == expected, (name, url, got)
        casework = "casework:read" in allowed
        assert casework == (name in {"worker_a", "worker_b", "supervisor_a", "supervisor_b"})
        # Others' objects: a project of territory A written by an organizer of B, a file.
        if "projects:write" in allowed:
            got = client.post(
                f"/api/v1/projects/{project.public_id}/activities",
                json.dumps({"date": "2024-02-01", "title": "x"}),
                content_type="application/json",
                **auth,
            ).status_code
            assert got == (201 if name in {"coordination", "organizer_a"} else 404), (name, got)
        # Counts of a stop of an event of territory A (organizer_a's): who runs its attendance.
        if "events:write" in allowed:
            got = client.put(
                f"/api/v1/events/stops/{stop.public_id}/attendance",
                json.dumps({"tenants": 4}),
                content_type="application/json",
                **auth,
            ).status_code
            assert got == (200 if name in {"coordination", "organizer_a"} else 404), (name, got)
        user.membership.delete()
        for url in LISTS:
            got = client.get(url, **auth).status_code
            assert got in (403, 404), (name, url, got)
            if LISTS[url] in allowed:
                assert got == 404, (name, url, got)


def test_events_public_list_and_check_in(world, personas, client):
    from tremplin.events.services import registration_submit
    from tremplin.events.tests.conftest import make_event

    starts = timezone.now() + dt.timedelta(days=10)
    event = make_event(stops=[(world["levis"], starts)], user=personas["organizer_a"])
    stop = event.stops.get()
    registration, _ = registration_submit(
        event=event, stop=stop, name="Louise Exemple", email="l@example.org"
    )
    listed = client.get("/api/v1/events/public").json()["items"]
    assert [e["id"] for e in listed] == [str(event.public_id)]
    assert listed[0]["stops"][0]["municipality"] == "25213"
    auth = token(personas["organizer_a"], "events:read", "events:write")
    rows = client.get(f"/api/v1/events/{event.public_id}/registrations", **auth).json()["items"]
    assert [r["name"] for r in rows] == ["Louise Exemple"] and "email" not in rows[0]
    url = f"/api/v1/events/registrations/{registration.public_id}/check-in"
    problem(
        client.post(
            url, json.dumps({"present": "peut-être"}), content_type="application/json", **auth
        ),
        422,
    )
    response = client.post(
        url, json.dumps({"present": True}), content_type="application/json", **auth
    )
    assert response.status_code == 200 and response.json()["checked_in_at"]
    registration.refresh_from_db()
    assert registration.checked_in_by == personas["organizer_a"]
    other = token(personas["organizer_b"], "events:read", "events:write")
    problem(
        client.post(url, json.dumps({"present": False}), content_type="application/json", **other),
        404,
    )
    problem(client.get(f"/api/v1/events/{event.public_id}/registrations", **other), 404)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
