"""Two app servers (two gunicorn processes on two ports) over one PostgreSQL database and one
shared cache (``CACHE_URL=db://…``): a rate limit and a login lockout hold across them, as
behind a proxy that sends each request to either server.

PostgreSQL only: two processes cannot share the tests' in-memory SQLite database, and
PostgreSQL is what a deployment with several servers runs on.
"""

from __future__ import annotations

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="deux serveurs sur une même base : PostgreSQL seulement (la base SQLite des "
        "tests est en mémoire, propre à un processus)",
    ),
    # The servers write to the test database, committed (they are other processes); the
    # fixture removes what they wrote. The mark only makes pytest-django set the database up.
    pytest.mark.django_db,
]

CACHE_TABLE = "tremplin_cache_deux_serveurs"
USERNAME = "deux-serveurs"
EMAIL = "deux-serveurs@example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    s = connection.settings_dict
    auth = urllib.parse.quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_until_up(url: str, process, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn stopped: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/sante/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    cache = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}}
    cache["default"]["LOCATION"] = CACHE_TABLE
    with django_db_blocker.unblock(), override_settings(CACHES=cache):
        call_command("createcachetable", verbosity=0)
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        CACHE_URL=f"db://{CACHE_TABLE}",
        TREMPLIN_HTTPS="0",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DJANGO_SETTINGS_MODULE="tremplin.settings",
    )
    processes, urls = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "tremplin.wsgi:application"]
                + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        for url, process in zip(urls, processes, strict=True):
            wait_until_up(url, process, deadline)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        with django_db_blocker.unblock():
            from axes.models import AccessAttempt, AccessFailureLog, AccessLog

            from tremplin.newsletter.models import Subscriber

            for model in (AccessAttempt, AccessFailureLog, AccessLog):
                model.objects.filter(username=USERNAME).delete()
            Subscriber.objects.filter(email=EMAIL).delete()
            with connection.cursor() as cursor:
                cursor.execute(f'DROP TABLE IF EXISTS "{CACHE_TABLE}"')


class Browser:
    """One visitor: one cookie jar, whichever server answers."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self, url: str, path: str) -> str:
        with self.opener.open(url + path, timeout=10):
            pass
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, url: str, path: str, data: dict) -> int:
        data = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url + path, data=data)  # noqa: S310 - http://127.0.0.1
        try:
            with self.opener.open(request, timeout=10) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def test_a_rate_limit_holds_across_two_servers(servers):
    from tremplin.core.ratelimit import SCOPES

    limit = SCOPES["newsletter.subscribe"].limit
    a, b = servers
    path = reverse("newsletter:subscribe")
    visitor = Browser()
    token = visitor.csrf(a, path)
    form = {"email": EMAIL, "language": "fr", "consent": "on", "website": ""}
    form["csrfmiddlewaretoken"] = token
    statuses = [visitor.post((a, b)[i % 2], path, form) for i in range(limit)]
    assert statuses == [200] * limit  # 10 on each server: 20 in all
    # Each server alone has seen 10, under the limit: only a shared count refuses these.
    assert visitor.post(a, path, form) == 429
    assert visitor.post(b, path, form) == 429


def test_a_login_lockout_holds_across_two_servers(servers, settings):
    a, b = servers
    path = reverse("accounts:login")
    visitor = Browser()
    token = visitor.csrf(b, path)
    form = {"username": USERNAME, "password": "pas-le-bon", "csrfmiddlewaretoken": token}
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [visitor.post((a, b)[i % 2], path, form) for i in range(limit)]
    assert statuses == [200] * (limit - 1) + [429]  # the 5th failure, on either server, locks
    assert visitor.post(a, path, form) == 429
    assert visitor.post(b, path, form) == 429
