"""``tremplin loadtest`` against a live server: Locust runs in its own process (never imported
here) and the command ends with ``failures: N``."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tremplin.accounts.roles import Role
from tremplin.accounts.services import membership_set


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_load_test_runs_against_a_live_server(live_server, monkeypatch):
    monkeypatch.setenv("TREMPLIN_LOADTEST_WAIT", "0.05,0.1")
    user = get_user_model().objects.create_user("organisateur", password="charge-de-test-2026")
    membership_set(user=user, role=Role.ORGANIZER, territories=[])
    out = io.StringIO()
    call_command(
        "loadtest",
        # One person: the tests' in-memory SQLite database (shared cache) locks whole tables,
        # so two at once collide there; the real load runs against gunicorn (docs/performance.md).
        users=1,
        duration=6,
        host=live_server.url,
        password="charge-de-test-2026",
        accounts="organisateur",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[-1] == "failures: 0"
    assert lines[0].endswith("p95 ms  p99 ms")
    rows = [line.rsplit(maxsplit=5) for line in lines[1:-1]]
    groups = {row[0] for row in rows}
    for _name, _requests, _failures, p50, p95, p99 in rows:
        assert float(p50) <= float(p95) <= float(p99)
    assert "total" in groups
    daily = {"directory", "directory search", "projects", "project", "dashboard", "public events"}
    assert groups & daily  # signed in, then on the daily pages, without a failure
