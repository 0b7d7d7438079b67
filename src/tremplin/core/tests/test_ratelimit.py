"""core.ratelimit: one module, the scopes' limits and windows, counts per identity in the cache
(the public forms' and the API's own tests check the 429 pages; operations/test_two_servers that
a count holds across two servers)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from tremplin.core import ratelimit


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_a_scope_allows_its_limit_per_address_then_refuses(settings):
    settings.TREMPLIN_SUBSCRIBE_RATE_LIMIT = 3
    visitor, other = request_from("192.0.2.10"), request_from("192.0.2.11")
    assert [ratelimit.allow("newsletter.subscribe", visitor) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert ratelimit.allow("newsletter.subscribe", other)  # counted apart
    assert ratelimit.allow("events.registration", visitor)  # each scope counts on its own


def test_within_narrows_the_count_and_the_verdict_says_when_to_retry(settings):
    settings.TREMPLIN_SURVEY_RATE_LIMIT = 1
    visitor = request_from("192.0.2.10")
    assert ratelimit.allow("surveys.answer", visitor, within="1")
    assert not ratelimit.allow("surveys.answer", visitor, within="1")
    assert ratelimit.allow("surveys.answer", visitor, within="2")  # another campaign
    settings.TREMPLIN_API_RATE_PER_MINUTE = 1
    assert ratelimit.hit("api.token", "t1").allowed
    verdict = ratelimit.hit("api.token", "t1")
    assert not verdict.allowed and verdict.count == 2 and 1 <= verdict.retry_after <= 60


def test_a_new_window_starts_a_new_count(settings, monkeypatch):
    settings.TREMPLIN_REGISTRATION_RATE_LIMIT = 1
    settings.TREMPLIN_REGISTRATION_RATE_WINDOW = 60
    now = [1_000_020.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    visitor = request_from("192.0.2.10")
    assert ratelimit.allow("events.registration", visitor)
    assert not ratelimit.allow("events.registration", visitor)
    now[0] += 60
    assert ratelimit.allow("events.registration", visitor)


def test_the_cache_never_holds_an_address():
    ratelimit.allow("newsletter.subscribe", request_from("192.0.2.77"))
    ratelimit.hit("newsletter.confirmation", "marie@example.org")
    keys = [str(k) for k in cache._cache]  # LocMemCache in the tests
    assert len(keys) == 2
    assert not any("192.0.2.77" in k or "marie" in k for k in keys)


def test_every_scope_names_the_setting_that_changes_it():
    for scope in ratelimit.SCOPES.values():
        assert scope.limit > 0 and scope.window > 0 and scope.limit_setting.startswith("TREMPLIN_")
