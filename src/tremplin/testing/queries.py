"""The queries of a page, for the tests that check a page costs the same whatever the size of
its data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def query_count(client, url: str, params=None) -> int:
    """The number of queries of a GET of ``url`` once warm: it is read once (sessions, content
    types, values computed on the first read), then the second read, which must answer 200, is
    counted."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(queries)
