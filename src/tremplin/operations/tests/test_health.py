"""``GET /sante/``: what the load balancer and the monitoring read."""

import datetime as dt
import json
import uuid

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

URL = "/sante/"


def test_it_is_at_sante():
    assert reverse("operations:health") == URL


def test_it_reports_every_check_to_an_anonymous_caller_without_versions(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body) == {"status", "database", "cache", "tasks", "disk"}
    assert body["database"]["ok"] and body["cache"]["ok"]
    assert body["tasks"] == {"ok": True, "ready": 0, "lag_seconds": 0.0, "failed": 0}
    assert 0 < body["disk"]["free_bytes"] <= body["disk"]["total_bytes"]
    assert "versions" not in body
    # No component or version named anywhere for an anonymous caller.
    text = response.content.decode().lower()
    for word in ("django", "python", "postgresql", "sqlite", "gunicorn"):
        assert word not in text
    assert "sessionid" not in response.cookies


def test_it_measures_the_task_queue_lag_from_the_oldest_ready_task(client, db):
    from django_tasks_db.models import DBTaskResult

    from tremplin.newsletter.tasks import send_edition

    send_edition.enqueue(0)
    send_edition.enqueue(0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(seconds=90))
    # A retry deferred to later is not late yet.
    send_edition.using(run_after=timezone.now() + dt.timedelta(minutes=5)).enqueue(0)
    tasks = client.get(URL).json()["tasks"]
    assert tasks["ready"] == 2
    assert 89 <= tasks["lag_seconds"] <= 100


def test_it_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "10.0.0.9", port 5432 failed')

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refused)
        response = client.get(URL)
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert "10.0.0.9" not in response.content.decode()


def test_it_shows_versions_to_the_coordination_only(client, personas, login):
    login(personas["organizer_a"])
    assert "versions" not in client.get(URL).json()
    login(personas["coordination"])
    versions = client.get(URL).json()["versions"]
    assert {"tremplin", "django", "python", "database"} <= set(versions)


def test_it_is_not_sent_to_the_second_factor_or_to_https(client, personas, settings):
    settings.SECURE_SSL_REDIRECT = True
    client.force_login(
        personas["worker_a"], backend="django.contrib.auth.backends.ModelBackend"
    )  # a role that needs a code, not passed yet
    response = client.get(URL)
    assert response.status_code == 200
    assert client.get(reverse("core:home")).status_code == 301  # others go to HTTPS


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_refuses_writes(client, db, method):
    assert getattr(client, method)(URL).status_code == 405


def test_cache_url_chooses_the_shared_store():
    from tremplin.settings import _cache_from_url

    assert _cache_from_url("")["BACKEND"].endswith("LocMemCache")
    assert _cache_from_url("db://tremplin_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tremplin_cache",
    }
    redis = _cache_from_url("redis://127.0.0.1:6379/3")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/3"
    with pytest.raises(ValueError, match="memcache"):
        _cache_from_url("memcache://127.0.0.1")


def test_the_redis_store_works_when_a_server_runs():
    import socket

    from django.core.cache.backends.redis import RedisCache

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("pas de serveur Redis sur 127.0.0.1:6379")
    store = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "tremplin-test"})
    key = f"sante-{uuid.uuid4().hex}"
    assert store.add(key, 1, timeout=5) and store.incr(key) == 2
    store.delete(key)
