"""Contract test: schemathesis generates requests from ``/api/v1/openapi.json`` for every
read operation and sends them, through the WSGI application itself (no live server), with the
tokens of four roles and without one. No answer may be a 5xx, and every answer — 200 bodies,
problem documents, status codes, content types — must conform to the schema. Left out: the
check that every schema-valid request is accepted — a page cursor is any string to the schema
but a signed one to the server (a 400 otherwise, by design).

Bounded for the suite's time budget: ``EXAMPLES`` generated cases per operation (derandomized:
the same cases at each run), the roles drawn among the cases. Writes are not fuzzed here
(their bad inputs have their own tests): generated bodies would write demo-less rows at random.
"""

import contextlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tremplin.api.tests.test_endpoints import _fresh_cache, project_in, token  # noqa: F401
from tremplin.api.tests.test_more_endpoints import survey  # noqa: F401
from tremplin.casework.tests.casefiles import make_file
from tremplin.concertation.tests.conftest import cz, shq  # noqa: F401

pytestmark = pytest.mark.django_db

EXAMPLES = 4
ROLES = ("coordination", "organizer_a", "worker_a", "partner", None)


@contextlib.contextmanager
def wsgi_app():
    """Django's WSGI handler, without the signal that closes the database connection at the
    end of each request (the test's transaction must survive, as with the test client; the
    test client connects it again after each of its requests: none inside this block)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _real_ids(world, personas, cz, survey, client):  # noqa: F811
    """Ids of objects that exist, so that the detail operations answer 200 to some roles."""
    from django.utils import timezone

    from tremplin.events.tests.conftest import make_event
    from tremplin.newsletter.models import Story, StoryStatus

    project = project_in(world)
    event = make_event(stops=[(world["levis"], timezone.now())], user=personas["organizer_a"])
    story = Story.objects.create(
        project=project, title="Histoire", body="<p>x</p>", status=StoryStatus.PUBLISHED,
        published_at=timezone.now(),
    )  # fmt: skip
    person, follow_up = make_file(personas["worker_a"], building=world["building_a"])
    catalogue = client.get(
        "/api/v1/indicators/catalogue", **token(personas["coordination"], "indicators:read")
    ).json()
    return {
        "building_id": world["building_a"].public_id, "provider_id": world["omh_a"].public_id,
        "project_id": project.public_id, "committee_id": cz["ele"].public_id,
        "meeting_id": cz["m3"].public_id, "questionnaire_id": survey["q"].public_id,
        "campaign_id": survey["c"].public_id, "event_id": event.public_id,
        "stop_id": event.stops.get().public_id, "story_id": story.public_id,
        "person_id": person.public_id,
        "follow_up_id": follow_up.public_id, "indicator_id": catalogue[0]["id"],
    }  # fmt: skip


def test_every_read_operation_conforms(world, personas, settings, cz, survey, client):  # noqa: F811
    settings.TREMPLIN_API_RATE_PER_MINUTE = 10**6
    settings.TREMPLIN_API_ANONYMOUS_RATE_PER_MINUTE = 10**6
    headers = {
        role: ({"Authorization": token(personas[role])["HTTP_AUTHORIZATION"]} if role else {})
        for role in ROLES
    }
    real = _real_ids(world, personas, cz, survey, client)
    with wsgi_app() as app:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        reads = [op for op in operations if op.method.upper() == "GET"]
        assert len(reads) >= 35  # every list and detail of the v1

        for operation in reads:

            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(), role=st.sampled_from(ROLES))
            def check(case, role):
                case.call_and_validate(
                    headers=headers[role], excluded_checks=[positive_data_acceptance]
                )

            check()

        # Then each detail operation once per role with ids that exist (200 bodies too).
        statuses = set()
        for operation in reads:
            names = [p.name for p in operation.path_parameters]
            if not names or not set(names) <= set(real):
                continue
            for role in ROLES:
                case = operation.Case(path_parameters={n: str(real[n]) for n in names})
                response = case.call_and_validate(
                    headers=headers[role], excluded_checks=[positive_data_acceptance]
                )
                statuses.add(response.status_code)
    assert {200, 401, 403, 404} <= statuses
