"""Following a keyset-paged list (core.keyset) the way a user does: by its "next" and
"previous" links, for the tests of each list (every row once, constant cost per page)."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

LINKS = {rel: re.compile(rf'href="([^"]+)" rel="{rel}"') for rel in ("next", "prev")}


def follow(client, url: str, response, rel: str = "next"):
    """The page the ``rel`` link of ``response`` leads to (None on the last or first page)."""
    match = LINKS[rel].search(response.content.decode())
    return client.get(url + html.unescape(match.group(1))) if match else None


def walk(client, url: str, first, rel: str = "next") -> list:
    """``first`` and every page after it (``rel="prev"``: before it), in the order visited."""
    pages = []
    response = first
    while response is not None:
        assert response.status_code == 200, response.status_code
        pages.append(response)
        response = follow(client, url, response, rel)
    return pages


def queries_per_page(client, url: str, first) -> list[int]:
    """The number of queries of each page reached by a "next" link from ``first``."""
    counts = []
    response = first
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = follow(client, url, response)
        if response is None:
            return counts
        counts.append(len(queries))


def assert_same_cost_per_page(client, url: str, pages: int, page_param: int) -> None:
    """Every page after the first reached by its "next" link (``pages`` of them) costs the
    same number of queries, and a ``?page=page_param`` address (an old link) no more."""
    counts = queries_per_page(client, url, client.get(url))
    assert len(counts) == pages and len(set(counts)) == 1, counts
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"page": page_param})
    assert len(queries) <= counts[0]
